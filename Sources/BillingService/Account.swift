import Contracts
import Foundation
import SQLStore
import WorkerKit

/// A row of `billing_account`. It holds no balance: the balance is always the ledger's sum.
struct Account: Sendable, Equatable {
    var accountID: String
    var storeID: String
    var clientID: String
    var homeClientID: String
    var providerID: String
    var currency: String
    var postpay = false
    var creditLimit: Int64 = 0
    var deferment = "none"
    var defermentDays = 0
    var blockAfterDays: Int?
    var referrerID: String?
    var active = true
    var available = true
    var joinedInto: String?
    var blocked = false
    var blockedReason: String?
    var blockedAt: Date?
    var createdAt: Date
    var createdBy: String
    var updatedAt: Date

    init(row: SQLRow) {
        accountID = row["account_id"]; storeID = row["store_id"]; clientID = row["client_id"]
        homeClientID = row["home_client_id"]; providerID = row["provider_id"]; currency = row["currency"]
        postpay = row["postpay"]; creditLimit = row["credit_limit"]; deferment = row["deferment"]
        defermentDays = row["deferment_days"]; blockAfterDays = row["block_after_days"]; referrerID = row["referrer_id"]
        active = row["active"]; available = row["available"]; joinedInto = row["joined_into"]
        blocked = row["blocked"]; blockedReason = row["blocked_reason"]; blockedAt = row["blocked_at"]
        createdAt = row["created_at"]; createdBy = row["created_by"]; updatedAt = row["updated_at"]
    }

    /// The columns `init(listed:)` reads, in its order: every command loads its account, and
    /// reading by position spares a look-up of 21 names per load.
    static let listedColumns = """
        account_id, store_id, client_id, home_client_id, provider_id, currency, postpay, credit_limit, deferment,
        deferment_days, block_after_days, referrer_id, active, available, joined_into, blocked, blocked_reason, blocked_at,
        created_at, created_by, updated_at
        """

    static let loadSQL = "SELECT \(listedColumns) FROM billing_account WHERE account_id = ? AND store_id = ?"

    init(listed row: SQLRow) {
        accountID = row[0]; storeID = row[1]; clientID = row[2]; homeClientID = row[3]; providerID = row[4]; currency = row[5]
        postpay = row[6]; creditLimit = row[7]; deferment = row[8]; defermentDays = row[9]; blockAfterDays = row[10]
        referrerID = row[11]; active = row[12]; available = row[13]; joinedInto = row[14]; blocked = row[15]
        blockedReason = row[16]; blockedAt = row[17]; createdAt = row[18]; createdBy = row[19]; updatedAt = row[20]
    }

    init(accountID: String, storeID: String, clientID: String, providerID: String, currency: String, createdAt: Date, createdBy: String) {
        self.accountID = accountID; self.storeID = storeID; self.clientID = clientID; homeClientID = clientID
        self.providerID = providerID; self.currency = currency
        self.createdAt = createdAt; self.createdBy = createdBy; updatedAt = createdAt
    }

    /// An account of another store reads as unknown. `forUpdate`: the caller changes the account or
    /// its ledger, so replicas working on one account take turns.
    static func load(_ db: SQLDatabase, storeID: String, accountID: String, forUpdate: Bool = false) throws -> Account? {
        try db.row(forUpdate ? loadSQL + db.forUpdate : loadSQL, [accountID, storeID]).map(Account.init(listed:))
    }

    static func require(_ db: SQLDatabase, storeID: String, accountID: String, forUpdate: Bool = false) throws -> Account {
        guard let account = try load(db, storeID: storeID, accountID: accountID, forUpdate: forUpdate) else {
            throw ErrorBody(code: .notFound, message: "no account \(accountID) in store \(storeID)",
                            details: [ErrorDetail(field: "account_id", problem: "not_found")])
        }
        return account
    }

    /// An account that takes new movements: active, in its provider's currency, not joined into another.
    func requireWritable() throws {
        if let joinedInto {
            throw ErrorBody(code: .conflict, message: "account \(accountID) was joined into \(joinedInto) by a merge",
                            details: [ErrorDetail(field: "account_id", problem: "joined")])
        }
        guard available else {
            throw ErrorBody(code: .conflict, message: "account \(accountID) is in a currency its provider no longer uses",
                            details: [ErrorDetail(field: "account_id", problem: "unavailable")])
        }
    }

    func insert(_ db: SQLDatabase) throws {
        try db.execute("""
            INSERT INTO billing_account (account_id, store_id, client_id, home_client_id, provider_id, currency, postpay,
                credit_limit, deferment, deferment_days, block_after_days, referrer_id, active, available, joined_into,
                blocked, blocked_reason, blocked_at, created_at, created_by, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [accountID, storeID, clientID, homeClientID, providerID, currency, postpay, creditLimit, deferment,
                  defermentDays, blockAfterDays, referrerID, active, available, joinedInto, blocked, blockedReason,
                  blockedAt, createdAt, createdBy, updatedAt])
    }

    func save(_ db: SQLDatabase) throws {
        try db.execute("""
            UPDATE billing_account SET client_id = ?, postpay = ?, credit_limit = ?, deferment = ?, deferment_days = ?,
                block_after_days = ?, referrer_id = ?, active = ?, available = ?, joined_into = ?, blocked = ?,
                blocked_reason = ?, blocked_at = ?, updated_at = ? WHERE account_id = ?
            """, [clientID, postpay, creditLimit, deferment, defermentDays, blockAfterDays, referrerID, active, available,
                  joinedInto, blocked, blockedReason, blockedAt, updatedAt, accountID])
    }

    /// The moment a payment created at `created` is due, and the moment its account blocks if it is still unpaid.
    func deadlines(createdAt created: Date) -> (due: Date?, block: Date?) {
        let day: TimeInterval = 86_400
        switch deferment {
        case "unlimited": return (nil, nil)
        case "days":
            let due = created.addingTimeInterval(Double(defermentDays) * day)
            return (due, blockAfterDays.map { created.addingTimeInterval(Double($0) * day) } ?? due)
        default: return (created, blockAfterDays.map { created.addingTimeInterval(Double($0) * day) })
        }
    }
}
