import Foundation

// The hand-written JSON of the messages that go once per order: `order.placed` written by shops
// (and the benchmark's load) and read by client-service, `order.attributed` written by it and
// read by reliability-service. Keys are
// the same as in the types' CodingKeys; ContractsTests/FastJSONTests hold both paths equal.

extension OrderPlaced: JSONValueDecodable, JSONWritable {
    public init(json: JSONFields) throws {
        self.init(
            storeID: try json.string("store_id"), orderID: try json.string("order_id"), placedAt: try json.date("placed_at"),
            customer: try OrderCustomer(json: json.object("customer")), total: try Money(json: json.object("total")),
            paymentMethod: try json.value("payment_method", as: PaymentMethod.self),
            items: try json.optionalArray("items") { try OrderItem(json: JSONFields($0, path: $1)) })
    }

    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("customer", customer)
            json.field("items", items)
            json.field("order_id", orderID)
            json.field("payment_method", paymentMethod.rawValue)
            json.field("placed_at", placedAt)
            json.field("store_id", storeID)
            json.field("total", total)
        }
    }
}

extension OrderCustomer: JSONValueDecodable, JSONWritable {
    public init(json: JSONFields) throws {
        self.init(
            externalID: try json.optionalString("external_id"), firstName: try json.string("first_name"),
            lastName: try json.optionalString("last_name"), phone: try json.optionalString("phone"),
            email: try json.optionalString("email"), company: try json.optionalString("company"), inn: try json.optionalString("inn"))
    }

    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("company", company)
            json.field("email", email)
            json.field("external_id", externalID)
            json.field("first_name", firstName)
            json.field("inn", inn)
            json.field("last_name", lastName)
            json.field("phone", phone)
        }
    }
}

extension OrderItem: JSONValueDecodable, JSONWritable {
    public init(json: JSONFields) throws {
        let quantity = try json.int64("quantity")
        self.init(sku: try json.string("sku"), name: try json.string("name"), quantity: Int(clamping: quantity),
                  price: try Money(json: json.object("price")))
    }

    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("name", name)
            json.field("price", price)
            json.field("quantity", Int64(quantity))
            json.field("sku", sku)
        }
    }
}

extension Money: JSONValueDecodable, JSONWritable {
    public init(json: JSONFields) throws {
        self.init(amount: try json.int64("amount"), currency: try json.string("currency"))
    }

    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("amount", amount)
            json.field("currency", currency)
        }
    }
}

extension OrderAttributed: JSONValueDecodable, JSONWritable {
    public init(json: JSONFields) throws {
        self.init(
            storeID: try json.string("store_id"), orderID: try json.string("order_id"), clientID: try json.string("client_id"),
            placedAt: try json.date("placed_at"), total: try Money(json: json.object("total")),
            paymentMethod: try json.value("payment_method", as: PaymentMethod.self),
            matchedBy: try json.value("matched_by", as: MatchedBy.self), phone: try json.optionalString("phone"),
            dedicatedOperatorID: try json.optionalString("dedicated_operator_id"))
    }

    /// Keys in byte order, as `JSONCoding.encoder` sorts them.
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("client_id", clientID)
            json.field("dedicated_operator_id", dedicatedOperatorID)
            json.field("matched_by", matchedBy.rawValue)
            json.field("order_id", orderID)
            json.field("payment_method", paymentMethod.rawValue)
            json.field("phone", phone)
            json.field("placed_at", placedAt)
            json.field("store_id", storeID)
            json.field("total", total)
        }
    }
}
