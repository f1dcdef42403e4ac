import Contracts
import Foundation
import Messaging
import PropertyBased
import Testing
@testable import WorkerKit

/// Thousands of valid and spoiled messages through the whole processing path, in consumer-sized
/// batches on a real SQLite file: the processor never throws, every message is handled, refused
/// with a reason (a reply's error code, a dead letter's `x-dead-reason`) or skipped as a repeat of
/// a message id it already saw, every valid new message is handled, and none is handled twice.
@Suite struct ProcessingPropertyTests {
    static let plan = zip(
        Gen.int(in: 0...(MessageTemplates.types.count - 1)),
        // Every other message is valid; the rest are spread over the ways to spoil one.
        Gen.int(in: 0...(2 * Mutation.allCases.count - 3)),
        Gen.uint64(),
        Gen.bool(0.2)
    ).map { template, mutation, seed, endsBatch in
        MessagePlan(template: template, mutation: Mutation.allCases[max(0, mutation - Mutation.allCases.count + 2)],
                    seed: seed, endsBatch: endsBatch)
    }.array(of: 60...100)

    @Test func everyMessageIsHandledOrRefusedWithAReasonAndNoneTwice() async throws {
        var outcomes: [String: Int] = [:]
        var mutations: Set<Mutation> = []
        await propertyCheck(count: 25, input: Self.plan) { plans in
            for outcome in try Self.check(plans) { outcomes[Self.kind(of: outcome), default: 0] += 1 }
            mutations.formUnion(plans.map(\.mutation))
        }
        // Not vacuous: every way to spoil a message was tried, and every outcome came up.
        #expect(mutations == Set(Mutation.allCases))
        #expect(Set(outcomes.keys) == ["handled", "rejected", "dead-lettered", "duplicate"], "\(outcomes)")
        print("property test: \(outcomes.values.reduce(0, +)) messages: \(outcomes.sorted { $0.key < $1.key })")
    }

    static func kind(of outcome: MessageProcessor.Outcome) -> String {
        switch outcome {
        case .handled: "handled"
        case .rejected: "rejected"
        case .deadLettered: "dead-lettered"
        case .duplicate: "duplicate"
        case .retried: "retried"
        }
    }

    @discardableResult
    static func check(_ plans: [MessagePlan]) throws -> [MessageProcessor.Outcome] {
        var harness = try ProcessorHarness()
        var messages: [AMQPMessage] = []
        for (n, plan) in plans.enumerated() { messages.append(plan.message(number: n, earlier: messages)) }

        var outcomes: [MessageProcessor.Outcome] = []
        var batch: [AMQPMessage] = []
        for (message, plan) in zip(messages, plans) {
            batch.append(message)
            if plan.endsBatch || batch.count == 32 {
                outcomes += try harness.process(batch: batch)
                batch = []
            }
        }
        if !batch.isEmpty { outcomes += try harness.process(batch: batch) }

        var recorded: Set<String> = []  // (id, sender) keys in the inbox so far: one sender's id never shadows another's
        var handled: [String: Int] = [:]
        for (index, (message, plan)) in zip(messages, plans).enumerated() {
            let outcome = outcomes[index]
            let id = message.messageID ?? ""
            let key = id + "|" + (message.userID ?? DevelopmentUsers.sender(of: message.type ?? ""))
            let what = "message \(index) (\(plan)): \(outcome)"
            if let reason = envelopeRefusal(message) {
                #expect(outcome == refused(reason, message), "\(what)")
            } else if recorded.contains(key) {
                #expect(outcome == .duplicate, "\(what): its id was seen before")
            } else {
                switch (plan.mutation, outcome) {
                case (.none, _), (.resent, _), (.reusedMessageID, _):
                    #expect(MessageTemplates.isValidOutcome(outcome, type: message.type ?? ""), "\(what): a valid message")
                case (.truncated, let refusal) where refusal == refused(.malformedJSON, message): break
                case (.deepNesting, let refusal)
                    where refusal == refused(.malformedJSON, message) || refusal == refused(.schemaViolation, message): break
                case (.truncated, _), (.deepNesting, _):
                    Issue.record("\(what): not the outcome this message must have")
                case (_, .handled), (_, .rejected), (_, .deadLettered): break
                case (_, .duplicate), (_, .retried):
                    Issue.record("\(what): neither handled nor refused with a reason")
                }
            }
            if case .handled = outcome { handled[key, default: 0] += 1 }
            if !id.isEmpty, outcome != .duplicate { recorded.insert(key) }
            try expectReason(for: outcome, of: message, in: harness, what)
        }

        #expect(handled.values.allSatisfy { $0 == 1 }, "a message (id and sender) handled twice: \(handled.filter { $0.value > 1 })")
        #expect(try harness.count("SELECT COUNT(*) FROM inbox") == recorded.count)
        let ordersHandled = zip(messages, outcomes).filter { message, outcome in
            if message.type == "order.placed", case .handled = outcome { true } else { false }
        }.count
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == ordersHandled)
        let dead = try harness.outbox().filter { $0.routingKey == harness.topology.deadQueue }
        let deadReasons = dead.compactMap { OutboxMessage.decodeHeaders($0.headers)[DeadLetterHeader.reason] }
        let deadOutcomes = outcomes.filter { if case .deadLettered = $0 { true } else { false } }
        #expect(dead.count == deadOutcomes.count && deadReasons.count == dead.count,
                "\(dead.count) dead letters, \(deadReasons.count) with a reason, for \(deadOutcomes.count) dead-lettered outcomes")
        return outcomes
    }

    /// How a refusal shows: a request is told in its reply (`rejected`, nothing in the dead
    /// queue); a message nobody waits for is dead-lettered with the reason.
    static func refused(_ reason: DeadLetterReason, _ message: AMQPMessage) -> MessageProcessor.Outcome {
        (message.replyTo ?? "").isEmpty ? .deadLettered(reason) : .rejected(type: message.type ?? "", code: .validationFailed)
    }

    /// The reason the envelope alone gives to refuse a message, before its body is read.
    static func envelopeRefusal(_ message: AMQPMessage) -> DeadLetterReason? {
        if message.contentType != "application/json" { return .wrongContentType }
        if (message.messageID ?? "").isEmpty { return .missingMessageID }
        if !MessageTemplates.types.contains(message.type ?? "") { return .unknownType }
        return nil
    }

    /// A refusal carries its reason where the sender or an operator sees it: the reply's error
    /// when a reply was asked for, and the dead letter's `x-dead-reason`.
    static func expectReason(for outcome: MessageProcessor.Outcome, of message: AMQPMessage,
                             in harness: ProcessorHarness, _ what: String) throws {
        guard let id = message.messageID, !id.isEmpty else { return }
        let replies = try harness.storage.read { db in
            try OutboxMessage.withMessageID(db, "reply-\(id)")
        }
        switch outcome {
        case .rejected(_, let code) where message.replyTo != nil:
            // A message id reused by another sender has its own reply under the same id: one of
            // the replies with this id carries this refusal's code.
            #expect(!replies.isEmpty, "\(what): no reply")
            let codes = try replies.map { try JSONCoding.decoder.decode(Reply.self, from: $0.body).error?.code }
            #expect(codes.contains(code), "\(what): reply codes \(codes)")
        case .deadLettered(let reason):
            let letters = try harness.storage.read { db in
                try OutboxMessage.withMessageID(db, id).filter { $0.routingKey == harness.topology.deadQueue }
            }
            #expect(letters.contains { OutboxMessage.decodeHeaders($0.headers)[DeadLetterHeader.reason] == .string(reason.rawValue) },
                    "\(what): no dead letter with x-dead-reason \(reason.rawValue)")
            if message.replyTo != nil {
                let reply = try #require(replies.first, "\(what): no reply")
                #expect(try JSONCoding.decoder.decode(Reply.self, from: reply.body).error != nil, "\(what)")
            }
        default: break
        }
    }
}
