import Foundation

/// `client.address.add|update|remove` (schemas/client.address.*.schema.json): one edit of the
/// card's address list. `index` names the address as read with `version`; the schemas say which
/// of `index` and `address` each command takes.
public struct ClientAddressEdit: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var version: Int
    public var index: Int?
    public var address: ClientAddress?

    public init(storeID: String, clientID: String, version: Int, index: Int? = nil, address: ClientAddress? = nil) {
        self.storeID = storeID
        self.clientID = clientID
        self.version = version
        self.index = index
        self.address = address
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id", version, index, address }
}

/// `client.company.add|update|remove` (schemas/client.company.*.schema.json): one edit of the
/// card's company list, the same way.
public struct ClientCompanyEdit: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var version: Int
    public var index: Int?
    public var company: ClientCompany?

    public init(storeID: String, clientID: String, version: Int, index: Int? = nil, company: ClientCompany? = nil) {
        self.storeID = storeID
        self.clientID = clientID
        self.version = version
        self.index = index
        self.company = company
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id", version, index, company }
}
