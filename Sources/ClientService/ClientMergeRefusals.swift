import Contracts
import SQLStore
import WorkerKit

/// `client.merge` for a sender that waits for no reply: a service's command from its outbox
/// (dedupe-service's merge runs) carries no `reply_to`, so a refusal would only reach a dead
/// queue. Such a sender hears it as the event `client.merge_refused` (with the error a reply would
/// have carried) and the command counts as handled; a sender with `reply_to` gets the error in its
/// reply as before. A refused merge changes nothing: it runs in a savepoint.
enum ClientMergeRefusals {
    static func merge(_ db: SQLDatabase, _ command: ClientMerge, _ context: HandlerContext) throws -> ClientCard? {
        guard !context.expectsReply else { return try ClientMerges.merge(db, command, context) }
        do {
            return try db.savepoint { try ClientMerges.merge(db, command, context) }
        } catch let error as ErrorBody {
            try context.publish(event: ClientMergeRefused(
                storeID: command.storeID, survivorID: command.survivorID, mergedIDs: command.mergedIDs,
                commandID: context.messageID, requestedBy: context.sender.userID, error: error, refusedAt: context.now),
                type: "client.merge_refused")
            return nil
        }
    }
}
