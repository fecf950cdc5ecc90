// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: towards OporaCore.
//   opora (CLI) -> OporaWeb -> OporaServices -> OporaStore, OporaAnalysis, OporaImport -> OporaCore
//               -> OporaImport -> OporaCore
//               -> OporaDemo   -> OporaCore
//               -> OporaAnalysis -> OporaStats, OporaCore
//   OporaStats: numerics with no domain knowledge (models, intervals); OporaAnalysis: identification
//   (one file per criterion in Criteria/), analytics and value-added in the domain's terms;
//   OporaServices: what joins stored data and analysis (loading the database for analysis, storing
//   identification runs) and the use cases (UseCases/: permission, territory, rules, audit, refusal),
//   shared by CLI and web; OporaWeb adapts them to pages (typed models drawn with the Mustache files
//   of Views/) and the API. Roles, permissions, categories and statuses are OporaCore's vocabulary.
let package = Package(
    name: "Opora",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "opora", targets: ["OporaCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .target(name: "OporaCore"),
        .target(name: "OporaStats"),
        // System libraries for reading .xlsx without trapping on damaged files: libxml2's streaming
        // reader and zlib's inflate (see Sources/OporaImport/XLSXReader.swift and ZIPReader.swift).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "COporaZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "OporaImport", dependencies: ["OporaCore", "CLibXML2", "COporaZlib"]),
        .target(name: "OporaDemo", dependencies: ["OporaCore"]),
        .target(
            name: "OporaAnalysis",
            dependencies: ["OporaCore", "OporaStats", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "OporaStore",
            dependencies: [
                "OporaCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OporaServices",
            dependencies: ["OporaCore", "OporaStats", "OporaStore", "OporaAnalysis", "OporaImport", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "OporaWeb",
            dependencies: [
                "OporaCore", "OporaStore", "OporaAnalysis", "OporaImport", "OporaServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The page templates, compiled into the binary so `opora` works when copied alone.
            resources: [.embedInCode("Views")]
        ),
        .executableTarget(
            name: "OporaCLI",
            dependencies: [
                "OporaCore", "OporaImport", "OporaDemo", "OporaAnalysis", "OporaStore", "OporaServices", "OporaWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "OporaCoreTests", dependencies: ["OporaCore"]),
        .testTarget(name: "OporaStatsTests", dependencies: ["OporaStats"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OporaAnalysisTests", dependencies: ["OporaAnalysis", "OporaDemo", "OporaImport", "OporaCore", "OporaStats"]),
        .testTarget(
            name: "OporaImportTests",
            dependencies: ["OporaImport", "OporaCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "OporaDemoTests", dependencies: ["OporaDemo", "OporaImport", "OporaCore"]),
        .testTarget(name: "OporaStoreTests", dependencies: ["OporaStore", "OporaImport", "OporaCore"]),
        .testTarget(name: "OporaServicesTests", dependencies: ["OporaServices", "OporaStore", "OporaCore", "OporaAnalysis", "OporaDemo", "OporaImport"]),
        // The built `opora` for tests that run it; a library under Tests/, not shipped.
        .target(name: "OporaTestSupport", path: "Tests/OporaTestSupport"),
        .testTarget(name: "OporaCLITests", dependencies: ["OporaTestSupport", "OporaCLI", "OporaStore", "OporaCore", "OporaDemo", "OporaAnalysis", "OporaServices", "OporaWeb", "OporaImport"]),
        .testTarget(
            name: "OporaWebTests",
            dependencies: [
                "OporaWeb", "OporaStore", "OporaCore", "OporaImport", "OporaServices", "OporaTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
