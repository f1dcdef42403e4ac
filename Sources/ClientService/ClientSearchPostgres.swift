import SQLStore

/// Free-text search on PostgreSQL: table `client_search` (one row per client: its store, the
/// document's words and the company words as `tsvector`s of the `simple` configuration, GIN
/// indexed), in place of SQLite's FTS5 table. The words are the ones `ClientSearchIndex` folds
/// and splits in Swift, so both engines index and match the same terms; `seq` numbers the
/// clients in the order they were added, the order (and cursor) of a search's pages.
enum ClientSearchPostgres {
    /// Writes the client's entry; an existing entry keeps its `seq`, so pages stay stable.
    static func write(_ db: SQLDatabase, clientID: String, storeID: String, document: String, companies: String) throws {
        let words = (ClientSearchIndex.words(document + " " + companies) ?? []).joined(separator: " ")
        let companyWords = (ClientSearchIndex.words(companies) ?? []).joined(separator: " ")
        try db.enqueue("""
            INSERT INTO client_search (client_id, store_id, document, company)
            VALUES (?, ?, to_tsvector('simple', ?), to_tsvector('simple', ?))
            ON CONFLICT (client_id) DO UPDATE SET document = excluded.document, company = excluded.company
            """, [clientID, storeID, words, companyWords])
    }

    /// A `to_tsquery` text: every term a prefix (`anna:* & petrov:*`). Terms are runs of letters
    /// and digits only, so nothing in them is tsquery syntax.
    static func query(_ terms: [String]) -> String {
        terms.map { "\($0):*" }.joined(separator: " & ")
    }
}
