import Contracts
import Foundation

/// The input of effect `notification.email` (the shape agreed with the e-mail channel): one
/// message to one address, already rendered. The SMTP server and its password are not in it: the
/// performer reads the store's settings (and opens the sealed password) when it sends.
public struct EmailSend: Codable, Sendable, Equatable {
    public var storeID: String
    public var deliveryID: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [EmailAttachment]

    public init(storeID: String, deliveryID: String, to: String, subject: String, text: String, html: String? = nil,
                attachments: [EmailAttachment] = []) {
        self.storeID = storeID
        self.deliveryID = deliveryID
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", deliveryID = "delivery_id", to, subject, text, html, attachments
    }
}

/// What the SMTP server accepted: the Message-ID the message was sent with.
public struct EmailSent: Codable, Sendable, Equatable {
    public var messageID: String
    public init(messageID: String) { self.messageID = messageID }
    enum CodingKeys: String, CodingKey { case messageID = "message_id" }
}

public typealias EmailSendCompleted = EffectCompleted<EmailSend, EmailSent>
