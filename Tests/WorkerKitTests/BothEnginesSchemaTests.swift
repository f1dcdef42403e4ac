import BillingService
import ClientService
import CRMTestSupport
import DedupeService
import Foundation
import NotificationService
import PostgresClient
import ReliabilityService
import SQLStore
import Testing
@testable import WorkerKit

/// Each service's tables are declared twice, as SQLite steps and as PostgreSQL steps: after all
/// steps both engines hold the same tables with the same columns (the full-text index aside,
/// which each engine builds its own way), and each PostgreSQL step's schema is held in a file
/// like the SQLite ones, so that a shipped step is never edited.
@Suite(.enabled(if: TestEngine.databaseURL != nil, "needs CRM_TEST_DATABASE_URL (scripts/test sets it)"))
struct BothEnginesSchemaTests {
    static func definition(_ service: String) -> any WorkerDefinition {
        switch service {
        case "client-service": ClientServiceDefinition()
        case "billing-service": BillingServiceDefinition()
        case "notification-service": NotificationServiceDefinition(secrets: .random(), outbound: .development, catalog: .empty)
        case "dedupe-service": DedupeServiceDefinition()
        default: ReliabilityServiceDefinition(secrets: .random(), outbound: .development)
        }
    }

    /// The search index is the one place the engines differ: FTS5's tables on SQLite, a table
    /// with a `tsvector` on PostgreSQL.
    static func isSearchIndex(_ table: String) -> Bool { table.hasPrefix("client_fts") || table == "client_search" }

    static func columns(_ storage: SQLStorage) throws -> [String] {
        try storage.read { db in
            switch db.engine {
            case .sqlite:
                let tables = try db.column("""
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    """, as: String.self)
                return try tables.filter { !isSearchIndex($0) }.flatMap { table in
                    try db.column("SELECT name FROM pragma_table_info(?)", [table], as: String.self).map { "\(table).\($0)" }
                }
            case .postgres:
                return try db.rows("""
                    SELECT table_name, column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name != 'schema_migrations'
                    """).map { "\($0["table_name"] as String).\($0["column_name"] as String)" }
                    .filter { !isSearchIndex(String($0.prefix { $0 != "." })) }
            }
        }.sorted()
    }

    @Test(arguments: ["client-service", "reliability-service", "notification-service", "billing-service", "dedupe-service"])
    func bothEnginesEndWithTheSameTablesAndColumns(service: String) throws {
        let definition = Self.definition(service)
        let sqlite = try Self.columns(try TestEngine.sqlite.storage(definition))
        let postgres = try Self.columns(try TestEngine.postgres.storage(definition))
        #expect(sqlite.count > 10)
        #expect(Set(sqlite).subtracting(postgres).sorted() == [], "columns only SQLite has")
        #expect(Set(postgres).subtracting(sqlite).sorted() == [], "columns only PostgreSQL has")
    }

    /// Each PostgreSQL step applied one after the other in a fresh schema; after each, the
    /// tables' columns with their types, and the indexes.
    static func schemasByStep(_ definition: any WorkerDefinition) throws -> String {
        let schema = "s_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let connection = try PostgresConnection(url: TestEngine.databaseURL!)
        try connection.script("CREATE SCHEMA \(schema); SET search_path TO \(schema)")
        defer { _ = try? connection.script("DROP SCHEMA \(schema) CASCADE") }
        let steps = RuntimePostgresMigrations.steps + definition.postgresMigrations
        var text = ""
        for count in 1...steps.count {
            try PostgresMigrator.migrate(connection, steps: Array(steps.prefix(count)))
            text += "== \(steps[count - 1].identifier)\n"
            let columns = try connection.execute("""
                SELECT table_name || '.' || column_name || ' ' || data_type || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
                FROM information_schema.columns WHERE table_schema = $1 AND table_name != 'schema_migrations'
                ORDER BY table_name, ordinal_position
                """, [.text(schema)])
            let indexes = try connection.execute("""
                SELECT indexname || ': ' || replace(indexdef, $1 || '.', '') FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname
                """, [.text(schema)])
            for row in columns.rows + indexes.rows { text += (row[0] ?? "") + "\n" }
        }
        return text
    }

    @Test(arguments: ["client-service", "reliability-service", "notification-service", "billing-service", "dedupe-service"])
    func everyPostgresStepStillProducesTheSchemaItShippedWith(service: String) throws {
        let actual = try Self.schemasByStep(Self.definition(service))
        let file = MigrationSchemaTests.folder.appendingPathComponent("\(service).postgres.txt")
        if ProcessInfo.processInfo.environment["CRM_WRITE_MIGRATION_SCHEMAS"] == "1" {
            try Data(actual.utf8).write(to: file)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "the PostgreSQL steps' schemas differ from \(file.path); new steps are recorded with CRM_WRITE_MIGRATION_SCHEMAS=1:\n\(actual)")
    }
}
