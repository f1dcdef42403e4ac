import Contracts
import Foundation
import SQLStore

/// How a credited payment is spread over its expenses: in the order they were chosen, each up to
/// what it still owes; what is left stays on the account unallocated (an advance). The shares
/// never exceed the payment nor any expense: `allocated + unallocated == amount`, to the minor unit.
enum Allocation {
    /// The shares of `amount` over expenses owing `owed` (in order); pure, so the property test checks it alone.
    static func split(_ amount: Int64, over owed: [Int64]) -> [Int64] {
        var left = max(0, amount)
        return owed.map { owes in
            let share = min(max(0, owes), left)
            left -= share
            return share
        }
    }

    /// Returns the minor units allocated (the rest of `amount` stays unallocated).
    @discardableResult
    static func allocate(_ db: SQLDatabase, paymentID: String, storeID: String, amount: Int64, expenseIDs: [String],
                         at: Date) throws -> Int64 {
        var live: [(id: String, owes: Int64)] = []
        for id in expenseIDs {
            guard let row = try db.row(Expenses.owingSQL, [id]), !(row["deleted"] as Bool) else { continue }
            live.append((id, (row["total"] as Int64) - (row["paid"] as Int64)))
        }
        var allocated: Int64 = 0
        for (expense, share) in zip(live, split(amount, over: live.map(\.owes))) where share > 0 {
            try db.execute("""
                INSERT INTO billing_allocation (payment_id, expense_id, store_id, amount, allocated_at) VALUES (?, ?, ?, ?, ?)
                """, [paymentID, expense.id, storeID, share, at])
            allocated += share
        }
        return allocated
    }

    static func allocated(_ db: SQLDatabase, paymentID: String) throws -> Int64 {
        try db.value("SELECT COALESCE(SUM(amount), 0) FROM billing_allocation WHERE payment_id = ?", [paymentID], as: Int64.self) ?? 0
    }
}
