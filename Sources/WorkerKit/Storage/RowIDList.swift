import SQLStore

/// Row ids as ONE statement parameter, for `WHERE id IN …` on either engine: a JSON array read
/// with `json_each` on SQLite, a `bigint[]` on PostgreSQL. The statement's text is the same for any
/// number of ids, so it is prepared once (an `IN (?, ?, …)` list would be a statement per count).
struct RowIDList {
    let ids: [Int64]

    init(_ ids: [Int64]) { self.ids = ids }

    /// `<column> IN (…)` or `<column> = ANY(…)`, with the one `?` that `argument` fills.
    func condition(_ column: String, on engine: SQLEngine) -> String {
        switch engine {
        case .sqlite: "\(column) IN (SELECT value FROM json_each(?))"
        case .postgres: "\(column) = ANY(?::bigint[])"
        }
    }

    func argument(on engine: SQLEngine) -> String {
        let list = ids.map(String.init).joined(separator: ",")
        return switch engine {
        case .sqlite: "[" + list + "]"
        case .postgres: "{" + list + "}"
        }
    }
}
