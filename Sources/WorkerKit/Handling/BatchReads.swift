import Contracts
import Foundation
import SQLStore
import Messaging

/// What the messages of a batch will read, read for all of them before the first is handled: on
/// PostgreSQL each read is a round trip, and a batch of 200 orders waited 200 times for the
/// server where one wait does (`HandlerRegistry.batchRead`, `SQLDatabase.rowsEach`).
///
/// The bodies of those messages are parsed and validated here, once: `MessageProcessor` takes
/// them from here instead of parsing the bytes again. A value read goes stale when a handler of
/// another type runs in the batch (it may have changed what was read): from then on handlers
/// find none and read for themselves. Within its own type, the handler knows what it wrote and
/// checks that itself.
final class BatchReads {
    private var bodies: [Int: JSONValue] = [:]
    private var values: [Int: any Sendable] = [:]
    private let types: Set<String>

    private init(types: Set<String>) {
        self.types = types
    }

    /// nil on SQLite (a read there is a function call, not a round trip) or when no message of
    /// the batch has a batch read.
    static func load(_ deliveries: [Delivery], processor: MessageProcessor, in db: SQLDatabase) throws -> BatchReads? {
        let registry = processor.registry
        guard db.engine == .postgres, !registry.batchReads.isEmpty, deliveries.count > 1 else { return nil }
        let check = EnvelopeCheck(maxBodyBytes: processor.maxBodyBytes, workQueue: processor.topology.workQueue, registry: registry)
        let reads = BatchReads(types: Set(registry.batchReads.keys))
        var positions: [String: [(index: Int, body: JSONValue)]] = [:]
        for (index, delivery) in deliveries.enumerated() {
            // Only what the processor would hand to the handler: a message it refuses is parsed
            // again there and refused with its reason.
            guard case .accepted(let accepted) = check.run(delivery), reads.types.contains(accepted.type),
                  let json = try? JSONValue.parse(delivery.message.body),
                  processor.schemas.validate(json, type: accepted.type)?.isEmpty ?? true
            else { continue }
            reads.bodies[index] = json
            positions[accepted.type, default: []].append((index, json))
        }
        for (type, messages) in positions {
            guard let read = registry.batchReads[type] else { continue }
            let found: [(any Sendable)?]
            do {
                found = try db.savepoint { try read(db, messages.map(\.body)) }
            } catch where SQLConflict.isTransient(error) {
                throw error
            } catch {
                continue  // each handler reads for itself, and meets the error itself if it is one
            }
            for (message, value) in zip(messages, found) { reads.values[message.index] = value }
        }
        return reads
    }

    /// The body of the batch's message at `index`, parsed and valid; nil when it must be read.
    func validBody(at index: Int) -> JSONValue? {
        bodies[index]
    }

    /// What was read for the message at `index` of `type`, as its handler starts; a handler of
    /// another type starting drops every value (they may be stale once it has run).
    func starting(_ type: String, at index: Int) -> (any Sendable)? {
        guard types.contains(type) else {
            values.removeAll()
            return nil
        }
        return values[index]
    }
}
