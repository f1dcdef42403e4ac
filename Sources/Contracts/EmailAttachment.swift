import Foundation

/// A file sent with an e-mail (an invoice PDF), its bytes in base64.
/// notify-core declares the same type in NotificationSend.swift: at the merge, keep that one and drop this file.
public struct EmailAttachment: Codable, Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var contentBase64: String

    public init(filename: String, contentType: String, contentBase64: String) {
        self.filename = filename
        self.contentType = contentType
        self.contentBase64 = contentBase64
    }

    enum CodingKeys: String, CodingKey { case filename, contentType = "content_type", contentBase64 = "content_base64" }
}
