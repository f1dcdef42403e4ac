import Foundation
import SQLStore
import WorkerKit

/// The engines a storage test runs on: SQLite always; PostgreSQL when `CRM_TEST_DATABASE_URL`
/// names a database (scripts/test starts one and sets it). Tests take `arguments: TestEngine.all`.
public enum TestEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public static let databaseURL = ProcessInfo.processInfo.environment["CRM_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// SQLite, and PostgreSQL when a test database is there.
    public static var all: [TestEngine] { databaseURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public var description: String { rawValue }

    /// A fresh, migrated storage of `definition`'s tables: a SQLite file in a new temporary folder,
    /// or a new PostgreSQL schema of the test database (left behind; schemas are cheap and the
    /// test database is dropped with the test server's folder).
    public func storage(_ definition: some WorkerDefinition, automaticCheckpoints: Bool = true) throws -> SQLStorage {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-test-\(UUID().uuidString)")
        switch self {
        case .sqlite:
            return try ServiceStorage.open(definition, directory: folder, databaseURL: nil,
                                           automaticCheckpoints: automaticCheckpoints)
        case .postgres:
            let schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            return try ServiceStorage.open(definition, directory: folder, databaseURL: Self.databaseURL, schema: schema)
        }
    }
}
