import CRMTestSupport
import Foundation
import HTTPClient
import Synchronization
import Testing

/// The SMTP client against a real SMTP server (aiosmtpd) on 127.0.0.1: what arrives is read back
/// by Python's e-mail parser, so the form of the mail is judged by a reader we did not write.
@Suite struct SMTPClientTests {
    let client = SMTPClient()
    static let pdf = Data("%PDF-1.4\n%\u{00E2}\u{00E3}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8) + Data((0..<600).map { UInt8($0 % 256) })

    static func invoiceMail(to: String = "anna@example.ru", id: String = "notification.d-1@shop.example") -> SMTPMail {
        SMTPMail(from: "shop@shop.example", fromName: "Магазин «Ромашка»", to: to,
                 subject: "Ваш счёт № 42 от магазина «Ромашка» — оплатите, пожалуйста, до пятницы, спасибо!",
                 text: "Здравствуйте, Анна!\nСчёт № 42 во вложении.\nСтрока, длина которой больше семидесяти шести знаков, чтобы её пришлось перенести.",
                 html: "<p>Здравствуйте, <b>Анна</b>!</p><p>Счёт № 42 во вложении.</p>",
                 attachments: [SMTPAttachment(filename: "счёт-42.pdf", contentType: "application/pdf", data: pdf)],
                 messageID: id, date: Date(timeIntervalSince1970: 1_796_000_000))
    }

    private func lines(_ text: String?) -> String? { text?.replacingOccurrences(of: "\r\n", with: "\n") }

    @Test func aMailWithTextHTMLAndAnAttachmentArrivesWhole() throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mail = Self.invoiceMail()

        let receipt = try client.send(mail, via: SMTPServer(url: sink.url, tls: .ifOffered, timeout: .seconds(10)))

        #expect(receipt.code == 250)
        let received = try #require(try sink.waitForMails(1).first)
        #expect(received.mailFrom == "shop@shop.example")
        #expect(received.rcptTos == ["anna@example.ru"])
        #expect(received.defects == 0, "Python's parser finds nothing wrong in the form")
        #expect(received.headers["Subject"] == mail.subject, "the Russian subject, encoded words decoded")
        #expect(received.headers["From"] == "Магазин «Ромашка» <shop@shop.example>")
        #expect(received.headers["To"] == "anna@example.ru")
        #expect(received.headers["Message-ID"] == "<notification.d-1@shop.example>")
        #expect(received.headers["Date"] == "Mon, 30 Nov 2026 00:53:20 +0000")
        #expect(received.header("mime-version") == "1.0")
        #expect(!received.rawHeader.utf8.contains { $0 >= 0x80 }, "the header on the wire is ASCII")
        #expect(received.rawHeader.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 }, "RFC 5322's line limit")
        #expect(received.rawHeader.contains("Subject: =?UTF-8?B?") && received.rawHeader.contains("?=\r\n =?UTF-8?B?"),
                "the long subject as encoded words on folded lines")

        #expect(received.contentType == "multipart/mixed")
        #expect(received.parts.map(\.contentType) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"])
        let text = received.parts[2], html = received.parts[3], pdf = received.parts[4]
        #expect(lines(text.text) == mail.text && text.charset == "utf-8" && text.transferEncoding == "quoted-printable")
        #expect(lines(html.text) == mail.html && html.charset == "utf-8")
        #expect(pdf.disposition == "attachment" && pdf.filename == "счёт-42.pdf" && pdf.transferEncoding == "base64")
        #expect(pdf.contentBase64.flatMap { Data(base64Encoded: $0) } == Self.pdf, "the attachment's bytes, exactly")
    }

    @Test func aPlainTextMailHasOnePart() throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mail = SMTPMail(from: "shop@shop.example", to: "ivan@example.ru", subject: "Hello", text: "Just text.",
                            messageID: "notification.d-2@shop.example")
        _ = try client.send(mail, via: SMTPServer(url: sink.url, tls: .ifOffered))
        let received = try #require(try sink.waitForMails(1).first)
        #expect(received.headers["Subject"] == "Hello" && received.headers["From"] == "shop@shop.example")
        #expect(received.parts.map(\.contentType) == ["multipart/mixed", "text/plain"])
        #expect(lines(received.parts[1].text) == "Just text.")
    }

    @Test func aLineBreakInTheSubjectAddsNoHeader() throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        var mail = Self.invoiceMail()
        mail.subject = "Hi\r\nBcc: victim@example.org"
        mail.fromName = "Shop\r\nX-Injected: yes"
        _ = try client.send(mail, via: SMTPServer(url: sink.url, tls: .ifOffered))
        let received = try #require(try sink.waitForMails(1).first)
        #expect(received.headers["Bcc"] == nil && received.headers["X-Injected"] == nil)
        #expect(received.headers["Subject"] == "Hi Bcc: victim@example.org")
        #expect(received.rcptTos == ["anna@example.ru"])
    }

    @Test func anAddressThatWouldBreakTheEnvelopeIsRefusedBeforeConnecting() throws {
        for to in ["anna@example.ru>\r\nRCPT TO:<x@y.z", "no-at-sign", "a b@example.ru"] {
            // Port 1: nothing listens there, so only a check before connecting gives invalidMail.
            let outcome = Result(catching: { () throws(SMTPError) in
                try client.send(Self.invoiceMail(to: to), via: SMTPServer(url: "smtp://127.0.0.1:1", tls: .ifOffered))
            })
            guard case .failure(let error) = outcome else { Issue.record("\(to) was sent"); continue }
            #expect(error == .invalidMail("to is not a usable e-mail address") && error.isPermanent)
        }
    }

    @Test func refusalsAreSortedIntoPermanentAndTransient() throws {
        let sink = try SMTPSink(options: ["--slow", "3"])
        defer { sink.stop() }
        let server = SMTPServer(url: sink.url, tls: .ifOffered, timeout: .seconds(10))
        func failure(_ to: String, _ server: SMTPServer) -> SMTPError? {
            if case .failure(let error) = Result(catching: { () throws(SMTPError) in try client.send(Self.invoiceMail(to: to), via: server) }) {
                return error
            }
            return nil
        }
        #expect(failure("reject-me@example.ru", server) == .rejected(code: 550, stage: "at RCPT TO"))
        #expect(failure("reject-me@example.ru", server)?.isPermanent == true)
        #expect(failure("defer-me@example.ru", server) == .deferred(code: 451, stage: "at RCPT TO"))
        #expect(failure("defer-me@example.ru", server)?.isPermanent == false)
        var impatient = server
        impatient.timeout = .seconds(1)
        #expect(failure("slow@example.ru", impatient) == .timeout)
        sink.stop()
        let refused = failure("anna@example.ru", server)
        guard case .connectionFailed? = refused else { Issue.record("a stopped server: \(String(describing: refused))"); return }
        #expect(refused?.isPermanent == false)
        // The slow one may have been taken after the client gave up (why a timeout is retried and
        // the Message-ID stays the same); the refused and deferred ones never are.
        #expect(try sink.mails().allSatisfy { $0.rcptTos == ["slow@example.ru"] })
    }

    @Test func starttlsWithALoginOverIt() throws {
        let certificate = try TestCertificate.make()
        let sink = try SMTPSink(options: ["--cert", certificate.certificate, "--key", certificate.key, "--require-starttls",
                                          "--login", "shop:pa ss"])
        defer { sink.stop() }
        let server = SMTPServer(url: sink.url, login: "shop", password: "pa ss", tls: .required, caFile: certificate.certificate)
        _ = try client.send(Self.invoiceMail(), via: server)
        let received = try #require(try sink.waitForMails(1).first)
        #expect(received.tls && received.login == "shop")

        var wrong = server
        wrong.password = "wrong"
        #expect(throws: SMTPError.rejected(code: 535, stage: "at login")) { try client.send(Self.invoiceMail(), via: wrong) }
        var untrusted = server
        untrusted.caFile = nil
        let refused = #expect(throws: SMTPError.self) { try client.send(Self.invoiceMail(), via: untrusted) }
        guard case .connectionFailed? = refused else { Issue.record("an unknown certificate: \(String(describing: refused))"); return }
        #expect(try sink.mails().count == 1)
    }

    @Test func requiredTLSIsNotGivenUpWhenTheServerDoesNotOfferIt() throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        #expect(throws: SMTPError.tlsUnavailable) {
            try client.send(Self.invoiceMail(), via: SMTPServer(url: sink.url, tls: .required))
        }
        #expect(try sink.mails().isEmpty)
    }

    @Test func smtpsIsTLSFromTheFirstByte() throws {
        let certificate = try TestCertificate.make()
        let sink = try SMTPSink(options: ["--cert", certificate.certificate, "--key", certificate.key, "--smtps"])
        defer { sink.stop() }
        _ = try client.send(Self.invoiceMail(), via: SMTPServer(url: "smtps://127.0.0.1:\(sink.port)", caFile: certificate.certificate))
        #expect(try sink.waitForMails(1).first?.tls == true)
    }

    @Test func manyMailsOverSharedHandles() throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let server = SMTPServer(url: sink.url, tls: .ifOffered)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 40) { n in
            do { _ = try client.send(Self.invoiceMail(to: "buyer\(n)@example.ru", id: "notification.m\(n)@shop.example"), via: server) }
            catch { failures.add(1, ordering: .relaxed) }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        let mails = try sink.waitForMails(40)
        #expect(Set(mails.flatMap(\.rcptTos)) == Set((0..<40).map { "buyer\($0)@example.ru" }))
        #expect(mails.map(\.connections).max()! < 40, "handles given back keep their connection for the next mail")
    }
}
