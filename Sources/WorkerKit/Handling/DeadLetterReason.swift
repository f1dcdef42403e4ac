/// Why a message went to `<service>.dead`; travels in the `x-dead-reason` header.
public enum DeadLetterReason: String, Sendable, CaseIterable {
    case bodyTooLarge = "body_too_large"
    case wrongContentType = "wrong_content_type"
    case missingMessageID = "missing_message_id"
    case missingType = "missing_type"
    case unknownType = "unknown_type"
    case malformedJSON = "malformed_json"
    /// An object names a key twice: refused rather than guessing which one was meant.
    case duplicateKey = "duplicate_key"
    case schemaViolation = "schema_violation"
    case invalidValue = "invalid_value"
    /// No verified sender, a sender the access policy does not list, or one not allowed this type or store.
    case unauthorized
    case retriesExhausted = "retries_exhausted"
    /// Delivered again and again without being settled: it crashed the worker or failed its transaction.
    case tooManyAttempts = "too_many_attempts"

    /// Refusals of the message itself: a request is told so in its reply and nothing is
    /// dead-lettered. The others (failures an operator must look at) are dead-lettered always.
    var isRefusal: Bool { self != .retriesExhausted && self != .tooManyAttempts }
}

/// The headers a dead letter carries, so that an operator can tell what happened and replay it.
public enum DeadLetterHeader {
    public static let reason = "x-dead-reason"
    public static let detail = "x-dead-detail"
    public static let field = "x-dead-field"
    public static let service = "x-dead-service"
    public static let failedAt = "x-dead-at"
    public static let originalExchange = "x-original-exchange"
    public static let originalRoutingKey = "x-original-routing-key"
    public static let originalReplyTo = "x-original-reply-to"
    /// Set by `crmctl dead replay`: the inbox lets a message that died once be handled again.
    public static let replayed = "x-replayed"
    public static let retryCount = "x-retry-count"
    /// Set when the sender's own headers were left out to keep a dead letter's header table small.
    public static let headersDropped = "x-dead-headers-dropped"
    /// How many times a poison message was delivered before it was given up.
    public static let attempts = "x-dead-attempts"
    /// The body was over the size limit and was not kept: the dead letter's body is empty and
    /// this header holds the size it had.
    public static let bodyDropped = "x-dead-body-dropped"
}
