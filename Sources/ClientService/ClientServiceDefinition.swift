import Contracts
import GRDB
import SQLStore
import WorkerKit

/// client-service: the system of record of who a client is. The runtime adds the
/// `client-service.status` query, the inbox and outbox, and the broker topology.
public struct ClientServiceDefinition: WorkerDefinition {
    public init() {}

    public var name: ServiceName { .client }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {
        ClientMigrations.register(&migrator)
    }

    public var postgresMigrations: [SQLMigrationStep] { ClientPostgresMigrations.steps }

    /// The search index (`client_fts` on SQLite, `client_search` on PostgreSQL) is built from the
    /// cards, not copied: oldest first, so that search pages keep the clients' order.
    public var derivedTables: Set<String> { ["client_search", "client_fts"] }

    public func rebuildDerivedTables(_ db: SQLDatabase) throws {
        for id in try db.column("SELECT id FROM client ORDER BY created_at, id", as: String.self) {
            try ClientSearchIndex.update(db, clientID: id)
        }
    }

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        registry.event("order.placed", OrderPlaced.self, handle: OrderAttribution.handle)
        registry.batchRead("order.placed", OrderPlaced.self, read: OrderLookup.readBatch)
        registry.event("order.status_changed", OrderStatusChanged.self, handle: OrderStatusTracking.handle)
        registry.command("client.create", ClientCreate.self, handle: ClientCommands.create)
        registry.command("client.update", ClientUpdate.self, handle: ClientCommands.update)
        registry.command("client.delete", ClientRef.self, handle: ClientCommands.delete)
        registry.command("client.restore", ClientRef.self, handle: ClientCommands.restore)
        registry.command("client.address.add", ClientAddressEdit.self, handle: ClientListEdits.addAddress)
        registry.command("client.address.update", ClientAddressEdit.self, handle: ClientListEdits.updateAddress)
        registry.command("client.address.remove", ClientAddressEdit.self, handle: ClientListEdits.removeAddress)
        registry.command("client.company.add", ClientCompanyEdit.self, handle: ClientListEdits.addCompany)
        registry.command("client.company.update", ClientCompanyEdit.self, handle: ClientListEdits.updateCompany)
        registry.command("client.company.remove", ClientCompanyEdit.self, handle: ClientListEdits.removeCompany)
        registry.command("client.merge", ClientMerge.self, handle: ClientMergeRefusals.merge)
        registry.command("client.unmerge", ClientUnmerge.self, handle: ClientMerges.unmerge)
        registry.command("client.note.add", ClientNoteAdd.self, handle: ClientNotes.add)
        registry.query("client.get", ClientRef.self, handle: ClientQueries.get)
        registry.query("client.history", ClientHistoryQuery.self, handle: ClientQueries.history)
        registry.query("client.search", ClientSearch.self, handle: ClientSearchQuery.search)
        registry.query("client.export", ClientExport.self, handle: ClientExportQuery.export)
        registry.command("store.upsert", StoreUpsert.self, handle: StoreCommands.upsert)
        registry.query("store.get", StoreGet.self, handle: StoreCommands.get)
        registry.query("store.list", StoreList.self, handle: StoreCommands.list)
    }
}
