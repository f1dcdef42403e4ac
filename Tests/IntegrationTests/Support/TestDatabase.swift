import CRMTestSupport
import Foundation
import PostgresClient
import SQLStore

/// The engine the broker tests run their services on: SQLite files by default, PostgreSQL with
/// `CRM_TEST_ENGINE=postgres` (scripts/test runs the broker tests once with each). On PostgreSQL a
/// service's data folder maps to a schema of the test database of its own, named after the
/// folder, so that a test, a restarted process and the test's checks all find the same tables.
enum TestDatabase {
    static let engine: TestEngine =
        ProcessInfo.processInfo.environment["CRM_TEST_ENGINE"] == "postgres" && TestEngine.databaseURL != nil ? .postgres : .sqlite

    /// The `CRM_DATABASE_URL` of the service whose data folder is `directory`; nil on SQLite.
    static func url(for directory: URL) throws -> String? {
        guard engine == .postgres, let base = TestEngine.databaseURL else { return nil }
        let schema = schemaName(directory)
        let connection = try PostgresConnection(url: base)
        try connection.script("CREATE SCHEMA IF NOT EXISTS \(schema)")
        // libpq passes `options` to the server: every connection of the service starts in the schema.
        return base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
    }

    static func schemaName(_ directory: URL) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in directory.standardizedFileURL.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "it_" + String(hash, radix: 16)
    }

    /// Counts with `sql` in the service's tables (its SQLite file, or its PostgreSQL schema).
    static func count(sqliteFile file: URL, _ sql: String) throws -> Int? {
        guard let url = try url(for: file.deletingLastPathComponent()) else { return nil }
        let connection = try PostgresConnection(url: url)
        return try connection.execute(sql).rows.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
    }
}
