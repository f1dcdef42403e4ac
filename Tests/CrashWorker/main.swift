import Contracts
import Foundation
import GRDB
import WorkerKit

/// A test-only service executable with a poison query: `store.get` for the store "crash" traps,
/// killing the process the way a bug in a handler would; any other store is answered. The
/// broker tests run it in a crash loop to show that the poison guard ends the loop.
struct CrashWorkerDefinition: WorkerDefinition {
    var name: ServiceName { .dedupe }

    func registerMigrations(_ migrator: inout DatabaseMigrator) {}

    func registerHandlers(_ registry: inout HandlerRegistry) {
        registry.query("store.get", StoreGet.self) { _, query, _ -> [String: String] in
            if query.storeID == "crash" { fatalError("poison: store.get for the store 'crash'") }
            return ["store_id": query.storeID]
        }
    }
}

await WorkerMain.run(CrashWorkerDefinition())
