import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.account.open/update/get/list/history`.
enum AccountHandlers {
    static func open(_ db: SQLDatabase, _ command: BillingAccountOpen, _ context: HandlerContext) throws -> BillingAccount {
        let provider = try ProviderHandlers.require(db, storeID: command.storeID, providerID: command.providerID)
        guard let connected = try BillingClientCopy.connectedProviders(db, storeID: command.storeID, clientID: command.clientID) else {
            throw ErrorBody(code: .notFound, message: "no client \(command.clientID) in store \(command.storeID)",
                            details: [ErrorDetail(field: "client_id", problem: "not_found")])
        }
        guard connected.contains(command.providerID) else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "provider_id", problem: "not_connected")],
                                             message: "client \(command.clientID) is not connected to provider \(command.providerID)")
        }
        let currency = command.currency ?? provider.currency
        guard currency == provider.currency else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "currency", problem: "currency_mismatch")],
                                             message: "provider \(provider.providerID) bills in \(provider.currency)")
        }
        var account = Account(accountID: command.accountID ?? RandomID.uuid(), storeID: command.storeID, clientID: command.clientID,
                              providerID: command.providerID, currency: currency, createdAt: context.now,
                              createdBy: context.sender.userID)
        account.postpay = command.postpay ?? false
        account.creditLimit = command.creditLimit ?? 0
        account.deferment = command.deferment ?? "none"
        account.defermentDays = command.defermentDays ?? 0
        account.blockAfterDays = command.blockAfterDays
        account.referrerID = command.referrerID
        account.active = command.active ?? true
        try checkDeferment(account)
        if account.active, try activeAccount(db, storeID: account.storeID, clientID: account.clientID, providerID: account.providerID) != nil {
            throw ErrorBody(code: .conflict, message: "client \(account.clientID) has an active account with \(account.providerID)",
                            details: [ErrorDetail(field: "provider_id", problem: "already_open")])
        }
        if try db.value("SELECT 1 FROM billing_account WHERE account_id = ?", [account.accountID], as: Int.self) != nil {
            throw ErrorBody(code: .conflict, message: "account \(account.accountID) exists",
                            details: [ErrorDetail(field: "account_id", problem: "taken")])
        }
        try account.insert(db)
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, field: "opened", old: nil,
                             new: "\(account.providerID) \(account.currency)", context: context)
        return try view(db, Blocking.evaluate(db, account: account, context: context), now: context.now)
    }

    static func update(_ db: SQLDatabase, _ command: BillingAccountUpdate, _ context: HandlerContext) throws -> BillingAccount {
        let old = try Account.require(db, storeID: command.storeID, accountID: command.accountID, forUpdate: true)
        var account = old
        if let v = command.postpay { account.postpay = v }
        if let v = command.creditLimit { account.creditLimit = v }
        if let v = command.deferment { account.deferment = v }
        if let v = command.defermentDays { account.defermentDays = v }
        if let v = command.blockAfterDays { account.blockAfterDays = v }
        if let v = command.referrerID { account.referrerID = v }
        if let v = command.active { account.active = v }
        try checkDeferment(account)
        if account.active, !old.active,
           let other = try activeAccount(db, storeID: account.storeID, clientID: account.clientID, providerID: account.providerID),
           other != account.accountID {
            throw ErrorBody(code: .conflict, message: "client \(account.clientID) has an active account with \(account.providerID): \(other)",
                            details: [ErrorDetail(field: "active", problem: "already_open")])
        }
        account.updatedAt = context.now
        try account.save(db)
        try ChangeLog.compare(db, account, field: "active", old.active, account.active, context: context)
        try ChangeLog.compare(db, account, field: "postpay", old.postpay, account.postpay, context: context)
        try ChangeLog.compare(db, account, field: "credit_limit", old.creditLimit, account.creditLimit, context: context)
        try ChangeLog.compare(db, account, field: "deferment", old.deferment, account.deferment, context: context)
        try ChangeLog.compare(db, account, field: "deferment_days", old.defermentDays, account.defermentDays, context: context)
        try ChangeLog.compare(db, account, field: "block_after_days", old.blockAfterDays, account.blockAfterDays, context: context)
        try ChangeLog.compare(db, account, field: "referrer_id", old.referrerID, account.referrerID, context: context)
        if account.deferment != old.deferment || account.defermentDays != old.defermentDays || account.blockAfterDays != old.blockAfterDays {
            try PaymentDeadlines.recompute(db, account: account)
        }
        let limitMoved = account.creditLimit != old.creditLimit || account.postpay != old.postpay
        let saved = try Blocking.evaluate(db, account: account, context: context,
                                          unblockReason: limitMoved ? "limit_raised" : "deferment_changed")
        return try view(db, saved, now: context.now)
    }

    static func get(_ db: SQLDatabase, _ query: BillingAccountRef, _ context: HandlerContext) throws -> BillingAccount {
        try view(db, Account.require(db, storeID: query.storeID, accountID: query.accountID), now: context.now)
    }

    static func list(_ db: SQLDatabase, _ query: BillingAccountList, _ context: HandlerContext) throws -> BillingAccountListResult {
        let rows = try db.rows("SELECT * FROM billing_account WHERE store_id = ? AND client_id = ? ORDER BY created_at, account_id",
                               [query.storeID, query.clientID])
        return BillingAccountListResult(accounts: try rows.map { try view(db, Account(row: $0), now: context.now) })
    }

    static func history(_ db: SQLDatabase, _ query: BillingAccountRef, _ context: HandlerContext) throws -> BillingHistoryResult {
        _ = try Account.require(db, storeID: query.storeID, accountID: query.accountID)
        return try ChangeLog.history(db, storeID: query.storeID, subjectID: query.accountID)
    }

    static func activeAccount(_ db: SQLDatabase, storeID: String, clientID: String, providerID: String) throws -> String? {
        try db.value("""
            SELECT account_id FROM billing_account
            WHERE store_id = ? AND client_id = ? AND provider_id = ? AND active AND joined_into IS NULL
            """, [storeID, clientID, providerID], as: String.self)
    }

    static func checkDeferment(_ account: Account) throws {
        if account.deferment == "days", let after = account.blockAfterDays, after < account.defermentDays {
            throw ErrorBody.validationFailed([ErrorDetail(field: "block_after_days", problem: "before_deferment_ends")],
                                             message: "services cannot block before the deferment ends")
        }
    }

    /// The account as answered: balance from the ledger, credit left, overdue, turnover, services.
    static func view(_ db: SQLDatabase, _ account: Account, now: Date) throws -> BillingAccount {
        let balance = try Ledger.balance(db, account: account)
        let overdue = try db.value("""
            SELECT COALESCE(SUM(amount), 0) FROM billing_payment WHERE account_id = ? AND state = 'unpaid' AND due_at IS NOT NULL AND due_at < ?
            """, [account.accountID, now], as: Int64.self) ?? 0
        let services = try db.rows("SELECT state, COUNT(*) AS n FROM billing_service WHERE account_id = ? GROUP BY state",
                                   [account.accountID])
        func count(_ state: String) -> Int { services.first { ($0["state"] as String) == state }.map { $0["n"] as Int } ?? 0 }
        return BillingAccount(
            storeID: account.storeID, accountID: account.accountID, clientID: account.clientID, providerID: account.providerID,
            currency: account.currency, postpay: account.postpay, creditLimit: account.creditLimit, deferment: account.deferment,
            defermentDays: account.defermentDays, blockAfterDays: account.blockAfterDays, referrerID: account.referrerID,
            active: account.active, available: account.available, joinedInto: account.joinedInto, balance: balance,
            creditLeft: account.postpay ? nil : Money(amount: balance.amount + account.creditLimit, currency: account.currency),
            overdue: Money(amount: overdue, currency: account.currency),
            turnoverYear: try Ledger.yearlyTurnover(db, account: account, now: now), blocked: account.blocked,
            blockedReason: account.blockedReason, blockedAt: account.blockedAt, servicesActive: count("active"),
            servicesSuspended: count("suspended"), createdAt: account.createdAt, createdBy: account.createdBy,
            updatedAt: account.updatedAt)
    }
}
