import Foundation

// The billing commands that go once per expense or payment, read by hand from the JSON value the
// worker has already parsed and validated: the generic `Decodable` reader was a tenth of
// billing-service's CPU per command. Keys are the same as in the types' CodingKeys;
// ContractsTests/BillingFastJSONTests hold both paths equal.

extension BillingExpenseCreate: JSONValueDecodable {
    public init(json: JSONFields) throws {
        self.init(
            storeID: try json.string("store_id"), accountID: try json.string("account_id"),
            expenseID: try json.optionalString("expense_id"), amount: try Money(json: json.object("amount")),
            description: try json.optionalString("description"), productType: try json.optionalString("product_type"),
            date: try json.date("date"), promotion: try json.optionalObject("promotion").map(BillingPromotion.init(json:)))
    }
}

extension BillingPromotion: JSONValueDecodable {
    public init(json: JSONFields) throws {
        self.init(
            promotionID: try json.string("promotion_id"), kind: try json.value("kind", as: BillingDiscount.Kind.self),
            percent: try json.optionalString("percent"), amount: try json.optionalObject("amount").map(Money.init(json:)))
    }
}

extension BillingPaymentCreate: JSONValueDecodable {
    public init(json: JSONFields) throws {
        self.init(
            storeID: try json.string("store_id"), accountID: try json.string("account_id"),
            paymentID: try json.optionalString("payment_id"),
            expenseIDs: try json.optionalArray("expense_ids") { value, path in
                guard case .string(let id) = value else { throw JSONFields.problem(path, "invalid_type") }
                return id
            },
            amount: try json.optionalObject("amount").map(Money.init(json:)), method: try json.optionalString("method"),
            description: try json.optionalString("description"))
    }
}

extension BillingPaymentRef: JSONValueDecodable {
    public init(json: JSONFields) throws {
        self.init(storeID: try json.string("store_id"), paymentID: try json.string("payment_id"))
    }
}
