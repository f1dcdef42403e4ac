import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `note_on_survivor`: when client-service has merged a group, the survivor gets a note with the
/// merged clients' data as the index knew it (names, e-mails, phones) and why they were merged,
/// through client-service's `client.note.add`, sent as dedupe-service.
enum SurvivorNote {
    static func add(_ db: SQLDatabase, storeID: String, survivorID: String, mergedIDs: [String], reasons: [DedupeGroup.Reason],
                    runID: String, context: HandlerContext) throws {
        guard try DedupeSettings.load(db, storeID: storeID).fields.noteOnSurvivor == true else { return }
        var lines: [String] = []
        for id in mergedIDs {
            let row = try db.row("SELECT first_name, last_name, email FROM dedupe_client WHERE client_id = ?", [id])
            let name = [row?["first_name"] as String?, row?["last_name"] as String?].compactMap { $0 }.joined(separator: " ")
            let phones = try db.column("SELECT value FROM dedupe_key WHERE client_id = ? AND kind = 'phone' ORDER BY value", [id],
                                       as: String.self)
            let parts = [name.isEmpty ? nil : name, row?["email"] as String?, phones.isEmpty ? nil : phones.joined(separator: ", ")]
            lines.append("\(id): " + parts.compactMap { $0 }.joined(separator: "; "))
        }
        let why = reasons.map { "\($0.kind) \($0.value)" }.joined(separator: ", ")
        let text = "Merged by dedupe-service (run \(runID)): " + lines.joined(separator: " | ") + (why.isEmpty ? "" : ". Tied by " + why)
        try context.send(command: ClientNoteAdd(storeID: storeID, clientID: survivorID, text: String(text.prefix(4000))),
                         type: "client.note.add")
    }
}
