// swift-tools-version:6.0
// Fuzzing of everything entstat reads from outside (libFuzzer, with AddressSanitizer):
// the access-log and event-log line parsers, a whole log file through the ingest's own
// parse stage (inflate, lines, records, rules, pseudonyms), the reference files, and a
// whole store damaged or edited by hand, read and ingested into.
// Built and run by `tools/fuzz/run`; kept out of the main package so that CI does not
// build it (an instrumented build takes minutes and the runs take as long as asked).
import PackageDescription

let package = Package(
    name: "entstat-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "entstat", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "entstat-fuzz",
            dependencies: [
                .product(name: "EntStat", package: "entstat"),
            ],
            path: "Sources"
        ),
    ]
)
