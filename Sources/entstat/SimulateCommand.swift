import ArgumentParser
import EntStatSimulator

/// `entstat simulate`: writes a synthetic département in the input formats of SPEC §1.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Génère un département fictif (référentiels et journaux) pour essais et mesures."
    )
    func run() throws {
        throw ValidationError("pas encore disponible")
    }
}
