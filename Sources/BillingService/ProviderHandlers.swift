import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.provider.upsert/get/list`: a store's providers. A provider whose currency changes
/// leaves its accounts in the old currency unavailable (they keep their ledger and history); the
/// store's default provider (`default`) is the one shop orders are billed with: one per store.
enum ProviderHandlers {
    static func upsert(_ db: SQLDatabase, _ change: BillingProviderUpsert, _ context: HandlerContext) throws -> BillingProvider {
        let old = try load(db, storeID: change.storeID, providerID: change.providerID, forUpdate: true)
        var provider = BillingProvider(
            storeID: change.storeID, providerID: change.providerID, name: change.name, currency: change.currency,
            freeRequests: change.freeRequests ?? old?.freeRequests ?? 0, requestPeriod: change.requestPeriod ?? old?.requestPeriod ?? "month",
            extraRequestPrice: change.extraRequestPrice ?? old?.extraRequestPrice ?? 0,
            loginAtRegistration: change.loginAtRegistration ?? old?.loginAtRegistration ?? false,
            isDefault: change.isDefault ?? old?.isDefault ?? false, updatedAt: context.now, updatedBy: context.sender.userID)
        if provider.isDefault {
            try db.execute("UPDATE billing_provider SET is_default = FALSE WHERE store_id = ? AND provider_id <> ?",
                           [provider.storeID, provider.providerID])
        }
        try db.execute("""
            INSERT INTO billing_provider (store_id, provider_id, name, currency, free_requests, request_period, extra_request_price,
                login_at_registration, is_default, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id, provider_id) DO UPDATE SET name = excluded.name, currency = excluded.currency,
                free_requests = excluded.free_requests, request_period = excluded.request_period,
                extra_request_price = excluded.extra_request_price, login_at_registration = excluded.login_at_registration,
                is_default = excluded.is_default, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, [provider.storeID, provider.providerID, provider.name, provider.currency, provider.freeRequests, provider.requestPeriod,
                  provider.extraRequestPrice, provider.loginAtRegistration, provider.isDefault, context.now, context.now,
                  provider.updatedBy])
        if let old, old.currency != provider.currency {
            // Accounts in the old currency stop taking movements; those in the new one (opened before a change back) return.
            let accounts = try db.column("""
                SELECT account_id FROM billing_account WHERE store_id = ? AND provider_id = ? AND available <> (currency = ?)
                """, [provider.storeID, provider.providerID, provider.currency], as: String.self)
            for id in accounts {
                guard var account = try Account.load(db, storeID: provider.storeID, accountID: id, forUpdate: true) else { continue }
                account.available = account.currency == provider.currency
                account.updatedAt = context.now
                try account.save(db)
                try ChangeLog.record(db, storeID: account.storeID, accountID: id, field: "available", old: "\(!account.available)",
                                     new: "\(account.available)", context: context)
            }
        }
        provider.updatedAt = context.now
        return provider
    }

    static func get(_ db: SQLDatabase, _ query: BillingProviderRef, _ context: HandlerContext) throws -> BillingProvider {
        try require(db, storeID: query.storeID, providerID: query.providerID)
    }

    static func list(_ db: SQLDatabase, _ query: BillingProviderList, _ context: HandlerContext) throws -> BillingProviderListResult {
        BillingProviderListResult(providers: try db.rows("SELECT * FROM billing_provider WHERE store_id = ? ORDER BY provider_id",
                                                         [query.storeID]).map(provider(row:)))
    }

    static func load(_ db: SQLDatabase, storeID: String, providerID: String, forUpdate: Bool = false) throws -> BillingProvider? {
        try db.row("SELECT * FROM billing_provider WHERE store_id = ? AND provider_id = ?" + (forUpdate ? db.forUpdate : ""),
                   [storeID, providerID]).map(provider(row:))
    }

    static func require(_ db: SQLDatabase, storeID: String, providerID: String) throws -> BillingProvider {
        guard let provider = try load(db, storeID: storeID, providerID: providerID) else {
            throw ErrorBody(code: .notFound, message: "no provider \(providerID) in store \(storeID)",
                            details: [ErrorDetail(field: "provider_id", problem: "not_found")])
        }
        return provider
    }

    static func defaultProvider(_ db: SQLDatabase, storeID: String) throws -> BillingProvider? {
        try db.row("SELECT * FROM billing_provider WHERE store_id = ? AND is_default", [storeID]).map(provider(row:))
    }

    static func provider(row: SQLRow) -> BillingProvider {
        BillingProvider(storeID: row["store_id"], providerID: row["provider_id"], name: row["name"], currency: row["currency"],
                        freeRequests: row["free_requests"], requestPeriod: row["request_period"],
                        extraRequestPrice: row["extra_request_price"], loginAtRegistration: row["login_at_registration"],
                        isDefault: row["is_default"], updatedAt: row["updated_at"], updatedBy: row["updated_by"])
    }
}
