// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "entstat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "entstat", targets: ["entstat"]),
        .library(name: "EntStat", targets: ["EntStat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // A cache prefetch hint (the sparse simplex tableau's pivots), as a header only.
        .systemLibrary(
            name: "CPrefetch",
            path: "Sources/CPrefetch"
        ),
        // The dense simplex tableau's pivot update in vector instructions chosen at run
        // time (AVX-512, AVX2, or plain C), with the Swift loop's rounding, its columns
        // shared with a helper thread (pthreads).
        .target(
            name: "CSimplexKernel",
            path: "Sources/CSimplexKernel"
        ),
        // All the logic: bytes → lines → records → attributed facts → store → SQL → report.
        .target(
            name: "EntStat",
            dependencies: [
                "CZlib", "CSQLite", "CPrefetch", "CSimplexKernel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The parse loop reads and writes class properties millions of times a second;
            // release builds skip the run-time exclusivity checks there (debug builds and
            // tests keep them).
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // The synthetic département generator behind `entstat simulate`.
        .target(
            name: "EntStatSimulator",
            dependencies: ["EntStat", "CZlib"]
        ),
        .executableTarget(
            name: "entstat",
            dependencies: [
                "EntStat", "EntStatSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EntStatTests",
            dependencies: [
                "EntStat", "EntStatSimulator", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Read from the source tree by the tests that need them (`#filePath`), not
            // bundled.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "EntStatSimulatorTests",
            dependencies: ["EntStatSimulator", "EntStat"]
        ),
    ]
)
