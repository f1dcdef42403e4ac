import Contracts
import Foundation
import Testing

/// billing-service's per-command messages read by hand must read what their Decodable
/// conformances read, and refuse what they refuse naming the same field.
@Suite struct BillingFastJSONTests {
    private func fast<T: JSONValueDecodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        try T(json: JSONFields(json))
    }

    private func codable<T: Decodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: JSONCoding.encoder.encode(json))
    }

    @Test func expenseCreateReadsLikeItsDecodable() throws {
        let example = try Repository.example("billing.expense.create")
        let variants = [
            example, example.setting("promotion", to: nil), example.setting("promotion", to: .null),
            example.setting("description", to: nil), example.setting("product_type", to: .null),
            example.setting("expense_id", to: .string("e-1")), example.setting("date", to: .string("2026-05-01T13:15:31+03:00")),
            example.setting("promotion", to: .object(["promotion_id": .string("p"), "kind": .string("amount"),
                                                      "amount": .object(["amount": .integer(500), "currency": .string("RUB")])])),
        ]
        for json in variants {
            #expect(try fast(BillingExpenseCreate.self, json) == codable(BillingExpenseCreate.self, json))
        }
    }

    @Test func paymentCommandsReadLikeTheirDecodable() throws {
        let create = try Repository.example("billing.payment.create")
        let variants = [
            create, create.setting("expense_ids", to: nil), create.setting("expense_ids", to: .array([])),
            create.setting("payment_id", to: .string("p-1")), create.setting("method", to: .null),
            create.setting("amount", to: .object(["amount": .integer(700), "currency": .string("USD")])),
            create.setting("description", to: .string("за май")),
        ]
        for json in variants {
            #expect(try fast(BillingPaymentCreate.self, json) == codable(BillingPaymentCreate.self, json))
        }
        let ref = try Repository.example("billing.payment.credit")
        #expect(try fast(BillingPaymentRef.self, ref) == codable(BillingPaymentRef.self, ref))
    }

    @Test func errorsNameTheField() throws {
        let expense = try Repository.example("billing.expense.create")
        let payment = try Repository.example("billing.payment.create")
        let cases: [(JSONValue, String, String)] = [
            (expense.setting("account_id", to: nil), "account_id", "required"),
            (expense.setting("amount.amount", to: .string("1")), "amount.amount", "invalid_type"),
            (expense.setting("date", to: .string("yesterday")), "date", "invalid_value"),
            (expense.setting("promotion.kind", to: .string("gift")), "promotion.kind", "invalid_value"),
            (expense.setting("promotion", to: .string("spring")), "promotion", "invalid_type"),
        ]
        for (json, field, problem) in cases {
            #expect(throws: ErrorBody.validationFailed([ErrorDetail(field: field, problem: problem)])) {
                try fast(BillingExpenseCreate.self, json)
            }
            #expect(throws: (any Error).self) { try codable(BillingExpenseCreate.self, json) }
        }
        for (json, field, problem) in [(payment.setting("expense_ids", to: .array([.string("e"), .integer(3)])), "expense_ids[1]", "invalid_type"),
                                       (payment.setting("store_id", to: nil), "store_id", "required")] {
            #expect(throws: ErrorBody.validationFailed([ErrorDetail(field: field, problem: problem)])) {
                try fast(BillingPaymentCreate.self, json)
            }
            #expect(throws: (any Error).self) { try codable(BillingPaymentCreate.self, json) }
        }
    }
}
