import CPostgres

/// Statements whose results nobody reads (inserts of the hot path: outbox, inbox, a new order)
/// go out in libpq's pipeline mode without waiting for their answers; the next statement that
/// needs an answer, or `flush()`, sends them with a sync point and reads what they returned.
/// On loopback the wait for each answer, not the server's work, is most of a statement's cost.
extension PostgresConnection {
    /// Sends a prepared statement without waiting for its result. An error it raises is thrown
    /// by the next `flush()` (every other call flushes first), before that call runs.
    public func enqueue(_ sql: String, _ parameters: [PostgresValue] = []) throws {
        if pending == 0 {
            guard PQenterPipelineMode(connection) == 1 else { throw lastError() }
        }
        let name = try preparedName(sql) { name in
            guard PQsendPrepare(connection, name, sql, 0, nil) == 1 else { throw lastError() }
            preparing.append(sql)
            pending += 1
        }
        let texts = parameters.map(\.wireText)
        let sent: Int32 = withCStrings(texts) { pointers in
            PQsendQueryPrepared(connection, name, Int32(pointers.count), pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw lastError() }
        pending += 1
    }

    /// Sends what was enqueued and reads its results; throws the first error among them (the
    /// server skipped the statements after it).
    public func flush() throws {
        guard pending > 0 else { return }
        pending = 0
        guard PQpipelineSync(connection) == 1 else { throw lastError() }
        var failure: PostgresError?
        while true {
            guard let result = PQgetResult(connection) else {
                // The end of one statement's results, or a connection that went away.
                if isBroken { throw lastError() }
                continue
            }
            let status = PQresultStatus(result)
            if status == PGRES_FATAL_ERROR, failure == nil {
                failure = .statement(sqlState: Self.field(result, Int32(UInt8(ascii: "C"))),
                                     message: Self.text(PQresultErrorMessage(result)))
            }
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if PQexitPipelineMode(connection) != 1 {
            while let rest = PQgetResult(connection) { PQclear(rest) }
            guard PQexitPipelineMode(connection) == 1 else { throw lastError() }
        }
        let prepares = preparing
        preparing = []
        if let failure {
            // A statement prepared in this pipeline may not exist on the server: prepare again next time.
            for sql in prepares { prepared[sql] = nil }
            throw failure
        }
    }

    func lastError() -> PostgresError {
        .statement(sqlState: nil, message: Self.text(PQerrorMessage(connection)))
    }
}
