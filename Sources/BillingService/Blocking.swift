import Contracts
import Foundation
import SQLStore
import WorkerKit

/// Whether an account is blocked, decided again after every change that can move it: a ledger
/// entry, a new limit or deferment, a payment created or removed, the overdue check. Blocked when
/// the balance is below the credit limit (prepaid: below zero; postpay: never) or an unpaid
/// payment passed its block-after deadline. Blocking suspends the account's active services and
/// publishes `billing.account.blocked`; unblocking resumes only those it suspended.
enum Blocking {
    struct State {
        var blocked: Bool
        var reason: String?
        var balance: Money
    }

    static func state(_ db: SQLDatabase, account: Account, now: Date) throws -> State {
        let balance = try Ledger.balance(db, account: account)
        guard account.joinedInto == nil else { return State(blocked: false, reason: nil, balance: balance) }
        // Switched off, an account keeps the state it had: deactivating a debtor's account resumes
        // none of its services; switched on again, it is decided anew.
        guard account.active else { return State(blocked: account.blocked, reason: account.blockedReason, balance: balance) }
        if !account.postpay, balance.amount < -account.creditLimit {
            return State(blocked: true, reason: "credit_limit", balance: balance)
        }
        if try overdueBlocking(db, account: account, now: now) {
            return State(blocked: true, reason: "overdue", balance: balance)
        }
        return State(blocked: false, reason: nil, balance: balance)
    }

    /// Whether a payment of the account can have a block-after deadline at all.
    static func canFallOverdue(_ account: Account) -> Bool {
        account.deferment == "days" || (account.deferment == "none" && account.blockAfterDays != nil)
    }

    static func overdueBlocking(_ db: SQLDatabase, account: Account, now: Date) throws -> Bool {
        guard canFallOverdue(account) else { return false }
        return try db.value("""
            SELECT COUNT(*) FROM billing_payment WHERE account_id = ? AND state = 'unpaid' AND block_at IS NOT NULL AND block_at <= ?
            """, [account.accountID, now], as: Int.self) ?? 0 > 0
    }

    /// `unblockReason`: what the caller changed (`limit_raised`, `deferment_changed`); a payment is `paid_up`.
    /// Returns the account as saved.
    @discardableResult
    static func evaluate(_ db: SQLDatabase, account: Account, context: HandlerContext,
                         unblockReason: String = "paid_up") throws -> Account {
        // Postpay with no deadlines never blocks: nothing to read (the hot path of shop orders).
        if account.postpay, !account.blocked, !canFallOverdue(account) { return account }
        var account = account
        let state = try Self.state(db, account: account, now: context.now)
        guard state.blocked != account.blocked else { return account }
        let changed: Int
        if state.blocked {
            changed = try db.execute("""
                UPDATE billing_service SET state = 'suspended', suspended_by_block = TRUE, updated_at = ?, updated_by = ?
                WHERE account_id = ? AND state = 'active'
                """, [context.now, context.sender.userID, account.accountID])
            account.blocked = true
            account.blockedReason = state.reason
            account.blockedAt = context.now
        } else {
            changed = try db.execute("""
                UPDATE billing_service SET state = 'active', suspended_by_block = FALSE, updated_at = ?, updated_by = ?
                WHERE account_id = ? AND state = 'suspended' AND suspended_by_block
                """, [context.now, context.sender.userID, account.accountID])
            account.blocked = false
            account.blockedReason = nil
            account.blockedAt = nil
        }
        account.updatedAt = context.now
        try account.save(db)
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, field: "blocked",
                             old: state.blocked ? "false" : "true", new: state.blocked ? "true" : "false", context: context)
        let event = BillingAccountBlocking(
            storeID: account.storeID, clientID: account.clientID, accountID: account.accountID, providerID: account.providerID,
            reason: state.reason ?? unblockReason, balance: state.balance, servicesChanged: changed, at: context.now)
        try context.publish(event: event, type: state.blocked ? "billing.account.blocked" : "billing.account.unblocked")
        return account
    }

    /// Brings an account's services in line with its state after services moved between accounts
    /// (a merge or an unmerge): suspended by the block when blocked, resumed when not.
    static func alignServices(_ db: SQLDatabase, account: Account, context: HandlerContext) throws {
        if account.blocked {
            try db.execute("""
                UPDATE billing_service SET state = 'suspended', suspended_by_block = TRUE, updated_at = ?, updated_by = ?
                WHERE account_id = ? AND state = 'active'
                """, [context.now, context.sender.userID, account.accountID])
        } else {
            try db.execute("""
                UPDATE billing_service SET state = 'active', suspended_by_block = FALSE, updated_at = ?, updated_by = ?
                WHERE account_id = ? AND state = 'suspended' AND suspended_by_block
                """, [context.now, context.sender.userID, account.accountID])
        }
    }

    /// `billing.overdue.check`: every unblocked account of the store with an unpaid payment past its deadline.
    static func checkOverdue(_ db: SQLDatabase, _ check: BillingOverdueCheck, _ context: HandlerContext) throws -> BillingOverdueCheckResult {
        let ids = try db.column("""
            SELECT DISTINCT p.account_id FROM billing_payment p JOIN billing_account a ON a.account_id = p.account_id
            WHERE p.store_id = ? AND p.state = 'unpaid' AND p.block_at IS NOT NULL AND p.block_at <= ? AND NOT a.blocked
            ORDER BY p.account_id
            """, [check.storeID, context.now], as: String.self)
        var blocked: Int64 = 0
        for id in ids {
            guard let account = try Account.load(db, storeID: check.storeID, accountID: id, forUpdate: true) else { continue }
            if try evaluate(db, account: account, context: context).blocked { blocked += 1 }
        }
        return BillingOverdueCheckResult(checked: Int64(ids.count), blocked: blocked)
    }
}
