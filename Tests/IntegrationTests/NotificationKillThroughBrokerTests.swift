import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// notification-service's own binary SIGKILLed twice while a stream of e-mails goes out (the
    /// effect runner reading, calling and recording in batches), then started again: every mail
    /// reaches the SMTP server (aiosmtpd on 127.0.0.1), each delivery ends `delivered` with one
    /// attempt row and one `notification.delivered` (one message id; the relay may publish it
    /// again after a kill, with the same id). A mail the server took just before a kill, its
    /// outcome not yet committed, is sent again after the restart (at least once, by design): the
    /// only repeats, a few per kill, each with its first Message-ID, so the receiver can tell.
    @Suite struct NotificationKillThroughBrokerTests {
        static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

        static func sends(_ count: Int) throws -> [AMQPMessage] {
            try (0..<count).map { i in
                let send = NotificationSend(storeID: "s1", channel: .email, recipient: "buyer\(i)@example.ru", template: "order_shipped",
                                            params: ["first_name": .string("Анна"), "order_id": .string("\(1000 + i)")])
                return AMQPMessage(body: try JSONCoding.encoder.encode(send), messageID: "kill-send-\(i)", type: "notification.send",
                                   appID: "test", timestamp: Date())
            }
        }

        /// Mails the sink took so far (its files, not parsed: this runs every few milliseconds).
        static func taken(_ sink: SMTPSink) throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: sink.folder.path).filter { $0.hasSuffix(".json") }.count
        }

        @Test func aStreamOfMailsThroughAServiceKilledTwiceArrivesWithOneOutcomeEach() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let sink = try SMTPSink()
            defer { sink.stop() }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-notify-kill-\(UUID().uuidString)")
            let database = data.appendingPathComponent("notification-service.sqlite")
            let environment = ["CRM_OUTBOUND_ALLOW_LOOPBACK": "1", "CRM_TEMPLATES_DIR": Self.root.appendingPathComponent("templates").path]
            let tap = try EventTap(url: url, keys: ["notification.delivered", "notification.failed"])
            let client = try RequestClient(url: url, appID: "test")

            var service = try ServiceProcess("notification-service", url: url, dataDirectory: data, extraEnvironment: environment)
            defer { if service.process.isRunning { service.kill() } }
            try ServiceProcess.waitUntilAnswering("notification-service", client: client)
            _ = try client.result(of: "notification.settings.update", body: JSONCoding.encoder.encode(NotificationSettingsUpdate(
                storeID: "s1", senderAddress: "shop@shop.example", smtpURL: sink.url, recipientHourlyLimit: 1_000)),
                as: NotificationSettingsView.self)
            let total = 600
            try ConfirmedPublisher(url: url).publish(Self.sends(total), exchange: Exchanges.requests)

            // Two kills at different depths of the stream, each followed by a restart.
            for threshold in [120, 360] {
                #expect(try eventually(timeout: .seconds(120), every: .milliseconds(5)) { try Self.taken(sink) >= threshold })
                service.kill()
                let atKill = try Self.taken(sink)
                #expect(atKill < total, "killed mid-stream, with \(atKill) of \(total) mails sent")
                print("notification-service SIGKILLed with \(atKill) of \(total) mails at the SMTP server")
                service = try ServiceProcess("notification-service", url: url, dataDirectory: data, extraEnvironment: environment)
            }
            let done = try eventually(timeout: .seconds(180), every: .milliseconds(200)) {
                try countRows(in: database, "SELECT COUNT(*) FROM notification_delivery WHERE status = 'delivered'") == total
                    && countRows(in: database, "SELECT COUNT(*) FROM outbox") == 0
            }
            #expect(done, "every delivery delivered and announced after the restarts")
            #expect(service.terminate() == 0, "SIGTERM stops the service cleanly")

            // The SMTP server: every recipient, each delivery's one Message-ID; repeats only of mails under way at a kill.
            let mails = try sink.mails()
            var idsByRecipient: [String: Set<String>] = [:]
            for mail in mails { idsByRecipient[mail.rcptTos.joined(separator: ","), default: []].insert(mail.header("Message-ID") ?? "") }
            #expect(idsByRecipient.count == total, "every mail arrived")
            #expect(idsByRecipient.values.allSatisfy { $0.count == 1 }, "a mail sent again carries its first Message-ID")
            let repeats = mails.count - total
            print("mails at the SMTP server: \(mails.count) for \(total) deliveries (\(repeats) sent again after a kill)")
            // Repeated: the mails of effects claimed at a kill (calls under way, or ended and their
            // outcome not yet committed): a few per kill, well under the runner's 32 calls each.
            #expect(repeats <= 2 * 32, "only mails under way at a kill are sent again")

            // The log and the events: one attempt row and one notification.delivered per delivery.
            #expect(try countRows(in: database, "SELECT COUNT(*) FROM notification_delivery") == total, "one delivery per send")
            #expect(try countRows(in: database, "SELECT COUNT(*) FROM notification_attempt") == total)
            #expect(try countRows(in: database, "SELECT COUNT(*) FROM effect WHERE state = 'done'") == total)
            let events = try tap.collect(total + 200, timeout: .seconds(5))
            var eventIDs: [String: Set<String>] = [:]
            for event in events {
                #expect(event.type == "notification.delivered")
                let outcome = try JSONCoding.decoder.decode(NotificationOutcome.self, from: event.body)
                eventIDs[outcome.deliveryID, default: []].insert(event.messageID ?? "")
            }
            print("notification.delivered deliveries: \(events.count) for \(total) (repeats are relay re-publishes of the same message id)")
            #expect(eventIDs.count == total, "every delivery announced")
            #expect(eventIDs.values.allSatisfy { $0.count == 1 }, "no delivery announced twice")
        }
    }
}
