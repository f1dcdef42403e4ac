/// The nodes of a broker cluster, tried in turn: a connection goes to the first that answers,
/// starting after the node the previous connection was on, so that a reconnect after a node went
/// away tries the others first. One list per loop (consumer, relay): each owns its own cursor.
public struct BrokerList: Sendable, CustomStringConvertible {
    public let urls: [AMQPURL]
    private var next = 0

    public init(_ urls: [AMQPURL]) {
        precondition(!urls.isEmpty, "a broker list needs at least one URL")
        self.urls = urls
    }

    /// `AMQP_URL` in its list form: URLs separated by commas or white space.
    public init(parsing text: String) throws {
        let parts = text.split { $0 == "," || $0.isWhitespace }.map(String.init)
        guard !parts.isEmpty else { throw AMQPError.invalidURL("(empty)") }
        self.init(try parts.map(AMQPURL.init))
    }

    /// Connects to the next node that answers; throws the last node's error when none does.
    public mutating func connect() throws -> AMQPConnection {
        var lastError: Error?
        for offset in 0..<urls.count {
            let index = (next + offset) % urls.count
            do {
                let connection = try AMQPConnection(url: urls[index])
                // The next connection starts with the node after this one: if this one goes
                // away, the reconnect does not wait for it first.
                next = (index + 1) % urls.count
                return connection
            } catch {
                lastError = error
            }
        }
        next = (next + 1) % urls.count
        throw lastError!
    }

    public var description: String { urls.map(\.description).joined(separator: ",") }
}
