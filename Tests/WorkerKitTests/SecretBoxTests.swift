import Contracts
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// Sealing and opening secrets, and taking them out of dead letters.
@Suite struct SecretBoxTests {
    @Test func aSealedSecretOpensWithItsKeyAndContextOnly() throws {
        let box = SecretBox.random()
        let sealed = try box.seal("hunter2", context: "t/s1/password")
        #expect(sealed.hasPrefix("v1:") && !sealed.contains("hunter2"))
        #expect(try box.open(sealed, context: "t/s1/password") == "hunter2")
        #expect(try box.seal("hunter2", context: "t/s1/password") != sealed, "a fresh nonce each time")
        #expect(throws: SecretBoxError.cannotOpen(context: "t/s2/password")) { try box.open(sealed, context: "t/s2/password") }
        #expect(throws: SecretBoxError.self) { try SecretBox.random().open(sealed, context: "t/s1/password") }
        #expect(throws: SecretBoxError.malformed) { try box.open("hunter2", context: "t/s1/password") }
    }

    @Test func theKeyIsBase64OfThirtyTwoBytes() throws {
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let box = try SecretBox(base64Key: key + "\n")
        #expect(try SecretBox(base64Key: key).open(try box.seal("x", context: "c"), context: "c") == "x")
        #expect(throws: SecretBoxError.self) { try SecretBox(base64Key: Data(count: 16).base64EncodedString()) }
        #expect(throws: SecretBoxError.self) { try SecretBox(base64Key: "not base64!") }
    }

    @Test func aServiceWithoutAKeyIsToldHowToGetOne() throws {
        let config = WorkerConfig(amqpURL: try AMQPURL("amqp://guest:guest@127.0.0.1:5672/%2f"),
                                  dataDirectory: URL(fileURLWithPath: "/tmp"), schemasDirectory: URL(fileURLWithPath: "/tmp"),
                                  access: DevelopmentUsers.policy)
        #expect(throws: SecretBoxError.missingKey(service: "reliability-service")) {
            try config.requireSecrets(for: .reliability)
        }
        #expect("\(SecretBoxError.missingKey(service: "reliability-service"))".contains("CRM_SECRET_KEY"))
    }

    @Test func deadLettersLoseTheirSecretFieldsOnly() throws {
        var message = AMQPMessage(body: Data(#"{"store_id": "s1", "signature": "hunter2"}"#.utf8), messageID: "m1", type: "t")
        SecretRedaction.redact(&message, fields: ["signature"])
        #expect(try JSONValue.parse(message.body) == .object(["store_id": .string("s1")]))
        #expect(message.headers[SecretRedaction.header] == .string("signature"))

        var garbled = AMQPMessage(body: Data(#"{"signature": "hunter2""#.utf8), messageID: "m2", type: "t")
        SecretRedaction.redact(&garbled, fields: ["signature"])
        #expect(garbled.body.isEmpty && garbled.headers[SecretRedaction.header] == .string("body"))
    }

    @Test func theSchemasMarkTheSignatureWriteOnly() throws {
        let schemas = try SchemaRegistry(directory: SchemaRegistry.defaultDirectory())
        #expect(schemas.secretFields["reliability.settings.update"] == ["signature"])
        #expect(schemas.secretFields["reliability.connection.test"] == ["signature"])
    }
}
