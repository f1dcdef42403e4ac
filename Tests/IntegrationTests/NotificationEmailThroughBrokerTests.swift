import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import Testing
import WorkerKit

extension BrokerSuite {
    /// E-mail through the broker: an operator's `notification.send` with an attachment reaches a
    /// real SMTP server (aiosmtpd on 127.0.0.1), parts and headers as sent; the server down during
    /// a send and up again: the mail arrives exactly once, and `notification.delivered` says so.
    /// No log line names a recipient.
    @Suite struct NotificationEmailThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        @Test func aMailWithItsPartsArrivesAndADownServerStillGetsItOnce() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let sink = try SMTPSink()
            defer { sink.stop() }
            let logs = LogRecorder()
            let definition = NotificationServiceDefinition(secrets: .random(), outbound: .development, catalog: try TemplateCatalog.load())
            // Many attempts and no circuit opening: the server stays down for several of them.
            let effects = EffectSettings(breakerThreshold: 100, retryBase: .milliseconds(200), retryMax: .milliseconds(400))
            try await RunningWorker.with(definition, url: url, effects: effects,
                                         logger: logs.logger(label: "notification-service")) { worker in
                let tap = try EventTap(url: url, keys: ["notification.delivered", "notification.failed"])
                let client = try RequestClient(url: url, appID: "test")
                _ = try client.result(of: "notification.settings.update", body: Self.body(NotificationSettingsUpdate(
                    storeID: "s1", senderAddress: "shop@shop.example", senderName: "Магазин", smtpURL: sink.url, maxAttempts: 20)),
                    as: NotificationSettingsView.self)
                let pdf = Data("%PDF-1.4\n%%EOF\n".utf8)
                func send(_ to: String) throws -> NotificationSendResult {
                    try client.result(of: "notification.send", body: Self.body(NotificationSend(
                        storeID: "s1", channel: .email, recipient: to, template: "welcome", locale: "ru",
                        params: ["first_name": .string("Анна"), "store_name": .string("Чайная лавка")],
                        attachments: [EmailAttachment(filename: "счёт.pdf", contentType: "application/pdf",
                                                      contentBase64: pdf.base64EncodedString())])), as: NotificationSendResult.self)
                }

                let first = try send("anna@example.ru")
                let delivered = try tap.collect(1, timeout: .seconds(15))
                #expect(delivered.map(\.type) == ["notification.delivered"])
                let mail = try #require(try sink.waitForMails(1).first)
                #expect(mail.rcptTos == ["anna@example.ru"] && mail.mailFrom == "shop@shop.example")
                #expect(mail.headers["Subject"] == "Добро пожаловать в Чайная лавка")
                #expect(mail.headers["From"] == "Магазин <shop@shop.example>")
                #expect(mail.headers["Message-ID"] == "<notification.\(first.deliveryID)@shop.example>")
                #expect(mail.header("Date") != nil && mail.defects == 0)
                #expect(mail.parts.map(\.contentType) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"])
                #expect(mail.parts[2].text?.hasPrefix("Здравствуйте, Анна!") == true)
                #expect(mail.parts[3].text?.contains("<b>Чайная лавка</b>") == true)
                #expect(mail.parts[4].filename == "счёт.pdf" && mail.parts[4].contentBase64.flatMap { Data(base64Encoded: $0) } == pdf)

                // Down while the second is sent; up again a few failed attempts later.
                sink.stop()
                let second = try send("boris@example.ru")
                #expect(try eventually(timeout: .seconds(10)) {
                    try worker.count("SELECT COUNT(*) FROM effect WHERE kind = 'notification.email' AND attempts >= 2") == 1
                })
                try sink.start()
                let outcome = try #require(try tap.collect(1, timeout: .seconds(20)).first)
                #expect(outcome.type == "notification.delivered")
                let announced = try JSONCoding.decoder.decode(NotificationOutcome.self, from: outcome.body)
                #expect(announced.deliveryID == second.deliveryID && announced.attempts >= 3)
                try await Task.sleep(for: .milliseconds(800))  // nothing more may come
                let mails = try sink.mails()
                // The restarted sink numbers its files from 1 again: it holds what it took since.
                #expect(mails.map(\.rcptTos) == [["boris@example.ru"]], "the second mail exactly once")
                #expect(try tap.collect(1, timeout: .milliseconds(300)).isEmpty)

                let lines = logs.all
                #expect(!lines.isEmpty)
                for address in ["anna@example.ru", "boris@example.ru"] {
                    #expect(!lines.contains { $0.contains(address) }, "a log line names \(address)")
                }
            }
        }
    }
}
