// swift-tools-version:6.1
import PackageDescription

/// The five worker services share one runtime and the message contracts; each owns its own database.
let services = ["ClientService", "BillingService", "ReliabilityService", "DedupeService", "NotificationService"]
let executables = [
    "client-service": "ClientService", "billing-service": "BillingService",
    "reliability-service": "ReliabilityService", "dedupe-service": "DedupeService",
    "notification-service": "NotificationService",
]

/// What a service needs besides the runtime: notification-service signs its webhooks (HMAC-SHA256).
let serviceDependencies: [String: [Target.Dependency]] = [
    // Mustache templates; HMAC-SHA256 signatures of webhooks.
    "NotificationService": [.product(name: "Mustache", package: "swift-mustache"), .product(name: "Crypto", package: "swift-crypto")],
    // Invoices and offers printed as PDF.
    "BillingService": ["PDFRendering"],
    // Asks client-service for its export pages over the broker (the index rebuild).
    "DedupeService": ["Messaging"],
]

let package = Package(
    name: "crm-services",
    platforms: [.macOS(.v15)],
    products: executables.keys.sorted().map { .executable(name: $0, targets: [$0]) } + [
        .executable(name: "crmctl", targets: ["crmctl"]),
        .executable(name: "crm-bench", targets: ["crm-bench"]),
        .executable(name: "crm-fuzz", targets: ["crm-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Generated inputs for the property test of the processing path (tests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Mustache templates of notification-service (its e-mails and SMS).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CRabbitMQ", pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        // Phone numbers by Google's libphonenumber (C++), behind a C API so that Swift needs no C++ interop.
        .target(
            name: "CPhoneNumber",
            linkerSettings: [.linkedLibrary("phonenumber"), .linkedLibrary("protobuf")]),
        // The ASCII (IDNA) form of e-mail domains.
        .systemLibrary(
            name: "CIDN2", pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]),
        // Outgoing HTTP calls (blacklist API, SMS gateway, webhooks): libcurl behind one small type.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // PDF documents: pango lays the text out (Cyrillic, any script fontconfig has a font for) on
        // cairo's PDF surface, which embeds the fonts.
        .systemLibrary(
            name: "CPangoCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .target(name: "PDFRendering", dependencies: ["CPangoCairo"]),
        .systemLibrary(
            name: "CPostgres", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        // PostgreSQL, for services whose replicas share their state (issue 10): libpq behind one type.
        .target(name: "PostgresClient", dependencies: ["CPostgres"]),
        // One SQL interface over both engines: SQLite through GRDB, PostgreSQL through libpq.
        .target(
            name: "SQLStore",
            dependencies: [
                "PostgresClient", "JSONKit", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for binding and reading the hot path's statements directly.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        .target(
            name: "Messaging",
            dependencies: ["CRabbitMQ", .product(name: "Logging", package: "swift-log")]),
        // The message format: JSON values, the parser, the decoder over parsed values, RFC 3339,
        // and the JSON Schema validator. Contracts re-exports it.
        .target(name: "JSONKit"),
        .target(name: "Contracts", dependencies: ["JSONKit", "CPhoneNumber", "CIDN2"]),
        .target(
            name: "WorkerKit",
            dependencies: [
                "Messaging", "Contracts", "SQLStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // AES-GCM for the secrets services store (provider signatures, SMTP passwords).
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
    ]
        + services.map { .target(name: $0, dependencies: ["WorkerKit", "Contracts", "HTTPClient"] + (serviceDependencies[$0] ?? [])) }
        + executables.keys.sorted().map { .executableTarget(name: $0, dependencies: [.target(name: executables[$0]!)]) }
        + [
            .executableTarget(
                name: "crmctl",
                dependencies: [
                    "Messaging", "Contracts", "WorkerKit", "SQLStore", "ClientService", "ReliabilityService",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ]),
            .executableTarget(
                name: "crm-bench",
                dependencies: [
                    "Messaging", "Contracts", "WorkerKit", "ClientService", "ReliabilityService", "BillingService", "DedupeService", "SQLStore",
                    "PostgresClient", "HTTPClient", .product(name: "GRDB", package: "GRDB.swift"),
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ]),
            // A test-only service whose poison query traps: the broker tests run it in a crash loop.
            .executableTarget(name: "crash-worker", dependencies: ["WorkerKit", "Contracts"], path: "Tests/CrashWorker"),
            // libFuzzer's target (scripts/fuzz builds it with -sanitize=fuzzer); an ordinary build replays inputs.
            .executableTarget(
                name: "crm-fuzz",
                dependencies: [
                    "Messaging", "Contracts", "WorkerKit", "ClientService", "ReliabilityService", "SQLStore",
                    .product(name: "GRDB", package: "GRDB.swift"),
                ]),
            // Builders of test messages shared by the unit and the integration tests.
            .target(name: "CRMTestSupport", dependencies: ["Contracts", "Messaging", "WorkerKit", "SQLStore"], path: "Tests/CRMTestSupport"),
            .testTarget(name: "MessagingTests", dependencies: ["Messaging"]),
            .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient"]),
            .testTarget(
                name: "SQLStoreTests",
                dependencies: ["SQLStore", "PostgresClient", .product(name: "GRDB", package: "GRDB.swift")]),
            .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "CRMTestSupport"]),
            .testTarget(name: "ContractsTests", dependencies: ["Contracts", "WorkerKit", "NotificationService"]),
            .testTarget(
                name: "ReliabilityServiceTests",
                dependencies: ["ReliabilityService", "WorkerKit", "Contracts", "HTTPClient", "CRMTestSupport"]),
            .testTarget(
                name: "BillingServiceTests",
                dependencies: ["BillingService", "PDFRendering", "WorkerKit", "Contracts", "CRMTestSupport", "SQLStore",
                               .product(name: "PropertyBased", package: "swift-property-based")]),
            .testTarget(
                name: "DedupeServiceTests",
                dependencies: ["DedupeService", "WorkerKit", "Contracts", "CRMTestSupport", "SQLStore"]),
            .testTarget(
                name: "NotificationServiceTests",
                dependencies: ["NotificationService", "WorkerKit", "Contracts", "HTTPClient", "CRMTestSupport", "SQLStore",
                               .product(name: "GRDB", package: "GRDB.swift")]),
            .testTarget(
                name: "WorkerKitTests",
                dependencies: [
                    "WorkerKit", "ClientService", "ReliabilityService", "NotificationService", "BillingService", "DedupeService", "CRMTestSupport",
                    "SQLStore", "PostgresClient", .product(name: "PropertyBased", package: "swift-property-based"),
                ]),
            .testTarget(
                name: "IntegrationTests",
                dependencies: ["Messaging", "WorkerKit", "Contracts", "ClientService", "ReliabilityService", "NotificationService", "BillingService", "DedupeService", "CRMTestSupport", "SQLStore", "PostgresClient",
                               .product(name: "GRDB", package: "GRDB.swift")]),
        ]
)
