import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// The access layer without a broker: the policy file, event owners, stores, and which
/// `x-original-user-id` is believed.
@Suite struct AccessControlTests {
    static let policyText = #"""
        {"users": {"shop-s1": {"role": "shop", "stores": ["s1"]},
                   "operator-demo": {"role": "operator", "stores": ["s1", "s2"]},
                   "crm-admin": {"role": "admin"},
                   "client-service": {"role": "service"},
                   "dedupe-service": {"role": "service"}}}
        """#

    @Test func thePolicyFileIsReadAndWrittenInOneForm() throws {
        let policy = try AccessPolicy.parse(Data(Self.policyText.utf8))
        #expect(policy.grant(for: "shop-s1") == AccessGrant(role: .shop, stores: ["s1"]))
        #expect(policy.grant(for: "crm-admin")?.mayAccess(store: "anything") == true)
        #expect(policy.grant(for: "client-service")?.service == "client-service", "a service user is the service of its name")
        #expect(policy.grant(for: "nobody") == nil)
        #expect(try AccessPolicy.parse(JSONCoding.encoder.encode(policy.document)) == policy)
        #expect(throws: AccessPolicyError.self) { try AccessPolicy.parse(Data(#"{"users": {"x": {"role": "shop"}}}"#.utf8)) }
        #expect(throws: AccessPolicyError.self) { try AccessPolicy.parse(Data(#"{"users": {"x": {"role": "root"}}}"#.utf8)) }
    }

    @Test func eachEventTypeHasOneOwner() throws {
        let policy = try AccessPolicy.parse(Data(Self.policyText.utf8))
        func sender(_ user: String) -> Sender { Sender(userID: user, grant: policy.grant(for: user)!) }
        #expect(EventOwnership.allows(sender("shop-s1"), toPublish: "order.placed"))
        #expect(!EventOwnership.allows(sender("shop-s1"), toPublish: "order.attributed"), "client-service's, despite the prefix")
        #expect(!EventOwnership.allows(sender("shop-s1"), toPublish: "client.merged"))
        #expect(EventOwnership.allows(sender("client-service"), toPublish: "order.attributed"))
        #expect(EventOwnership.allows(sender("client-service"), toPublish: "store.updated"))
        #expect(!EventOwnership.allows(sender("dedupe-service"), toPublish: "client.merged"))
        #expect(!EventOwnership.allows(sender("operator-demo"), toPublish: "order.placed"))
        #expect(!EventOwnership.allows(sender("client-service"), toPublish: "unknown.thing"))
        #expect(EventOwnership.routingKeyPattern(of: "client-service") == #"^(client\..+|order\.attributed|store\..+)$"#)
    }

    @Test func theOriginalSenderIsBelievedOnlyFromTheServiceItselfOrAnAdmin() throws {
        let access = AccessControl(policy: try AccessPolicy.parse(Data(Self.policyText.utf8)), serviceUser: "client-service")
        func message(from user: String?, original: String?) -> AMQPMessage {
            AMQPMessage(body: Data(), userID: user,
                        headers: original.map { [AccessControl.originalUserHeader: .string($0)] } ?? [:])
        }
        let policy = access.current
        #expect(access.effectiveUser(of: message(from: "client-service", original: "shop-s1"), policy: policy) == "shop-s1", "a retry")
        #expect(access.effectiveUser(of: message(from: "crm-admin", original: "shop-s1"), policy: policy) == "shop-s1", "a replay")
        #expect(access.effectiveUser(of: message(from: "shop-s1", original: "crm-admin"), policy: policy) == "shop-s1", "a shop cannot claim to be another")
        #expect(access.effectiveUser(of: message(from: nil, original: "crm-admin"), policy: policy) == nil)
    }

    @Test func theProcessorRefusesForgedEventsAndForeignStores() throws {
        var h = try ProcessorHarness()
        var foreign = orderPlacedMessage(store: "s2", order: "o-1")
        foreign.userID = "shop-s1"
        #expect(try h.process(foreign) == .deadLettered(.unauthorized))
        var own = orderPlacedMessage(store: "s1", order: "o-2")
        own.userID = "shop-s1"
        let outcome = try h.process(own)
        if case .handled = outcome {} else { Issue.record("the shop's own order was not handled: \(outcome)") }
        #expect(try h.count("SELECT COUNT(*) FROM client_order") == 1)
        // A shop's event type from a service that does not own it.
        let status = try Data(contentsOf: SchemaRegistry.defaultDirectory().appendingPathComponent("examples/order.status_changed.json"))
        let forged = AMQPMessage(body: status, messageID: "m-1", type: "order.status_changed", userID: "dedupe-service")
        #expect(try h.process(forged) == .deadLettered(.unauthorized))
        let unknownUser = try h.ask("client.get", ClientRef(storeID: "s1", clientID: "x"), as: "stranger")
        #expect(unknownUser.error?.code == .unauthorized && unknownUser.error?.details.first?.field == "user_id")
        let shopCommand = try h.ask("client.get", ClientRef(storeID: "s1", clientID: "x"), as: "shop-s1")
        #expect(shopCommand.error?.code == .unauthorized && shopCommand.error?.details.first?.field == "type")
    }

    @Test func theFileIsReadAgainOnReloadAndABrokenOneKeepsThePolicyInForce() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString).json")
        try Data(Self.policyText.utf8).write(to: file)
        let access = AccessControl(policy: try AccessPolicy.load(file: file), serviceUser: "client-service", file: file.path)
        #expect(access.current.grant(for: "shop-s2") == nil)
        try Data(#"{"users": {"shop-s2": {"role": "shop", "stores": ["s2"]}}}"#.utf8).write(to: file)
        try access.reload()
        #expect(access.current.grant(for: "shop-s2")?.stores == ["s2"] && access.current.grant(for: "shop-s1") == nil)
        try Data("{not json".utf8).write(to: file)
        #expect(throws: AccessPolicyError.self) { try access.reload() }
        #expect(access.current.grant(for: "shop-s2") != nil, "the policy in force stays")
    }
}
