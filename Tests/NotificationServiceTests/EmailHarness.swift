import Contracts
import CRMTestSupport
import Foundation
import GRDB
import NotificationService
import SQLStore
@testable import WorkerKit

/// notification-service's storage (a SQLite file, or a fresh PostgreSQL schema) with the service's
/// real EffectRunner and the e-mail performer: effects are recorded as a handler records them, the
/// runner sends them to a real SMTP server, and the `notification.email.completed` reports are
/// read back from the outbox.
struct EmailHarness {
    let storage: SQLStorage
    let effects: EffectRunner
    let secrets: SecretBox
    private var sequence = 0

    static let workQueue = "notification-service"

    init(engine: TestEngine, secrets: SecretBox = .random(), caFile: String? = nil,
         settings: EffectSettings = EffectSettings(retryBase: .milliseconds(20), retryMax: .milliseconds(100))) throws {
        storage = try engine.storage(RuntimeOnly())
        try storage.write { db in try db.script(Self.settingsTable) }
        self.secrets = secrets
        var registry = EffectRegistry()
        registry.register(EmailPerformer.kind, EmailPerformer(secrets: secrets, timeout: .seconds(5), caFile: caFile))
        effects = EffectRunner(storage: storage, registry: registry, settings: settings,
                               outbound: OutboundPolicy(allowLoopback: true), workQueue: Self.workQueue)
    }

    /// notify-core's `notification_settings`, as agreed; IF NOT EXISTS so that it stands aside once
    /// the service's own migrations make it.
    static let settingsTable = """
        CREATE TABLE IF NOT EXISTS notification_settings (store_id TEXT PRIMARY KEY, sender_address TEXT, sender_name TEXT,
            smtp_url TEXT, smtp_login TEXT, smtp_password_sealed TEXT, sms_url TEXT, sms_token_sealed TEXT, sms_sender TEXT,
            locale TEXT NOT NULL DEFAULT 'ru', max_attempts INTEGER NOT NULL DEFAULT 5,
            recipient_hourly_limit INTEGER NOT NULL DEFAULT 20, auto_sends TEXT NOT NULL DEFAULT '{}', updated_at TEXT NOT NULL);
        """

    /// Stores the sender and SMTP server of `store`, the password sealed as the service seals it.
    func configure(store: String = "s1", sender: String = "shop@shop.example", name: String? = "Магазин",
                   smtpURL: String, login: String? = nil, password: String? = nil) throws {
        let sealed = try password.map { try secrets.seal($0, context: "notification/\(store)/smtp_password") }
        try storage.write { db in
            try db.execute("""
                INSERT INTO notification_settings (store_id, sender_address, sender_name, smtp_url, smtp_login,
                    smtp_password_sealed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (store_id) DO UPDATE SET sender_address = excluded.sender_address, sender_name = excluded.sender_name,
                    smtp_url = excluded.smtp_url, smtp_login = excluded.smtp_login, smtp_password_sealed = excluded.smtp_password_sealed
                """, [store, sender, name, smtpURL, login, sealed, "2026-11-30 00:00:00.000"])
        }
    }

    /// Records effect `notification.email` as a handler does (in a transaction of its own).
    mutating func record(_ send: EmailSend, maxAttempts: Int = 5) throws {
        sequence += 1
        let effect = HandlerContext.RecordedEffect(kind: EmailPerformer.kind, payload: try JSONCoding.encoder.encode(send),
                                                   secretSealed: nil, maxAttempts: maxAttempts, answerWhenDone: false)
        let origin = "send-\(sequence)"
        try storage.write { db in
            try EffectTable.insert(db, effect, origin: origin, replyTo: nil, correlationID: nil, now: Date())
        }
    }

    /// Runs the due effects until none is pending (retries wait their backoff); returns the reports.
    func settle(timeout: Duration = .seconds(20)) throws -> [EmailSendCompleted] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try effects.performDue()
            if try pending() == 0 { return try completions() }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw HarnessFailure(description: "e-mail effects still pending after \(timeout)")
    }

    func pending() throws -> Int {
        try storage.read { db in try db.value("SELECT COUNT(*) FROM effect WHERE state = 'pending'", as: Int.self) } ?? 0
    }

    /// The reports the runner sent to the service's own queue, oldest first.
    func completions() throws -> [EmailSendCompleted] {
        try storage.read { db in try OutboxMessage.all(db) }
            .filter { $0.routingKey == Self.workQueue && $0.type == "notification.email.completed" }
            .map { try JSONCoding.decoder.decode(EmailSendCompleted.self, from: $0.body) }
    }

    func value<T: SQLValueConvertible>(_ sql: String, as type: T.Type) throws -> T? {
        try storage.read { db in try db.value(sql, [], as: T.self) }
    }
}

struct HarnessFailure: Error, CustomStringConvertible { let description: String }

/// The runtime's tables (effects, outbox) under notification-service's name, whatever the service's
/// own wiring needs; the settings table is made by hand above.
private struct RuntimeOnly: WorkerDefinition {
    var name: ServiceName { .notification }
    func registerMigrations(_ migrator: inout DatabaseMigrator) {}
    func registerHandlers(_ registry: inout HandlerRegistry) {}
}

func invoice(to: String = "anna@example.ru", delivery: String = "d-1", store: String = "s1") -> EmailSend {
    EmailSend(storeID: store, deliveryID: delivery, to: to, subject: "Счёт № 42",
              text: "Здравствуйте, Анна!\nСчёт № 42 во вложении.", html: "<p>Здравствуйте, Анна!</p>",
              attachments: [EmailAttachment(filename: "invoice-42.pdf", contentType: "application/pdf",
                                            contentBase64: Data("%PDF-1.4\n%%EOF\n".utf8).base64EncodedString())])
}
