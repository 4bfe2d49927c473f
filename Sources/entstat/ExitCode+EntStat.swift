import ArgumentParser

extension ExitCode {
    /// Some input files failed; the others were ingested (SPEC §3).
    static let someFilesFailed = ExitCode(2)
}
