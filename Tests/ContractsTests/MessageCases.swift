import Contracts
import Foundation

/// Variations of the examples, one keyword at a time, that Python jsonschema and the Swift
/// validator must both judge the same way.
enum MessageCases {
    static let order = example("order.placed")
    static let status = example("order.status_changed")
    static let result = example("service_status.result")

    static let invalid: [MessageCase] = [
        .invalid("missing store_id", "order.placed", order.setting("store_id", to: nil), "store_id", "required"),
        .invalid("store_id not a string", "order.placed", order.setting("store_id", to: .integer(42)), "store_id", "invalid_type"),
        .invalid("empty store_id", "order.placed", order.setting("store_id", to: .string("")), "store_id", "too_short"),
        .invalid("order_id too long", "order.placed", order.setting("order_id", to: .string(String(repeating: "9", count: 129))), "order_id", "too_long"),
        .invalid("amount 12.5", "order.placed", order.setting("total.amount", to: .number(12.5)), "total.amount", "invalid_type"),
        .invalid("amount as a string", "order.placed", order.setting("total.amount", to: .string("2598")), "total.amount", "invalid_type"),
        .invalid("negative total", "order.placed", order.setting("total.amount", to: .integer(-1)), "total.amount", "below_minimum"),
        .invalid("currency rub", "order.placed", order.setting("total.currency", to: .string("rub")), "total.currency", "pattern_mismatch"),
        .invalid("currency RUBL", "order.placed", order.setting("total.currency", to: .string("RUBL")), "total.currency", "pattern_mismatch"),
        .invalid("unknown field shipping", "order.placed", order.setting("shipping", to: .literal(#"{"amount": 0}"#)), "shipping", "not_allowed"),
        .invalid("unknown customer field", "order.placed", order.setting("customer.nickname", to: .string("ann")), "customer.nickname", "not_allowed"),
        .invalid("bad e-mail", "order.placed", order.setting("customer.email", to: .string("anna.example.ru")), "customer.email", "invalid_format"),
        .invalid("date without time", "order.placed", order.setting("placed_at", to: .string("2024-05-01")), "placed_at", "invalid_format"),
        .invalid("month 13", "order.placed", order.setting("placed_at", to: .string("2024-13-01T10:00:00Z")), "placed_at", "invalid_format"),
        .invalid("space for T", "order.placed", order.setting("placed_at", to: .string("2024-05-01 10:15:30Z")), "placed_at", "invalid_format"),
        .invalid("no time zone", "order.placed", order.setting("placed_at", to: .string("2024-05-01T10:15:30")), "placed_at", "invalid_format"),
        .invalid("unknown payment method", "order.placed", order.setting("payment_method", to: .string("bitcoin")), "payment_method", "not_in_enum"),
        .invalid("customer with only first_name", "order.placed", order.setting("customer", to: .literal(#"{"first_name": "Анна"}"#)), "customer", "no_match"),
        .invalid("customer without first_name", "order.placed", order.setting("customer.first_name", to: nil), "customer.first_name", "required"),
        .invalid("empty first_name", "order.placed", order.setting("customer.first_name", to: .string("")), "customer.first_name", "too_short"),
        .invalid("empty phone", "order.placed", order.setting("customer.phone", to: .string("")), "customer.phone", "too_short"),
        .invalid("inn of 11 digits", "order.placed", order.setting("customer.inn", to: .string("77070838931")), "customer.inn", "pattern_mismatch"),
        .invalid("inn with letters", "order.placed", order.setting("customer.inn", to: .string("77070838AB")), "customer.inn", "pattern_mismatch"),
        .invalid("quantity 0", "order.placed", order.setting("items[0].quantity", to: .integer(0)), "items[0].quantity", "below_minimum"),
        .invalid("quantity 1.5", "order.placed", order.setting("items[1].quantity", to: .number(1.5)), "items[1].quantity", "invalid_type"),
        .invalid("item price without currency", "order.placed", order.setting("items[1].price.currency", to: nil), "items[1].price.currency", "required"),
        .invalid("items not an array", "order.placed", order.setting("items", to: .literal("{}")), "items", "invalid_type"),
        .invalid("1001 items", "order.placed", order.setting("items", to: .array(Array(repeating: order["items"]!.arrayItem(0), count: 1001))), "items", "too_many_items"),
        .invalid("body is an array", "order.placed", .literal("[]"), "", "invalid_type"),
        .invalid("status cancelled", "order.status_changed", status.setting("status", to: .string("cancelled")), "status", "not_in_enum"),
        .invalid("February 30", "order.status_changed", status.setting("changed_at", to: .string("2024-02-30T00:00:00Z")), "changed_at", "invalid_format"),
        .invalid("missing changed_at", "order.status_changed", status.setting("changed_at", to: nil), "changed_at", "required"),
        .invalid("ok false without error", "reply", .literal(#"{"ok": false}"#), "error", "required"),
        .invalid("ok true without result", "reply", .literal(#"{"ok": true}"#), "result", "required"),
        .invalid("ok true with an error", "reply", .literal(#"{"ok": true, "result": 1, "error": {"code": "internal", "message": "", "details": []}}"#), "error", "not_allowed"),
        .invalid("ok false with a result", "reply", .literal(#"{"ok": false, "result": 1, "error": {"code": "internal", "message": "", "details": []}}"#), "result", "not_allowed"),
        .invalid("unknown error code", "reply", .literal(#"{"ok": false, "error": {"code": "oops", "message": "", "details": []}}"#), "error.code", "not_in_enum"),
        .invalid("detail without problem", "reply", .literal(#"{"ok": false, "error": {"code": "conflict", "message": "", "details": [{"field": "email"}]}}"#), "error.details[0].problem", "required"),
        .invalid("ok as a string", "reply", .literal(#"{"ok": "yes", "result": 1}"#), "ok", "invalid_type"),
        .invalid("money without currency", "money", .literal(#"{"amount": 100}"#), "currency", "required"),
        .invalid("export of 1001 cards", "client.export", .literal(#"{"store_id": "s1", "limit": 1001}"#), "limit", "above_maximum"),
        .invalid("export of no cards", "client.export", .literal(#"{"store_id": "s1", "limit": 0}"#), "limit", "below_minimum"),
        .invalid("empty note", "client.note.add", .literal(#"{"store_id": "s1", "client_id": "c1", "text": ""}"#), "text", "too_short"),
        .invalid("note with an author", "client.note.add", .literal(#"{"store_id": "s1", "client_id": "c1", "text": "t", "author": "boss"}"#), "author", "not_allowed"),
        .invalid("status query with a field", "client-service.status", .literal(#"{"verbose": true}"#), "verbose", "not_allowed"),
        .invalid("negative uptime", "service_status.result", result.setting("uptime_seconds", to: .integer(-5)), "uptime_seconds", "below_minimum"),
        .invalid("started_at not a date", "service_status.result", result.setting("started_at", to: .string("yesterday")), "started_at", "invalid_format"),
        .invalid("max_phones 0", "dedupe.settings.update", example("dedupe.settings.update").setting("max_phones", to: .integer(0)), "max_phones", "below_minimum"),
        .invalid("merge refused without its error", "client.merge_refused", example("client.merge_refused").setting("error", to: nil), "error", "required"),
        .invalid("merge refused with an unknown error code", "client.merge_refused", example("client.merge_refused").setting("error.code", to: .string("nope")), "error.code", "not_in_enum"),
        .invalid("priority middle", "dedupe.settings.update", example("dedupe.settings.update").setting("priority", to: .string("middle")), "priority", "not_in_enum"),
        .invalid("promotion of 101 %", "billing.expense.create", example("billing.expense.create").setting("promotion.percent", to: .string("101")), "promotion.percent", "pattern_mismatch"),
        .invalid("promotion without an id", "billing.expense.create", example("billing.expense.create").setting("promotion.promotion_id", to: nil), "promotion.promotion_id", "required"),
        .invalid("promotion of a kind gift", "billing.expense.update", .literal(#"{"store_id": "s1", "expense_id": "e1", "promotion": {"promotion_id": "p", "kind": "gift"}}"#), "promotion.kind", "not_in_enum"),
    ]

    static let valid: [MessageCase] = [
        .valid("guest with a phone only", "order.placed", order.setting("customer", to: .literal(#"{"first_name": "Иван", "phone": "+79123456789"}"#))),
        .valid("e-mail only", "order.placed", order.setting("customer", to: .literal(#"{"first_name": "Li", "email": "li@example.com"}"#))),
        .valid("shop user id only", "order.placed", order.setting("customer", to: .literal(#"{"first_name": "Li", "external_id": "u1"}"#))),
        .valid("no items", "order.placed", order.setting("items", to: nil)),
        .valid("empty items", "order.placed", order.setting("items", to: .array([]))),
        .valid("free order", "order.placed", order.setting("total.amount", to: .integer(0))),
        .valid("quantity written 2.0", "order.placed", order.setting("items[0].quantity", to: .number(2.0))),
        .valid("inn of 12 digits", "order.placed", order.setting("customer.inn", to: .string("500100732259"))),
        .valid("offset and fraction", "order.placed", order.setting("placed_at", to: .string("2024-05-01T13:15:30.123456+03:00"))),
        .valid("leap day", "order.placed", order.setting("placed_at", to: .string("2024-02-29T00:00:00Z"))),
        .valid("first_name of 200 emoji", "order.placed", order.setting("customer.first_name", to: .string(String(repeating: "😀", count: 200)))),
        .valid("every status", "order.status_changed", status.setting("status", to: .string("refused"))),
        .valid("failure with extra detail keys", "reply", .literal(#"{"ok": false, "error": {"code": "conflict", "message": "m", "details": [{"field": "email", "problem": "already_used", "client_id": "c1"}]}}"#)),
        .valid("success with a null result", "reply", .literal(#"{"ok": true, "result": null}"#)),
        .valid("note of 4000 characters", "client.note.add", .literal(#"{"store_id": "s1", "client_id": "c1", "text": "\#(String(repeating: "я", count: 4000))"}"#)),
        .valid("negative money", "money", .literal(#"{"amount": -500, "currency": "USD"}"#)),
        .valid("fixed promotion", "billing.expense.create", example("billing.expense.create").setting("promotion", to: .literal(#"{"promotion_id": "p", "kind": "amount", "amount": {"amount": 500, "currency": "RUB"}}"#))),
        .valid("max_phones 3", "dedupe.settings.update", example("dedupe.settings.update").setting("max_phones", to: .integer(3))),
    ]

    private static func example(_ type: String) -> JSONValue {
        do { return try Repository.example(type) } catch { fatalError("cannot read example \(type): \(error)") }
    }
}

extension JSONValue {
    func arrayItem(_ i: Int) -> JSONValue {
        guard case .array(let elements) = self else { fatalError("not an array") }
        return elements[i]
    }
}
