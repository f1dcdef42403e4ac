import BillingService
import ClientService
import DedupeService
import Foundation
import GRDB
import NotificationService
import ReliabilityService
import Testing
@testable import WorkerKit

/// Migrations that landed are never edited: each step's resulting schema is held in
/// `MigrationSchemas/<service>.txt` (the runtime's steps, then the service's), so an edit of a
/// shipped step, or a step that goes away, fails here. A new step adds its section at the end:
/// run the test with `CRM_WRITE_MIGRATION_SCHEMAS=1` once and commit the file with the step.
@Suite struct MigrationSchemaTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("MigrationSchemas")

    static func register(_ service: String) -> ((inout DatabaseMigrator) -> Void)? {
        switch service {
        case "client-service": return ClientServiceDefinition().registerMigrations
        case "billing-service": return BillingServiceDefinition().registerMigrations
        case "reliability-service": return ReliabilityServiceDefinition(secrets: .random(), outbound: .development).registerMigrations
        case "notification-service":
            return NotificationServiceDefinition(secrets: .random(), outbound: .development, catalog: .empty).registerMigrations
        case "dedupe-service": return DedupeServiceDefinition().registerMigrations
        default: return nil
        }
    }

    /// The schema after every step, in order: the step's name, then its tables, indexes and triggers.
    static func schemasByStep(_ register: (inout DatabaseMigrator) -> Void) throws -> String {
        var migrator = DatabaseMigrator()
        ServiceDatabase.registerRuntimeMigrations(&migrator)
        register(&migrator)
        let queue = try DatabaseQueue()
        var text = ""
        for step in migrator.migrations {
            try migrator.migrate(queue, upTo: step)
            let rows = try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT type, name, sql FROM sqlite_master
                    WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    ORDER BY type, name
                    """)
            }
            text += "== \(step)\n"
            for row in rows {
                let sql: String = row["sql"]
                text += "\(row["type"] as String) \(row["name"] as String): \(sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))\n"
            }
        }
        return text
    }

    @Test(arguments: ["client-service", "reliability-service", "notification-service", "billing-service", "dedupe-service"])
    func everyStepStillProducesTheSchemaItShippedWith(service: String) throws {
        let register = try #require(Self.register(service))
        let actual = try Self.schemasByStep(register)
        let file = Self.folder.appendingPathComponent("\(service).txt")
        if ProcessInfo.processInfo.environment["CRM_WRITE_MIGRATION_SCHEMAS"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        // A new step is recorded with its code (its section is added at the end of the file);
        // a change in an earlier section is an edited step, which the review of the file shows.
        #expect(actual == expected, "the steps' schemas differ from \(file.path); new steps are recorded with CRM_WRITE_MIGRATION_SCHEMAS=1:\n\(actual)")
    }
}
