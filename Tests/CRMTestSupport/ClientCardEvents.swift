import Contracts
import Foundation

/// A `client.updated` (or `client.created`) body as client-service publishes it: a whole card,
/// valid against the schema, connected to `providers`.
public func clientChangedEvent(id: String, store: String = "s1", version: Int = 1, providers: [String],
                               firstName: String = "Анна") throws -> ClientChanged {
    let card: JSONValue = .object([
        "client_id": .string(id), "store_id": .string(store), "version": .integer(Int64(version)), "deleted": .bool(false),
        "created_at": .string("2026-05-01T10:15:30.000Z"), "updated_at": .string("2026-05-01T10:15:30.000Z"),
        "kind": .string("person"), "first_name": .string(firstName), "newsletter": .bool(false), "source": .string("web"),
        "characteristic": .string("good"), "connected_providers": .array(providers.map { .string($0) }),
    ])
    let event: JSONValue = .object(["changed_fields": .array([.string("connected_providers")]), "client": card])
    return try JSONValueDecoder().decode(ClientChanged.self, from: event)
}
