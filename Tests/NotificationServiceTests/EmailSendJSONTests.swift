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
}
