import Foundation

/// `client.note.add` (schemas/client.note.add.schema.json). No author field: the author is the
/// broker-verified sender.
public struct ClientNoteAdd: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var text: String

    public init(storeID: String, clientID: String, text: String) {
        self.storeID = storeID
        self.clientID = clientID
        self.text = text
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id", text }
}

/// One note of a card's `notes` (schemas/client.card.schema.json).
public struct ClientNote: Codable, Sendable, Equatable {
    public var noteID: String
    public var text: String
    public var author: String
    public var createdAt: Date
    /// Set when the note was written on a client merged into the card it is shown on.
    public var clientID: String?

    public init(noteID: String, text: String, author: String, createdAt: Date, clientID: String? = nil) {
        self.noteID = noteID
        self.text = text
        self.author = author
        self.createdAt = createdAt
        self.clientID = clientID
    }

    enum CodingKeys: String, CodingKey {
        case noteID = "note_id", text, author, createdAt = "created_at", clientID = "client_id"
    }
}
