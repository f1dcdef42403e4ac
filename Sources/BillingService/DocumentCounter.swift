import SQLStore

/// Per-store numbering of documents: offers `Q-000001`, invoices `INV-000001`, without gaps
/// (the counter moves in the transaction that uses the number; a rolled-back one gives it back).
enum DocumentCounter {
    enum Kind: String {
        case offer = "Q"
        case invoice = "INV"
    }

    static func next(_ db: SQLDatabase, storeID: String, kind: Kind) throws -> String {
        let value = try db.value("""
            INSERT INTO billing_document_counter (store_id, kind, last_value) VALUES (?, ?, 1)
            ON CONFLICT (store_id, kind) DO UPDATE SET last_value = billing_document_counter.last_value + 1
            RETURNING last_value
            """, [storeID, kind.rawValue], as: Int64.self) ?? 1
        let digits = String(value)
        return kind.rawValue + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
