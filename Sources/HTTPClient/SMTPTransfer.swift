import CCurl
import Foundation

/// Sends one mail on `handle`, which the caller owns for the duration. The body is built with
/// libcurl's MIME API: a multipart/mixed whose first part is the text (or a multipart/alternative
/// of text and HTML, both quoted-printable UTF-8) and whose further parts are the attachments
/// (base64). The handle is reset before and after; its open connection stays for the next mail.
func runSMTPTransfer(on handle: UnsafeMutableRawPointer, _ mail: SMTPMail, via server: SMTPServer,
                     connectTimeout: Duration) throws(SMTPError) -> SMTPReceipt {
    let lowered = server.url.lowercased()
    guard lowered.hasPrefix("smtp://") || lowered.hasPrefix("smtps://") else {
        throw .invalidMail("only smtp:// and smtps:// servers are allowed")
    }
    let headers = try mail.headerLines()
    for attachment in mail.attachments { try MailHeaders.checkContentType(attachment.contentType) }

    curl_easy_reset(handle)
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    var lists = SList()
    let root = curl_mime_init(handle)
    defer {
        // The handle lets go of the body and lists first; only then are they freed.
        curl_easy_reset(handle)
        curl_mime_free(root)
        lists.freeAll()
        errorBuffer.deallocate()
    }
    guard let mime = root else { throw .other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_mime_init failed") }
    let recipients = try lists.make(["<\(mail.to)>"])
    let headerList = try lists.make(headers)
    var resolveList: UnsafeMutablePointer<curl_slist>?
    if !server.resolve.isEmpty { resolveList = try lists.make(server.resolve) }
    var body = MIMEBuilder(handle: handle)
    body.add(mail, to: mime)

    var options = OptionSetter(handle: handle)
    options.long(CURLOPT_NOSIGNAL, 1)
    options.string(CURLOPT_URL, server.url)
    options.string(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
    options.long(CURLOPT_TIMEOUT_MS, server.timeout.curlMilliseconds)
    options.long(CURLOPT_CONNECTTIMEOUT_MS, min(connectTimeout, server.timeout).curlMilliseconds)
    options.pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
    options.long(CURLOPT_USE_SSL, Int(server.tls == .required ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
    if let caFile = server.caFile { options.string(CURLOPT_CAINFO, caFile) }
    if let login = server.login { options.string(CURLOPT_USERNAME, login) }
    if let password = server.password { options.string(CURLOPT_PASSWORD, password) }
    options.string(CURLOPT_MAIL_FROM, "<\(mail.from)>")
    options.record(crm_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients))
    // For SMTP, libcurl sends these as the mail's own header, ahead of the MIME body's.
    options.record(crm_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
    if let resolveList { options.record(crm_curl_setopt_slist(handle, CURLOPT_RESOLVE, resolveList)) }
    options.pointer(CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime))
    if let failure = body.failure ?? options.failure {
        throw .other(code: Int(failure.rawValue), message: "the mail could not be set up: \(String(cString: curl_easy_strerror(failure)))")
    }

    let code = curl_easy_perform(handle)
    var reply = 0
    _ = crm_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
    guard code == CURLE_OK else { throw SMTPError(code: code, reply: reply, detail: String(cString: errorBuffer)) }
    return SMTPReceipt(code: reply)
}

/// The parts of the body, added to a `curl_mime`; the first failing call is kept.
private struct MIMEBuilder {
    let handle: UnsafeMutableRawPointer
    var failure: CURLcode?

    mutating func record(_ code: CURLcode) { if code != CURLE_OK, failure == nil { failure = code } }

    mutating func add(_ mail: SMTPMail, to mime: OpaquePointer) {
        if let html = mail.html, let alternative = curl_mime_init(handle) {
            text(mail.text, type: "text/plain", in: alternative)
            text(html, type: "text/html", in: alternative)
            guard let part = curl_mime_addpart(mime) else {
                curl_mime_free(alternative)
                return record(CURLE_OUT_OF_MEMORY)
            }
            // The part owns the alternative from here: curl_mime_free of the root frees it.
            record(curl_mime_subparts(part, alternative))
            record(curl_mime_type(part, "multipart/alternative"))
            record(curl_mime_headers(part, curl_slist_append(nil, "Content-Disposition: inline"), 1))
        } else {
            if mail.html != nil { record(CURLE_OUT_OF_MEMORY) }
            text(mail.text, type: "text/plain", in: mime)
        }
        for attachment in mail.attachments {
            guard let part = curl_mime_addpart(mime) else { return record(CURLE_OUT_OF_MEMORY) }
            attachment.data.withUnsafeBytes { bytes in
                record(curl_mime_data(part, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count))
            }
            record(curl_mime_type(part, attachment.contentType))
            record(curl_mime_encoder(part, "base64"))
            // Our own disposition (RFC 2231 for a non-ASCII name) instead of curl_mime_filename's.
            record(curl_mime_headers(part, curl_slist_append(nil, MailHeaders.attachmentDisposition(attachment.filename)), 1))
        }
    }

    private mutating func text(_ content: String, type: String, in mime: OpaquePointer) {
        guard let part = curl_mime_addpart(mime) else { return record(CURLE_OUT_OF_MEMORY) }
        // Lines end in CRLF on the wire (a lone LF would go as =0A); libcurl copies the bytes.
        var crlf: [UInt8] = []
        crlf.reserveCapacity(content.utf8.count + 64)
        var previous: UInt8 = 0
        for byte in content.utf8 {
            if byte == 0x0A, previous != 0x0D { crlf.append(0x0D) }
            crlf.append(byte)
            previous = byte
        }
        if crlf.isEmpty {
            "".withCString { record(curl_mime_data(part, $0, 0)) }  // an empty part, not an unset one (NULL)
        } else {
            crlf.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { record(curl_mime_data(part, $0.baseAddress, $0.count)) }
            }
        }
        record(curl_mime_type(part, "\(type); charset=utf-8"))
        record(curl_mime_encoder(part, "quoted-printable"))
    }
}

/// The `curl_slist`s of one transfer, freed together after it.
private struct SList {
    private var made: [UnsafeMutablePointer<curl_slist>] = []

    mutating func make(_ lines: [String]) throws(SMTPError) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw .other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            list = extended
        }
        if let list { made.append(list) }
        return list
    }

    mutating func freeAll() {
        for list in made { curl_slist_free_all(list) }
        made.removeAll()
    }
}
