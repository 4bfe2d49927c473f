// swift-tools-version:6.0
// The parse floor of an ingest: how long the stages every worker must go through take on
// their own (inflate, the SHA-256s, lines, records), on the same files and cores as the
// ingest bench. Built by `bench/run` in release mode; kept out of the main package so that
// CI does not build it.
import PackageDescription

let package = Package(
    name: "entstat-floor",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "entstat", path: "../.."),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .executableTarget(
            name: "entstat-floor",
            dependencies: [
                .product(name: "EntStat", package: "entstat"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources"
        ),
    ]
)
