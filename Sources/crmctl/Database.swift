import ArgumentParser
import ClientService
import Foundation
import ReliabilityService
import SQLStore
import WorkerKit

/// `crmctl database copy SERVICE --to postgres://…`: moves a service from its SQLite file to its
/// PostgreSQL database (README, Scaling). Run it with the service stopped; start the service
/// with `CRM_DATABASE_URL` afterwards.
struct Database: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a service's tables between engines.", subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a stopped service's SQLite tables into its (empty) PostgreSQL database.")

        @Argument(help: "client-service or reliability-service.")
        var service: String

        @Option(help: "The service's SQLite folder (env CRM_DATA_DIR).")
        var dataDir: String = ProcessInfo.processInfo.environment["CRM_DATA_DIR"] ?? "data"

        @Option(help: "The PostgreSQL database, postgres://user:password@host:port/db (env CRM_DATABASE_URL).")
        var to: String? = ProcessInfo.processInfo.environment["CRM_DATABASE_URL"]

        func run() throws {
            guard let to, to.hasPrefix("postgres") else { throw ValidationError("--to postgres://… (or CRM_DATABASE_URL) is required") }
            switch service {
            case "client-service": try copy(ClientServiceDefinition(), to: to)
            case "reliability-service":
                // Only the tables are touched: the sealed signature is copied as it is, still sealed.
                try copy(ReliabilityServiceDefinition(secrets: .random(), outbound: .publicOnly), to: to)
            default: throw ValidationError("no tables to copy for \(service)")
            }
        }

        private func copy(_ definition: some WorkerDefinition, to url: String) throws {
            let folder = URL(fileURLWithPath: dataDir)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(service).sqlite").path) else {
                throw ValidationError("no \(service).sqlite in \(folder.path)")
            }
            // The service must be stopped: its lock on the folder says whether it runs.
            let lock = try DataFolderLock(directory: folder, service: service)
            defer { _ = lock }
            let source = try ServiceStorage.open(definition, directory: folder, databaseURL: nil)
            let target = try ServiceStorage.open(definition, directory: folder, databaseURL: url)
            let started = Date()
            let copied = try StorageCopy.copy(definition, from: source, to: target)
            for table in copied { print("\(table.table): \(table.rows) rows") }
            print("copied \(copied.reduce(0) { $0 + $1.rows }) rows of \(service) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}
