import Foundation
import GRDB

/// A client of a store as far as order attribution needs it; the full card comes with the
/// client registry commands.
struct Client: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "client"

    var id: String
    var storeID: String
    var externalID: String?
    var firstName: String
    var lastName: String?
    var phone: String?
    var email: String?
    var source: String
    var dedicatedOperatorID: String?
    var version: Int
    var deleted: Bool
    var mergedInto: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, source, version, deleted, phone, email
        case storeID = "store_id", externalID = "external_id", firstName = "first_name", lastName = "last_name"
        case dedicatedOperatorID = "dedicated_operator_id", mergedInto = "merged_into"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    /// The live client of a store with this value in `column`: neither deleted nor merged away.
    static func live(_ db: Database, storeID: String, column: String, value: String) throws -> Client? {
        try Client.filter(Column("store_id") == storeID && Column(column) == value
                          && Column("deleted") == false && Column("merged_into") == nil)
            .order(Column("created_at"))
            .fetchOne(db)
    }
}
