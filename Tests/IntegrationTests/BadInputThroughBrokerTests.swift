import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// 200 malformed messages of many kinds mixed into 1,000 good ones: every bad one that asked
    /// for a reply answered `validation_failed` (and not dead-lettered), every other bad one in
    /// the dead queue with its reason, every good one handled, the worker still up.
    @Suite struct BadInputThroughBrokerTests {
        /// The kinds of bad message, each with the reason it must be dead-lettered for.
        static func badMessage(_ i: Int) -> (AMQPMessage, DeadLetterReason) {
            let good = orderPlacedMessage(order: "bad-\(i)", messageID: "bad-msg-\(i)").body
            let text = String(decoding: good, as: UTF8.self)
            func message(_ body: Data, contentType: String? = "application/json", id: String? = "bad-msg-\(i)",
                         type: String = "order.placed") -> AMQPMessage {
                AMQPMessage(body: body, contentType: contentType, messageID: id, type: type,
                            replyTo: i % 2 == 0 ? "test.replies" : nil, appID: "shop")
            }
            switch i % 10 {
            case 0: return (message(Data("{\"store_id\": ".utf8)), .malformedJSON)
            case 1: return (message(good, contentType: "text/xml"), .wrongContentType)
            case 2: return (message(good, id: nil), .missingMessageID)
            case 3: return (message(good, type: "order.teleported"), .unknownType)
            case 4: return (message(Data(text.replacingOccurrences(of: "\"payment_method\":\"cash_on_delivery\",", with: "").utf8)), .schemaViolation)
            case 5: return (message(Data(text.replacingOccurrences(of: "259800", with: "2598.5").utf8)), .schemaViolation)
            case 6: return (message(Data(repeating: 0x20, count: 1_100_000) + good), .bodyTooLarge)
            case 7: return (message(Data("[1, 2, 3]".utf8)), .schemaViolation)
            // (An impossible phone is no bad input any more: the order goes by its other keys.)
            case 8: return (message(Data(text.replacingOccurrences(of: "\"first_name\":\"Anna\"", with: "\"first_name\":\"\"").utf8)), .schemaViolation)
            default: return (message(Data()), .malformedJSON)
            }
        }

        @Test func malformedMessagesAreDeadLetteredAndTheWorkerGoesOn() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { worker in
                var messages: [AMQPMessage] = []
                var expectedReasons: [String: Int] = [:]
                for i in 0..<1_200 {
                    if i % 6 == 5 {
                        let (bad, reason) = Self.badMessage(i / 6)
                        messages.append(bad)
                        if bad.replyTo == nil { expectedReasons[reason.rawValue, default: 0] += 1 }
                    } else {
                        messages.append(orderPlacedMessage(order: "good-\(i)", phone: String(format: "+7913%07d", i)))
                    }
            }
            #expect(messages.count == 1_200 && expectedReasons.values.reduce(0, +) == 100)
            let publisher = try ConfirmedPublisher(url: url)
            try publisher.connection.declareQueue("test.replies", durable: false, autoDelete: false)
            for message in messages {
                // The unknown type travels under a bound routing key, the way a shop's typo would.
                let key = message.type == "order.teleported" ? "order.placed" : (message.type ?? "")
                try publisher.connection.publish(exchange: Exchanges.events, routingKey: key, message: message)
            }
            try publisher.connection.waitForConfirms()

            let deadQueue = "client-service.dead"
            #expect(try eventually(timeout: .seconds(60)) {
                try worker.count("SELECT COUNT(*) FROM client_order") == 1_000
                    && publisher.connection.declareQueue(deadQueue, passive: true).messageCount == 100
            })

            let reader = try AMQPConnection(url: url)
            try reader.setPrefetch(500)
            try reader.consume(queue: deadQueue, noAck: true)
            var reasons: [String: Int] = [:]
            while let delivery = try reader.nextDelivery(timeout: .seconds(1)) {
                let headers = delivery.message.headers
                reasons[headers[DeadLetterHeader.reason]?.stringValue ?? "none", default: 0] += 1
                #expect(headers[DeadLetterHeader.detail]?.stringValue?.isEmpty == false)
                #expect(headers[DeadLetterHeader.service] == .string("client-service"))
            }
            #expect(reasons == expectedReasons)

            // Still up and answering.
            let client = try RequestClient(url: url, appID: "test")
            let reply = try client.request(type: "client-service.status", body: Data("{}".utf8))
            let status = try JSONCoding.decoder.decode(Reply.self, from: reply.body)
            #expect(status.result?["dead_letters"] == .integer(100), "the requests among them were answered only")
            // Those that asked for a reply got validation_failed.
            #expect(try publisher.connection.declareQueue("test.replies", durable: false, passive: true).messageCount == 100)
            }
        }

        @Test func aBadRequestGetsValidationFailedNamingTheField() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let reply = try client.request(type: "client-service.status", body: Data(#"{"verbose": true}"#.utf8))
                let decoded = try JSONCoding.decoder.decode(Reply.self, from: reply.body)
                #expect(decoded.ok == false)
                #expect(decoded.error?.code == .validationFailed)
                #expect(decoded.error?.details.first?.field == "verbose")
            }
        }
    }
}
