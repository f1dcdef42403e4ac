import Foundation
import PostgresClient

/// One numbered step of a service's PostgreSQL schema. Like the SQLite steps (GRDB's
/// migrator), a step that shipped is never edited: a change is a new step.
public struct SQLMigrationStep: Sendable {
    public let identifier: String
    public let sql: String

    public init(_ identifier: String, _ sql: String) {
        self.identifier = identifier
        self.sql = sql
    }
}

/// Applies the steps not applied yet, in order, each in its own transaction, and records them in
/// `schema_migrations`. Replicas starting together take turns on an advisory lock, so a step
/// runs once.
public enum PostgresMigrator {
    public static func migrate(_ connection: PostgresConnection, steps: [SQLMigrationStep]) throws {
        let key = "hashtextextended(current_schema() || '/migrations', 0)"
        try connection.execute("SELECT pg_advisory_lock(\(key))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(key))") }
        try connection.script("""
            CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)
            """)
        let applied = Set(try connection.execute("SELECT identifier FROM schema_migrations").rows.compactMap { $0[0] })
        for step in steps where !applied.contains(step.identifier) {
            try connection.transaction {
                try connection.script(step.sql)
                try connection.execute("INSERT INTO schema_migrations (identifier, applied_at) VALUES ($1, $2)",
                                       [.text(step.identifier), .text(SQLTime.text(Date()))])
            }
        }
    }

    /// The steps applied so far, in the order they ran.
    public static func applied(_ connection: PostgresConnection) throws -> [String] {
        try connection.execute("SELECT identifier FROM schema_migrations ORDER BY applied_at, identifier").rows.compactMap { $0[0] }
    }
}
