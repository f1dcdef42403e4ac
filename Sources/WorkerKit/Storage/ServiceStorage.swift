import Foundation
import SQLStore

/// Opens a service's storage and brings its schema up to date, on the engine the configuration
/// names: `CRM_DATABASE_URL` (`postgres://…`) for PostgreSQL, the SQLite file under the data
/// folder when it is absent. The runtime's steps run first, then the service's own.
public enum ServiceStorage {
    /// `schema`: a PostgreSQL schema to keep the tables in (created when missing; tests use one
    /// each); nil for the database's default.
    public static func open(_ definition: some WorkerDefinition, directory: URL, databaseURL: String?,
                            schema: String? = nil, automaticCheckpoints: Bool = true) throws -> SQLStorage {
        let service = definition.name.rawValue
        guard let databaseURL else {
            let pool = try ServiceDatabase.open(directory: directory, service: service,
                                                automaticCheckpoints: automaticCheckpoints,
                                                migrations: definition.registerMigrations)
            return SQLStorage(sqlite: pool)
        }
        // Each process's connections are named after it (`client-service-4711`): ops see in
        // pg_stat_activity which replica holds what.
        let storage = try SQLStorage(postgresURL: databaseURL, applicationName: "\(service)-\(getpid())", schema: schema)
        try PostgresMigrator.migrate(try storage.postgresPool!.open(),
                                     steps: RuntimePostgresMigrations.steps + definition.postgresMigrations)
        return storage
    }
}
