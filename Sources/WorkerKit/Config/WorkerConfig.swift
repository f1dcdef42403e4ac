import ArgumentParser
import Foundation
import Contracts
import Messaging

/// Everything a worker is told at start, read once in `main` and passed down as a value.
public struct WorkerConfig: Sendable {
    public var amqpURL: AMQPURL
    /// The cluster's other nodes, tried when `amqpURL` does not answer (AMQP_URL as a list).
    public var otherBrokers: [AMQPURL] = []
    /// Every node, `amqpURL` first.
    public var brokers: BrokerList { BrokerList([amqpURL] + otherBrokers) }
    /// Quorum queues for everything (`ServiceTopology.replicated`): when several nodes are given,
    /// or `CRM_REPLICATED_QUEUES=1` for a cluster behind one address.
    public var replicatedQueues = false
    public var dataDirectory: URL
    /// `postgres://…`: the service's tables live in that PostgreSQL database, shared by its
    /// replicas; nil: in the SQLite file under `dataDirectory` (one process per folder).
    public var databaseURL: String?

    /// Where the tables are, for the logs: the SQLite folder, or the PostgreSQL server and
    /// database without the password.
    public var storageDescription: String {
        guard let databaseURL, let url = URLComponents(string: databaseURL) else { return "sqlite:\(dataDirectory.path)" }
        return "postgres://\(url.user.map { $0 + "@" } ?? "")\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(url.path)"
    }
    public var schemasDirectory: URL
    public var prefetch: UInt16
    /// Deliveries handled in one database transaction and acknowledged together.
    public var batchSize: Int
    /// Consumer loops in this process, each with its own broker connection and database
    /// connection: competing consumers within one replica. PostgreSQL only; SQLite has one writer.
    public var consumers = 1
    public var maxBodyBytes: Int
    /// 0 turns the metrics and health endpoint off.
    public var metricsPort: Int
    public var retryDelays: [Duration]
    /// How long a handled message id is remembered. Longer than any redelivery can take (the
    /// broker redelivers within minutes; the last retry step is a minute), so a day is plenty;
    /// handlers keep natural keys idempotent beyond that.
    public var inboxRetention: Duration
    public var logLevel: String
    /// Who may do what; read from `accessFile` at start and again on SIGHUP.
    public var access: AccessPolicy
    public var accessFile: String?
    /// Seals stored secrets; from `CRM_SECRET_KEY` (never a flag: arguments are visible in `ps`).
    public var secrets: SecretBox?
    /// Where external calls may go (`https` to public addresses unless loopback/private are allowed).
    public var outbound: OutboundPolicy
    /// Circuit breaker and retries of the external calls.
    public var effects: EffectSettings
    /// Poison guard: a message delivered this many times without being settled (a crash, a failed
    /// transaction) is dead-lettered with reason `too_many_attempts` instead of being handled again.
    public var maxAttempts: Int = 5
    /// Bounds of `<service>.dead` and `crm.unrouted`; a full one refuses (nacks) rather than drops.
    public var deadLetterBounds = QueueBounds.deadLetterDefault

    public init(amqpURL: AMQPURL, dataDirectory: URL, schemasDirectory: URL, access: AccessPolicy,
                accessFile: String? = nil, secrets: SecretBox? = nil, prefetch: UInt16 = 500,
                batchSize: Int = 200, maxBodyBytes: Int = 1 << 20, metricsPort: Int = 0,
                retryDelays: [Duration] = [.seconds(1), .seconds(10), .seconds(60)],
                inboxRetention: Duration = .seconds(7 * 24 * 3600), logLevel: String = "info",
                outbound: OutboundPolicy = .publicOnly, effects: EffectSettings = EffectSettings()) {
        self.amqpURL = amqpURL
        self.dataDirectory = dataDirectory
        self.schemasDirectory = schemasDirectory
        self.prefetch = prefetch
        self.batchSize = batchSize
        self.maxBodyBytes = maxBodyBytes
        self.metricsPort = metricsPort
        self.retryDelays = retryDelays
        self.inboxRetention = inboxRetention
        self.logLevel = logLevel
        self.access = access
        self.accessFile = accessFile
        self.secrets = secrets
        self.outbound = outbound
        self.effects = effects
    }
}

/// Command-line flags of every service; each falls back to an environment variable, then a default.
public struct WorkerOptions: ParsableArguments {
    @Option(help: "Broker URL, or the URLs of a cluster's nodes separated by commas (env AMQP_URL).")
    var amqpURL: String = env("AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672/%2f"

    @Option(help: "Folder for the service's SQLite database (env CRM_DATA_DIR).")
    var dataDir: String = env("CRM_DATA_DIR") ?? "data"

    @Option(help: "PostgreSQL database of the service, postgres://user:password@host:port/db; absent: SQLite under --data-dir (env CRM_DATABASE_URL).")
    var databaseURL: String? = env("CRM_DATABASE_URL")

    @Option(help: "Folder of the JSON Schemas (env CRM_SCHEMAS_DIR).")
    var schemasDir: String? = env("CRM_SCHEMAS_DIR")

    @Option(help: "Unacknowledged deliveries the broker may send ahead (env CRM_PREFETCH).")
    var prefetch: UInt16 = env("CRM_PREFETCH").flatMap { UInt16($0) } ?? 500

    @Option(help: "Deliveries per database transaction and ack (env CRM_BATCH_SIZE).")
    var batchSize: Int = env("CRM_BATCH_SIZE").flatMap { Int($0) } ?? 200

    @Option(help: "Consumer loops per process with PostgreSQL, default 2; always 1 with SQLite (env CRM_CONSUMERS).")
    var consumers: Int? = env("CRM_CONSUMERS").flatMap { Int($0) }

    @Option(help: "Largest body accepted, in bytes (env CRM_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = env("CRM_MAX_BODY_BYTES").flatMap { Int($0) } ?? 1 << 20

    @Option(help: "Port of /metrics and /health on 127.0.0.1; 0 = off (env CRM_METRICS_PORT).")
    var metricsPort: Int = env("CRM_METRICS_PORT").flatMap { Int($0) } ?? 0

    @Option(help: "Retry delays in milliseconds, comma-separated (env CRM_RETRY_DELAYS_MS).")
    var retryDelaysMs: String = env("CRM_RETRY_DELAYS_MS") ?? "1000,10000,60000"

    @Option(help: "Hours a handled message id is remembered (env CRM_INBOX_RETENTION_HOURS).")
    var inboxRetentionHours: Int = env("CRM_INBOX_RETENTION_HOURS").flatMap { Int($0) } ?? 7 * 24

    @Option(help: "The access policy: each broker user's role and stores (env CRM_ACCESS_FILE).")
    var accessFile: String? = env("CRM_ACCESS_FILE")

    @Option(help: "Let external calls go to loopback addresses, over http too (env CRM_OUTBOUND_ALLOW_LOOPBACK=1; development only).")
    var outboundAllowLoopback: Bool = flag("CRM_OUTBOUND_ALLOW_LOOPBACK")

    @Option(help: "Let external calls go to private and link-local addresses (env CRM_OUTBOUND_ALLOW_PRIVATE=1).")
    var outboundAllowPrivate: Bool = flag("CRM_OUTBOUND_ALLOW_PRIVATE")

    @Option(help: "Deliveries of one message before it is dead-lettered as poison (env CRM_MAX_ATTEMPTS).")
    var maxAttempts: Int = env("CRM_MAX_ATTEMPTS").flatMap { Int($0) } ?? 5

    @Option(help: "Most messages kept in each dead-letter queue and crm.unrouted (env CRM_DEAD_MAX_LENGTH).")
    var deadMaxLength: Int = env("CRM_DEAD_MAX_LENGTH").flatMap { Int($0) } ?? QueueBounds.deadLetterDefault.maxLength

    @Option(help: "Most bytes kept in each dead-letter queue and crm.unrouted (env CRM_DEAD_MAX_BYTES).")
    var deadMaxBytes: Int = env("CRM_DEAD_MAX_BYTES").flatMap { Int($0) } ?? QueueBounds.deadLetterDefault.maxBytes

    @Option(help: "External calls under way at once, each on a thread of its own (env CRM_EFFECT_CONCURRENCY).")
    var effectConcurrency: Int = env("CRM_EFFECT_CONCURRENCY").flatMap { Int($0) } ?? 32

    @Option(help: "External calls under way at once to one server, host and port; default a quarter of the concurrency (env CRM_EFFECT_PER_SERVER).")
    var effectPerServer: Int? = env("CRM_EFFECT_PER_SERVER").flatMap { Int($0) }

    @Option(help: "trace, debug, info, notice, warning, error (env CRM_LOG_LEVEL).")
    var logLevel: String = env("CRM_LOG_LEVEL") ?? "info"

    public init() {}

    public mutating func validate() throws {
        guard prefetch > 0, batchSize > 0 else { throw ValidationError("prefetch and batch size must be positive") }
        guard Int(prefetch) > batchSize else {
            // With prefetch == batch the broker stops sending while a full batch waits for its ack.
            throw ValidationError("prefetch must be larger than the batch size")
        }
        _ = try makeConfig()
    }

    public func makeConfig() throws -> WorkerConfig {
        let delays = try retryDelaysMs.split(separator: ",").map { part -> Duration in
            guard let ms = Int(part.trimmingCharacters(in: .whitespaces)), ms > 0 else {
                throw ValidationError("retry delays must be positive milliseconds")
            }
            return .milliseconds(ms)
        }
        guard let accessFile else {
            throw ValidationError("no access policy: set CRM_ACCESS_FILE (scripts/run writes .run/access.json)")
        }
        guard maxAttempts > 0, deadMaxLength > 0, deadMaxBytes > 0 else {
            throw ValidationError("max attempts and dead-letter bounds must be positive")
        }
        guard (1...1024).contains(effectConcurrency), effectPerServer.map({ (1...effectConcurrency).contains($0) }) ?? true else {
            throw ValidationError("effect concurrency must be 1 to 1024, and calls per server 1 to that")
        }
        let brokers = try BrokerList(parsing: amqpURL)
        var config = WorkerConfig(
            amqpURL: brokers.urls[0],
            dataDirectory: URL(fileURLWithPath: dataDir),
            schemasDirectory: schemasDir.map { URL(fileURLWithPath: $0) } ?? SchemaRegistry.defaultDirectory(),
            access: try AccessPolicy.load(file: URL(fileURLWithPath: accessFile)), accessFile: accessFile,
            secrets: try env(SecretBox.keyEnvironmentVariable).map(SecretBox.init(base64Key:)),
            prefetch: prefetch, batchSize: batchSize, maxBodyBytes: maxBodyBytes, metricsPort: metricsPort,
            retryDelays: delays, inboxRetention: .seconds(max(1, inboxRetentionHours) * 3600), logLevel: logLevel,
            outbound: OutboundPolicy(allowLoopback: outboundAllowLoopback, allowPrivate: outboundAllowPrivate),
            effects: EffectSettings(concurrency: effectConcurrency, perHostConcurrency: effectPerServer))
        config.otherBrokers = Array(brokers.urls.dropFirst())
        config.replicatedQueues = brokers.urls.count > 1 || env("CRM_REPLICATED_QUEUES") == "1"
        config.maxAttempts = maxAttempts
        if let databaseURL, !databaseURL.isEmpty {
            guard databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") else {
                throw ValidationError("CRM_DATABASE_URL must be a postgres:// URL (absent for SQLite)")
            }
            config.databaseURL = databaseURL
        }
        // One connection per loop waits for PostgreSQL's round trips; several keep it busy.
        // SQLite has one writer: there it is always one (one setting can serve services on either engine).
        guard consumers.map({ (1...64).contains($0) }) ?? true else { throw ValidationError("consumers must be 1 to 64") }
        config.consumers = config.databaseURL == nil ? 1 : consumers ?? 2
        config.deadLetterBounds = QueueBounds(maxLength: deadMaxLength, maxBytes: deadMaxBytes)
        return config
    }
}

/// An on/off environment variable: 1, true or yes.
func flag(_ name: String) -> Bool {
    env(name).map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false
}

func env(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
}
