import Foundation
import SQLStore

/// Moves a service from its SQLite file to PostgreSQL: every row of every table both engines
/// share, in one PostgreSQL transaction, then the identity counters moved past the copied ids
/// and the service's derived tables (its search index) rebuilt on the target. The service is
/// stopped meanwhile (its folder lock is taken here), and a target that already holds rows is
/// refused, so a copy never mixes two histories.
public enum StorageCopy {
    public struct Copied: Sendable, Equatable {
        public var table: String
        public var rows: Int
    }

    public static func copy(_ definition: some WorkerDefinition, from source: SQLStorage, to target: SQLStorage) throws -> [Copied] {
        guard source.engine == .sqlite, target.engine == .postgres else {
            throw StorageCopyError("copies go from SQLite to PostgreSQL")
        }
        let tables = try target.read { db in
            try db.column("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name != 'schema_migrations'
                ORDER BY table_name
                """, as: String.self)
        }
        let sourceTables = Set(try source.read { db in
            try db.column("SELECT name FROM sqlite_master WHERE type = 'table'", as: String.self)
        })
        return try target.write { db in
            var copied: [Copied] = []
            for table in tables where sourceTables.contains(table) && !definition.derivedTables.contains(table) {
                let rows = try copyTable(table, from: source, into: db)
                copied.append(Copied(table: table, rows: rows))
            }
            try definition.rebuildDerivedTables(db)
            return copied
        }
    }

    private static func copyTable(_ table: String, from source: SQLStorage, into db: SQLDatabase) throws -> Int {
        guard try db.value("SELECT COUNT(*) FROM \(table)", as: Int.self) == 0 else {
            throw StorageCopyError("table \(table) already holds rows in PostgreSQL: copy into an empty database")
        }
        let targetColumns = try db.column("""
            SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
            ORDER BY ordinal_position
            """, [table], as: String.self)
        let sourceColumns = Set(try source.read { try $0.column("SELECT name FROM pragma_table_info(?)", [table], as: String.self) })
        let columns = targetColumns.filter(sourceColumns.contains)
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let insert = "INSERT INTO \(table) (\(list)) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        let rows = try source.read { try $0.rows("SELECT \(list) FROM \(table)") }
        for row in rows { try db.execute(insert, row.values.map { $0 as (any SQLValueConvertible)? }) }
        // Identity columns continue after the copied ids.
        if columns.contains("id"), let sequence = try db.value("SELECT pg_get_serial_sequence(?, 'id')", [table], as: String.self) {
            _ = try db.rows("SELECT setval(?, GREATEST((SELECT MAX(id) FROM \(table)), 1))", [sequence])
        }
        return rows.count
    }
}

public struct StorageCopyError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
