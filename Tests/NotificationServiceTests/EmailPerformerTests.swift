import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
@testable import WorkerKit

/// Effect `notification.email` from the effect runner to a real SMTP server (aiosmtpd) on
/// 127.0.0.1 and back as `notification.email.completed`, on both engines.
@Suite struct EmailPerformerTests {
    @Test(arguments: TestEngine.all) func aMailGoesOverSTARTTLSWithTheStoresLogin(engine: TestEngine) throws {
        let certificate = try TestCertificate.make()
        let sink = try SMTPSink(options: ["--cert", certificate.certificate, "--key", certificate.key, "--require-starttls",
                                          "--login", "shop-login:s3cret-pw"])
        defer { sink.stop() }
        var h = try EmailHarness(engine: engine, caFile: certificate.certificate)
        try h.configure(smtpURL: sink.url, login: "shop-login", password: "s3cret-pw")
        try h.record(invoice())

        let reports = try h.settle()

        let report = try #require(reports.first)
        #expect(reports.count == 1 && report.attempts == 1 && report.failure == nil)
        #expect(report.result == EmailSent(messageID: "<notification.d-1@shop.example>"))
        let mail = try #require(try sink.waitForMails(1).first)
        #expect(mail.tls && mail.login == "shop-login")
        #expect(mail.headers["Message-ID"] == "<notification.d-1@shop.example>" && mail.headers["Subject"] == "Счёт № 42")
        #expect(mail.headers["From"] == "Магазин <shop@shop.example>" && mail.rcptTos == ["anna@example.ru"])
        #expect(mail.parts.map(\.contentType) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"])
        #expect(mail.parts.last?.contentBase64.flatMap { Data(base64Encoded: $0) } == Data("%PDF-1.4\n%%EOF\n".utf8))
        let stored = try h.storage.read { db in try db.rows("SELECT payload, secret_sealed, last_error FROM effect") }
        #expect(!String(decoding: stored[0]["payload"] as Data, as: UTF8.self).contains("s3cret-pw"), "the password is in no effect row")
    }

    @Test(arguments: TestEngine.all) func theServerDownDuringASendThenUpDeliversOnce(engine: TestEngine) throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        var h = try EmailHarness(engine: engine, settings: EffectSettings(retryBase: .milliseconds(300), retryMax: .milliseconds(300)))
        try h.configure(smtpURL: sink.url)
        sink.stop()
        try h.record(invoice())

        try h.effects.performDue()
        #expect(try h.pending() == 1, "a refused connection is a fault: the mail waits for another try")
        #expect(try h.value("SELECT attempts FROM effect", as: Int.self) == 1)
        #expect(try h.value("SELECT last_error FROM effect", as: String.self)?.hasPrefix("no connection to the mail server") == true)
        try sink.start()

        let reports = try h.settle()

        #expect(reports.count == 1 && reports[0].attempts == 2 && reports[0].result != nil)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try sink.mails().count == 1, "exactly once")
        try h.effects.performDue()
        #expect(try sink.mails().count == 1 && (try h.completions()).count == 1, "nothing is sent again afterwards")
    }

    @Test(arguments: TestEngine.all) func aRefusalEndsAtOnceAndADeferralIsRetried(engine: TestEngine) throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        var h = try EmailHarness(engine: engine)
        try h.configure(smtpURL: sink.url)
        try h.record(invoice(to: "reject-me@example.ru", delivery: "d-550"), maxAttempts: 5)
        try h.record(invoice(to: "defer-me@example.ru", delivery: "d-451"), maxAttempts: 3)

        let reports = try h.settle()

        let refused = try #require(reports.first { $0.payload.deliveryID == "d-550" })
        #expect(refused.attempts == 1 && refused.result == nil)
        #expect(refused.failure == "the mail server refused the mail (SMTP 550 at RCPT TO)")
        let deferred = try #require(reports.first { $0.payload.deliveryID == "d-451" })
        #expect(deferred.attempts == 3 && deferred.failure == "the mail server deferred the mail (SMTP 451 at RCPT TO)")
        #expect(try sink.mails().isEmpty)
    }

    @Test(arguments: TestEngine.all) func refusalsDoNotOpenTheCircuit(engine: TestEngine) throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        var h = try EmailHarness(engine: engine, settings: EffectSettings(breakerThreshold: 2, retryBase: .milliseconds(20)))
        try h.configure(smtpURL: sink.url)
        for n in 0..<4 { try h.record(invoice(to: "reject\(n)@example.ru", delivery: "r-\(n)"), maxAttempts: 1) }
        _ = try h.settle()
        try h.record(invoice(delivery: "after"))
        let reports = try h.settle()
        #expect(reports.last?.payload.deliveryID == "after" && reports.last?.result != nil, "the server works: no circuit open")
        #expect(try sink.waitForMails(1).count == 1)
    }

    @Test(arguments: TestEngine.all) func withoutUsableSettingsNothingIsSent(engine: TestEngine) throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        var h = try EmailHarness(engine: engine)
        try h.record(invoice(store: "unset"))
        try h.configure(store: "other-key", smtpURL: sink.url, login: "u", password: "p")
        let otherBox = SecretBox.random()
        let sealedElsewhere = try otherBox.seal("p", context: "notification/other-key/smtp_password")
        try h.storage.write { db in
            try db.execute("UPDATE notification_settings SET smtp_password_sealed = ? WHERE store_id = 'other-key'", [sealedElsewhere])
        }
        try h.record(invoice(store: "other-key"))
        try h.configure(store: "bad-to", smtpURL: sink.url)
        try h.record(invoice(to: "not an address", store: "bad-to"))
        try h.configure(store: "ftp", smtpURL: "ftp://127.0.0.1:\(sink.port)")
        try h.record(invoice(store: "ftp"))

        let failures = Dictionary(uniqueKeysWithValues: try h.settle().map { ($0.payload.storeID, $0.failure ?? "sent") })

        #expect(failures == ["unset": "the store has no e-mail settings",
                             "other-key": "the stored SMTP password cannot be opened with this key",
                             "bad-to": "the recipient is not a valid e-mail address",
                             "ftp": "the address is refused: only https addresses are allowed"])
        #expect(try sink.mails().isEmpty)
    }
}
