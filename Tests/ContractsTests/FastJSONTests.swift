import Contracts
import Foundation
import Testing

/// The hand-written JSON of the hot-path messages must say exactly what their Codable
/// conformances say: the same values read, the same bytes written, the same errors.
@Suite struct FastJSONTests {
    static let awkwardStrings = [
        "plain", "", "quote \" and backslash \\", "slash / stays", "new\nline\ttab\rreturn", "\u{8}\u{c}\u{1}\u{1f}\u{7f}",
        "Ёлка ё", "emoji 🛒 and 中文", "\u{2028}\u{2029}",
    ]

    private func fast<T: JSONValueDecodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        try T(json: JSONFields(json))
    }

    private func codable<T: Decodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: JSONCoding.encoder.encode(json))
    }

    @Test func orderPlacedReadsLikeItsDecodable() throws {
        let example = try Repository.example("order.placed")
        let variants = [
            example, example.setting("items", to: nil), example.setting("customer.phone", to: nil),
            example.setting("customer.last_name", to: .null), example.setting("placed_at", to: .string("2024-05-01T10:15:30.5+03:00")),
        ]
        for json in variants {
            #expect(try fast(OrderPlaced.self, json) == codable(OrderPlaced.self, json))
        }
    }

    @Test func orderAttributedReadsLikeItsDecodable() throws {
        let example = try Repository.example("order.attributed")
        for json in [example, example.setting("phone", to: nil)] {
            #expect(try fast(OrderAttributed.self, json) == codable(OrderAttributed.self, json))
        }
    }

    @Test(arguments: awkwardStrings) func orderAttributedWritesTheEncodersBytes(text: String) throws {
        let values = [
            OrderAttributed(storeID: text, orderID: "o-1", clientID: "c-1", placedAt: Date(timeIntervalSince1970: 1_714_558_530.25),
                            total: Money(amount: 125_000, currency: "RUB"), paymentMethod: .cashOnDelivery, matchedBy: .newGuest,
                            phone: "+79123456789", dedicatedOperatorID: text),
            OrderAttributed(storeID: "s", orderID: text, clientID: text, placedAt: Date(timeIntervalSince1970: -1.5),
                            total: Money(amount: -7, currency: text), paymentMethod: .card, matchedBy: .externalID),
        ]
        for value in values {
            let written = String(decoding: value.jsonData(), as: UTF8.self)
            let encoded = String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
            #expect(written == encoded)
        }
    }

    @Test func errorsNameTheFieldAsDecodingDoes() throws {
        let example = try Repository.example("order.placed")
        let cases: [(JSONValue, String, String)] = [
            (example.setting("customer.first_name", to: nil), "customer.first_name", "required"),
            (example.setting("store_id", to: .integer(5)), "store_id", "invalid_type"),
            (example.setting("payment_method", to: .string("bitcoin")), "payment_method", "invalid_value"),
            (example.setting("placed_at", to: .string("yesterday")), "placed_at", "invalid_value"),
            (example.setting("items[0].quantity", to: .string("two")), "items[0].quantity", "invalid_type"),
            (example.setting("total", to: .string("100")), "total", "invalid_type"),
            (example.setting("total.amount", to: .number(1.5)), "total.amount", "invalid_type"),
        ]
        for (json, field, problem) in cases {
            #expect(throws: ErrorBody.validationFailed([ErrorDetail(field: field, problem: problem)])) {
                try fast(OrderPlaced.self, json)
            }
            #expect(throws: (any Error).self) { try codable(OrderPlaced.self, json) }
        }
    }

    @Test func timestampsAreWrittenWithMilliseconds() {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_714_558_530.25)) == "2024-05-01T10:15:30.250Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0), separator: " ", zone: "") == "1970-01-01 00:00:00.000")
    }
}

extension FastJSONTests {
    @Test(arguments: awkwardStrings) func orderPlacedWritesTheEncodersBytes(text: String) throws {
        var order = try JSONCoding.decoder.decode(OrderPlaced.self, from: Repository.exampleData("order.placed"))
        let plain = order
        order.customer.lastName = text
        order.customer.company = text
        order.items = (order.items ?? []) + [OrderItem(sku: text, name: text, quantity: 3, price: Money(amount: 0, currency: "RUB"))]
        var bare = order
        bare.items = nil
        bare.customer = OrderCustomer(externalID: text, firstName: text)
        for value in [plain, order, bare] {
            #expect(String(decoding: value.jsonData(), as: UTF8.self) == String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self))
        }
    }
}

extension FastJSONTests {
    @Test(arguments: awkwardStrings) func notificationOutcomeWritesTheEncodersBytes(text: String) throws {
        let at = Date(timeIntervalSince1970: 1_714_558_530.25)
        let values = [
            NotificationOutcome(storeID: text, deliveryID: "d-1", channel: .email, recipient: text, clientID: nil, template: text,
                                category: .transactional, attempts: 1, reason: nil, at: at),
            NotificationOutcome(storeID: "s", deliveryID: text, channel: .webhook, recipient: "https://x", clientID: text,
                                template: "", category: .marketing, attempts: 12, reason: text, at: at,
                                webhookID: text, eventID: text, eventType: text),
        ]
        for value in values {
            #expect(String(decoding: value.jsonData(), as: UTF8.self) == String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self))
        }
    }

    @Test(arguments: awkwardStrings) func emailAttachmentReadsAndWritesLikeItsCodable(text: String) throws {
        let value = EmailAttachment(filename: text, contentType: "application/pdf", contentBase64: text)
        #expect(String(decoding: value.jsonData(), as: UTF8.self) == String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self))
        #expect(try EmailAttachment(json: JSONFields(JSONValue.parse(value.jsonData()))) == value)
    }
}

extension FastJSONTests {
    @Test func notificationSendReadsLikeItsDecodable() throws {
        let example = try Repository.example("notification.send")
        let variants = [
            example, example.setting("params", to: nil), example.setting("locale", to: .null), example.setting("recipient", to: nil),
            example.setting("client_id", to: .string("c-1")), example.setting("category", to: .string("marketing")),
            example.setting("attachments", to: .array([.object(["filename": .string("a.pdf"), "content_type": .string("application/pdf"),
                                                                "content_base64": .string("JVBERg==")])])),
        ]
        for json in variants {
            #expect(try fast(NotificationSend.self, json) == codable(NotificationSend.self, json))
        }
        #expect(throws: ErrorBody.validationFailed([ErrorDetail(field: "category", problem: "invalid_value")])) {
            try fast(NotificationSend.self, example.setting("category", to: .string("spam")))
        }
        #expect(throws: ErrorBody.validationFailed([ErrorDetail(field: "params", problem: "invalid_type")])) {
            try fast(NotificationSend.self, example.setting("params", to: .array([])))
        }
    }
}
