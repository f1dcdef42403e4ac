import Contracts
import Foundation
@testable import NotificationService
import Testing

/// The e-mail effect's payload is written and read by hand: the same bytes as JSONEncoder, the
/// same value back as JSONDecoder reads.
@Suite struct EmailSendJSONTests {
    static let sends = [
        EmailSend(storeID: "s-1", deliveryID: "d-1", to: "anna@example.ru", subject: "Заказ \"42\" / отправлен",
                  text: "Строка\nвторая\t\\", html: "<p>Привет</p>"),
        EmailSend(storeID: "s-2", deliveryID: "d-2", to: "b@example.com", subject: "", text: "",
                  attachments: [EmailAttachment(filename: "счёт.pdf", contentType: "application/pdf", contentBase64: "JVBERg==")]),
    ]

    @Test(arguments: sends) func writesTheEncodersBytesAndReadsBack(send: EmailSend) throws {
        let written = send.jsonData()
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try JSONCoding.encoder.encode(send), as: UTF8.self))
        #expect(try EmailSend.read(written) == send)
        #expect(try EmailSend.read(JSONCoding.encoder.encode(send)) == JSONCoding.decoder.decode(EmailSend.self, from: written))
    }

    @Test func aPayloadWithoutItsRecipientIsRefusedNamingIt() {
        #expect(throws: ErrorBody.validationFailed([ErrorDetail(field: "to", problem: "required")])) {
            try EmailSend.read(Data(#"{"attachments":[],"delivery_id":"d","store_id":"s","subject":"","text":""}"#.utf8))
        }
    }

    @Test(arguments: sends) func itsResultReadsLikeItsDecodable(send: EmailSend) throws {
        let done = [
            EmailSendCompleted(effectID: 7, kind: "notification.email", attempts: 2, payload: send,
                               result: EmailSent(messageID: "<notification.d-1@shop.example>"), failure: nil,
                               completedAt: Date(timeIntervalSince1970: 1_714_558_530.25)),
            EmailSendCompleted(effectID: 8, kind: "notification.email", attempts: 5, payload: send, result: nil,
                               failure: "the server refused", completedAt: Date(timeIntervalSince1970: 1_714_558_531)),
        ]
        // The handler registry finds the hand-written path by a cast, through the conditional conformance.
        #expect((EmailSendCompleted.self as Any.Type) as? any JSONValueDecodable.Type != nil)
        for value in done {
            let json = try JSONValue.parse(JSONCoding.encoder.encode(value))
            #expect(try EmailSendCompleted(json: JSONFields(json)) == value)
        }
    }
}
