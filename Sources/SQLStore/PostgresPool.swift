import Foundation
import PostgresClient
import Synchronization

/// Connections to one PostgreSQL database, each used by one thread at a time: taken for a
/// transaction, given back after it. A connection that broke is dropped, and the next
/// transaction opens a new one, so a restarted server is reconnected to without a restart here.
public final class PostgresPool: Sendable {
    public let url: String
    let applicationName: String
    let schema: String?
    private let idle = Mutex<[PostgresDatabase]>([])

    init(url: String, applicationName: String, schema: String? = nil) throws {
        self.url = url
        self.applicationName = applicationName
        self.schema = schema.map(Self.identifier)
        // Opened at start so that a wrong address or password stops the service with a clear error.
        give(PostgresDatabase(try open()))
    }

    /// A new connection of its own (the relay keeps one for its advisory lock).
    public func open() throws -> PostgresConnection {
        let connection = try PostgresConnection(url: url)
        try connection.script("SET application_name = '\(Self.identifier(applicationName))'")
        if let schema {
            try connection.script("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"; SET search_path TO \"\(schema)\"")
        }
        return connection
    }

    func transaction<T>(readOnly: Bool = false, _ body: (SQLDatabase) throws -> T) throws -> T {
        let db = try take()
        do {
            let value = try Self.transaction(on: db, readOnly: readOnly, body)
            give(db)
            return value
        } catch {
            if !db.connection.isBroken { give(db) }
            throw error
        }
    }

    /// `body` in one transaction on `db`'s connection: committed when it returns, rolled back when it throws.
    public static func transaction<T>(on db: PostgresDatabase, readOnly: Bool = false, _ body: (SQLDatabase) throws -> T) throws -> T {
        try db.connection.script(readOnly ? "BEGIN READ ONLY" : "BEGIN")
        do {
            let value = try body(db)
            try db.connection.script("COMMIT")
            return value
        } catch {
            db.connection.rollback()
            throw error
        }
    }

    /// Letters, digits, `-` and `_` only: these names are spliced into SQL.
    static func identifier(_ name: String) -> String {
        name.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    private func take() throws -> PostgresDatabase {
        if let db = idle.withLock({ $0.popLast() }) { return db }
        return PostgresDatabase(try open())
    }

    private func give(_ db: PostgresDatabase) {
        idle.withLock { $0.append(db) }
    }
}
