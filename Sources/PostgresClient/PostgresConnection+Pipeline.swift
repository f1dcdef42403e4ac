import CPostgres

/// Statements whose results nobody reads (inserts of the hot path: outbox, inbox, a new order)
/// go out in libpq's pipeline mode without waiting for their answers; the next statement that
/// needs an answer, or `flush()`, sends them with a sync point and reads what they returned.
/// On loopback the wait for each answer, not the server's work, is most of a statement's cost.
extension PostgresConnection {
    /// Sends a prepared statement without waiting for its result. An error it raises is thrown
    /// by the next `flush()` (every other call flushes first), before that call runs.
    ///
    /// A one-row insert is held instead, with the other rows of the same statement, until any
    /// other statement or `flush()`: then each held statement goes out once for all its rows
    /// (`PostgresInsertShape`), in the order each was first enqueued. Reads and other writes
    /// still see every row enqueued before them; only held inserts into different tables may
    /// reach the server in another order than enqueued (no foreign keys between our tables).
    public func enqueue(_ sql: String, _ parameters: [PostgresValue] = []) throws {
        let shape: PostgresInsertShape?
        if let known = insertShapes[sql] { shape = known } else {
            shape = PostgresInsertShape(sql)
            insertShapes[sql] = shape
        }
        if let shape, parameters.count == shape.parameterCount {
            if let index = heldIndex[sql] {
                heldInserts[index].rows.append(parameters)
            } else {
                heldIndex[sql] = heldInserts.count
                heldInserts.append((sql, shape, [parameters]))
            }
            return
        }
        try sendHeldInserts()
        try send(sql, parameters)
    }

    /// Each held statement once per chunk of its rows; chunks of 128, 64, … 1 rows, so that a
    /// statement has a few prepared forms rather than one per row count.
    func sendHeldInserts() throws {
        guard !heldInserts.isEmpty else { return }
        let held = heldInserts
        heldInserts = []
        heldIndex = [:]
        for (sql, shape, rows) in held {
            var start = 0
            while start < rows.count {
                var size = 128
                while size > rows.count - start || size * shape.parameterCount > 60_000 { size /= 2 }
                let chunk = rows[start..<start + size]
                try send(size == 1 ? sql : shape.sql(rows: size), chunk.flatMap { $0 })
                start += size
            }
        }
    }

    private func send(_ sql: String, _ parameters: [PostgresValue]) throws {
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
        try sendHeldInserts()
        guard pending > 0 else { return }
        try syncPipeline { _, _ in }
    }

    /// One prepared statement run once per parameter set, all in one round trip: the rows of
    /// each run, in order. A batch's reads that do not depend on each other (a lookup per
    /// message) cost one wait for the server instead of one each.
    public func executePreparedEach(_ sql: String, _ parameterSets: [[PostgresValue]]) throws -> [PostgresRows] {
        try flush()
        guard !parameterSets.isEmpty else { return [] }
        for parameters in parameterSets { try send(sql, parameters) }
        var results: [PostgresRows] = []
        try syncPipeline { result, status in
            if status == PGRES_TUPLES_OK { results.append(Self.rows(of: result)) }
        }
        guard results.count == parameterSets.count else {
            throw PostgresError.statement(sqlState: nil, message: "\(results.count) results for \(parameterSets.count) statements")
        }
        return results
    }

    /// Ends the pipeline under way with a sync point and reads every result up to it, handing
    /// each to `read` (prepares included); throws the first error among them.
    private func syncPipeline(_ read: (OpaquePointer, ExecStatusType) -> Void) throws {
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
            read(result, status)
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
