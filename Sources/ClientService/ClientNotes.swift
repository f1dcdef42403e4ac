import Contracts
import Foundation
import SQLStore
import WorkerKit

/// Notes on a card: `client.note.add`, and the notes `client.get` lists. A note stays on the card
/// it was written on; a survivor shows its own notes and those of every client merged into it
/// (following merges of merges through `client_merge`), so a merge moves no note and an unmerge,
/// which deletes the `client_merge` row, gives the merged client its notes back exactly.
enum ClientNotes {
    static func add(_ db: SQLDatabase, _ command: ClientNoteAdd, _ context: HandlerContext) throws -> ClientCard {
        // Locked: a merge of this card running on another replica finishes first, and is seen.
        let row = try ClientStore.require(db, clientID: command.clientID, storeID: command.storeID, forUpdate: true)
        if let survivor = row.mergedInto {
            throw ErrorBody(code: .conflict, message: "client \(row.clientID) was merged into \(survivor): add the note there")
        }
        // The schema bounds the text too; a wrong schema must not let an empty note in.
        guard !command.text.isEmpty, command.text.count <= 4000 else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "text", problem: command.text.isEmpty ? "too_short" : "too_long")])
        }
        try db.execute("""
            INSERT INTO client_note (note_id, client_id, store_id, text, author, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, ["n-" + RandomID.uuid().lowercased(), row.clientID, row.storeID, command.text,
                  ClientCommands.author(context), RFC3339.string(from: context.now)])
        return ClientStore.card(row, orders: try ClientStore.orders(db, clientID: row.clientID),
                                notes: try list(db, clientID: row.clientID))
    }

    /// The notes shown on a card, oldest first: its own and those of the clients merged into it.
    static func list(_ db: SQLDatabase, clientID: String) throws -> [ClientNote] {
        try db.rows("""
            WITH RECURSIVE family(id) AS (
                SELECT CAST(? AS TEXT)
                UNION SELECT m.merged_id FROM client_merge m JOIN family f ON m.survivor_id = f.id)
            SELECT n.note_id, n.client_id, n.text, n.author, n.created_at FROM client_note n JOIN family f ON n.client_id = f.id
            ORDER BY n.id
            """, [clientID]).map { row in
            let owner: String = row["client_id"]
            return ClientNote(noteID: row["note_id"], text: row["text"], author: row["author"],
                              createdAt: RFC3339.date(from: row["created_at"]) ?? Date(timeIntervalSince1970: 0),
                              clientID: owner == clientID ? nil : owner)
        }
    }
}
