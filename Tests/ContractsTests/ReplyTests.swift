import Contracts
import Foundation
import Testing

/// Replies and their error details, as services build them in Swift.
@Suite struct ReplyTests {
    @Test func errorDetailKeepsExtraKeysFlat() throws {
        let text = #"{"field":"email","problem":"already_used","client_id":"c1"}"#
        let detail = try JSONCoding.decoder.decode(ErrorDetail.self, from: Data(text.utf8))
        #expect(detail == ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string("c1")]))
        // The encoder sorts keys; what matters is that client_id sits beside field, not nested.
        #expect(String(decoding: try JSONCoding.encoder.encode(detail), as: UTF8.self)
            == #"{"client_id":"c1","field":"email","problem":"already_used"}"#)
    }

    @Test func failureReplyRoundTripsAndValidates() throws {
        let reply = Reply.failure(.validationFailed([
            ErrorDetail(field: "customer.phone", problem: "not_a_phone"),
            ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string("c1"), "count": .integer(2)]),
        ]))
        let json = try JSONValue.encoding(reply)
        #expect(json["error"]?["details"] == .literal("""
            [{"field": "customer.phone", "problem": "not_a_phone"},
             {"field": "email", "problem": "already_used", "client_id": "c1", "count": 2}]
            """))
        #expect(json["result"] == nil)
        #expect(try JSONCoding.decoder.decode(Reply.self, from: JSONCoding.encoder.encode(reply)) == reply)
        try expectValidReply(json)
    }

    @Test func successReplyCarriesAValidResult() throws {
        let status = ServiceStatus(service: "dedupe-service", version: "1.2.3", startedAt: Date(timeIntervalSince1970: 1_714_550_400),
                                   uptimeSeconds: 60, messagesHandled: 5, outboxDepth: 0, deadLetters: 0)
        let reply = try Reply.success(encoding: status)
        let json = try JSONValue.encoding(reply)
        #expect(json["error"] == nil)
        let result = try #require(json["result"])
        #expect(try Schemas.load().validate(result, type: "service_status.result") == [])
        #expect(result["started_at"] == .string("2024-05-01T08:00:00.000Z"))
        try expectValidReply(json)
    }

    @Test func bodyOfASuccessIsWhatTheEncoderWrites() throws {
        // The body is written directly for a success; it must read back as the same reply and, for
        // these values (no doubles), be the very bytes JSONEncoder wrote before.
        let result = JSONValue.literal(#"{"delivery_id": "d-1", "status": "pending", "n": 3, "list": [true, null, "a/\"b\""], "z": {}}"#)
        for reply in [Reply.success(result), Reply.success(.null), Reply.failure(ErrorBody(code: .notFound, message: "gone"))] {
            let body = try reply.body()
            #expect(body == (try JSONCoding.encoder.encode(reply)))
            let decoded = try JSONCoding.decoder.decode(Reply.self, from: body)
            #expect(decoded.ok == reply.ok && decoded.error == reply.error && (decoded.result ?? .null) == (reply.result ?? .null))
            try expectValidReply(try JSONValue.parse(body))
        }
    }

    @Test func schemaIssuesBecomeErrorDetails() throws {
        // What a worker answers to an invalid order: the issues as details of validation_failed.
        let order = try Repository.example("order.placed").setting("total.currency", to: .string("rub"))
        let issues = try #require(try Schemas.load().validate(order, type: "order.placed"))
        let reply = Reply.failure(.validationFailed(issues.map { ErrorDetail(field: $0.field, problem: $0.problem) }))
        #expect(reply.error?.message == "total.currency: pattern_mismatch")
        try expectValidReply(try JSONValue.encoding(reply))
    }

    @Test func everyErrorCodeIsInTheSchema() throws {
        let schema = try JSONValue.parse(Data(contentsOf: Repository.schemas.appendingPathComponent("error.schema.json")))
        let codes = schema["properties"]?["code"]?["enum"]
        #expect(codes == .array(ErrorCode.allCases.map { .string($0.rawValue) }))
    }

    private func expectValidReply(_ json: JSONValue) throws {
        #expect(try Schemas.load().validate(json, type: "reply") == [])
        let verdict = try PythonJSONSchema.validate([json], schema: "reply.schema.json")[0]
        #expect(verdict.valid, "Python said \(verdict.errors)")
    }
}
