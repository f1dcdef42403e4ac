import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.merged` and `client.unmerged`. A merged client's account moves to the survivor; when the
/// survivor has an active account with the same provider (and currency), the ledgers are joined
/// instead: the merged account's entries, expenses, payments and services go into the survivor's
/// account (each keeps its `home_account_id`) and an entry of 0 says so. An unmerge gives back
/// every account whose client no longer belongs to the survivor, and splits joined ledgers by home.
enum AccountMerges {
    static let movable = ["billing_ledger", "billing_expense", "billing_payment", "billing_service"]

    static func merged(_ db: SQLDatabase, _ event: ClientMerged, _ context: HandlerContext) throws {
        let ids = event.mergedIDs.filter { $0 != event.survivorID }
        try BillingClientCopy.markMerged(db, storeID: event.storeID, ids: ids, into: event.survivorID)
        let owner = try BillingClientCopy.owner(db, storeID: event.storeID, clientID: event.survivorID)
        for id in ids {
            let accounts = try db.rows("""
                SELECT * FROM billing_account WHERE store_id = ? AND client_id = ? AND joined_into IS NULL ORDER BY account_id
                """ + db.forUpdate, [event.storeID, id]).map(Account.init(row:))
            for var account in accounts {
                let target = try AccountHandlers.activeAccount(db, storeID: event.storeID, clientID: owner, providerID: account.providerID)
                    .flatMap { try Account.load(db, storeID: event.storeID, accountID: $0, forUpdate: true) }
                if let target, account.active, target.currency == account.currency {
                    try join(db, account, into: target, context: context)
                    continue
                }
                let old = account.clientID
                account.clientID = owner
                // The survivor keeps its own active account; a second one with the provider (another currency) rests.
                if account.active, target != nil { account.active = false }
                account.updatedAt = context.now
                try account.save(db)
                try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, field: "client_id", old: old,
                                     new: owner, context: context)
            }
        }
    }

    static func join(_ db: SQLDatabase, _ account: Account, into target: Account, context: HandlerContext) throws {
        let balance = try Ledger.balance(db, account: account)
        for table in movable {
            try db.execute("UPDATE \(table) SET account_id = ? WHERE account_id = ?", [target.accountID, account.accountID])
        }
        var joined = account
        joined.joinedInto = target.accountID
        joined.blocked = false
        joined.blockedReason = nil
        joined.blockedAt = nil
        joined.updatedAt = context.now
        try joined.save(db)
        try Ledger.append(db, account: target, kind: .mergeJoined, amount: 0, currency: target.currency, ref: account.accountID,
                          note: "ledger of account \(account.accountID) (client \(account.clientID), balance \(balance.amount)) joined",
                          at: context.now, context: context)
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, field: "joined_into", old: nil,
                             new: target.accountID, context: context)
        try Blocking.alignServices(db, account: Blocking.evaluate(db, account: target, context: context), context: context)
    }

    static func unmerged(_ db: SQLDatabase, _ event: ClientUnmerged, _ context: HandlerContext) throws {
        try BillingClientCopy.markMerged(db, storeID: event.storeID, ids: event.restoredIDs, into: nil)
        // Joined ledgers first: an account goes back to its own client when that client is not the target's owner any more.
        let joined = try db.rows("SELECT * FROM billing_account WHERE store_id = ? AND joined_into IS NOT NULL ORDER BY account_id"
                                 + db.forUpdate, [event.storeID]).map(Account.init(row:))
        for account in joined {
            guard let targetID = account.joinedInto,
                  let target = try Account.load(db, storeID: event.storeID, accountID: targetID, forUpdate: true) else { continue }
            let mine = try BillingClientCopy.owner(db, storeID: event.storeID, clientID: account.clientID)
            let theirs = try BillingClientCopy.owner(db, storeID: event.storeID, clientID: target.clientID)
            if mine != theirs { try split(db, account, from: target, context: context) }
        }
        let moved = try db.rows("SELECT * FROM billing_account WHERE store_id = ? AND client_id <> home_client_id ORDER BY account_id"
                                + db.forUpdate, [event.storeID]).map(Account.init(row:))
        for var account in moved {
            let owner = try BillingClientCopy.owner(db, storeID: event.storeID, clientID: account.homeClientID)
            guard owner != account.clientID else { continue }
            let old = account.clientID
            account.clientID = owner
            account.updatedAt = context.now
            try account.save(db)
            try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, field: "client_id", old: old,
                                 new: owner, context: context)
        }
    }

    /// Takes back from `target` everything homed in `account` or in accounts joined into it.
    static func split(_ db: SQLDatabase, _ account: Account, from target: Account, context: HandlerContext) throws {
        var homes = [account.accountID]
        var index = 0
        while index < homes.count {
            homes += try db.column("SELECT account_id FROM billing_account WHERE joined_into = ?", [homes[index]], as: String.self)
            index += 1
        }
        let list = Array(repeating: "?", count: homes.count).joined(separator: ", ")
        for table in movable {
            let arguments: SQLArguments = [account.accountID, target.accountID] + homes.map { $0 }
            try db.execute("UPDATE \(table) SET account_id = ? WHERE account_id = ? AND home_account_id IN (\(list))", arguments)
        }
        var restored = account
        restored.joinedInto = nil
        restored.updatedAt = context.now
        try restored.save(db)
        let balance = try Ledger.balance(db, account: restored)
        try Ledger.append(db, account: restored, kind: .mergeSplit, amount: 0, currency: restored.currency, ref: target.accountID,
                          note: "ledger taken back from account \(target.accountID) (balance \(balance.amount))", at: context.now,
                          context: context)
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, field: "joined_into", old: target.accountID,
                             new: nil, context: context)
        try Blocking.alignServices(db, account: Blocking.evaluate(db, account: target, context: context), context: context)
        try Blocking.alignServices(db, account: Blocking.evaluate(db, account: restored, context: context), context: context)
    }
}
