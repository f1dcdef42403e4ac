import SQLStore

/// The cards a buyer's keys point at, read by `Client.byKeysSQL`: for each key the live card
/// holding it, and the first merged card holding one (its survivor is the buyer's when no live
/// card has any key).
struct BuyerCards {
    var live: [Client.Key: Client] = [:]
    var merged: Client?

    /// From rows whose first columns are a `Client`'s, then the arm (`Client.columns.count`);
    /// a row without an arm (an outer join that found no card) is skipped.
    init(_ rows: [SQLRow]) {
        var merged: (arm: Int, client: Client)?
        for row in rows {
            guard let arm: Int = row[Client.columns.count] else { continue }
            let client = Client(row: row)
            if arm < Client.Key.allCases.count {
                live[Client.Key.allCases[arm]] = client
            } else if merged == nil || arm < merged!.arm {
                merged = (arm, client)
            }
        }
        self.merged = merged?.client
    }
}
