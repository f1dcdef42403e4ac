/// The shape of a one-row `INSERT INTO t (…) VALUES (…) [ON CONFLICT …]` with `$n` parameters,
/// to send the rows of several such statements as one: `VALUES (…), (…), …`. PostgreSQL's cost
/// of a small statement is mostly its own (a portal, locks, an executor started and stopped: a
/// profile of the hot path showed more time there than in the inserts), so rows of one shape
/// that a batch enqueues go out together (`PostgresConnection.enqueue`).
struct PostgresInsertShape {
    /// `INSERT INTO t (…) VALUES `
    let head: String
    /// The row's text, cut around its parameters: text, then parameter number, alternating.
    let pieces: [(text: String, parameter: Int?)]
    /// What follows the row: empty or an `ON CONFLICT` clause.
    let tail: String
    let parameterCount: Int

    /// nil for any statement not of that form (no `RETURNING`, no `SELECT`, parameters only in the row).
    init?(_ sql: String) {
        let bytes = Array(sql.utf8)
        guard Self.startsWith(bytes, "INSERT INTO"), let values = Self.keyword(bytes, "VALUES"),
              let open = bytes[values...].firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\t") }),
              bytes[open] == UInt8(ascii: "("), let close = Self.closingParenthesis(bytes, from: open) else { return nil }
        let head = String(decoding: bytes[..<open], as: UTF8.self)
        let tail = String(decoding: bytes[(close + 1)...], as: UTF8.self)
        let upperTail = tail.uppercased()
        guard !head.contains("$"), !tail.contains("$"), !upperTail.contains("RETURNING"),
              !head.uppercased().contains("SELECT") else { return nil }
        var pieces: [(String, Int?)] = []
        var text: [UInt8] = [], i = open, inQuote = false, count = 0
        while i <= close {
            let byte = bytes[i]
            if byte == UInt8(ascii: "'") { inQuote.toggle() }
            if !inQuote, byte == UInt8(ascii: "$"), i + 1 <= close, bytes[i + 1] >= 48, bytes[i + 1] <= 57 {
                var n = 0
                i += 1
                while i <= close, bytes[i] >= 48, bytes[i] <= 57 { n = n * 10 + Int(bytes[i] - 48); i += 1 }
                pieces.append((String(decoding: text, as: UTF8.self), n))
                text = []
                count = max(count, n)
                continue
            }
            text.append(byte)
            i += 1
        }
        pieces.append((String(decoding: text, as: UTF8.self), nil))
        guard count > 0 else { return nil }
        (self.head, self.pieces, self.tail, parameterCount) = (head, pieces, tail, count)
    }

    /// The statement for `rows` rows: row k's parameters are numbered after row k-1's.
    func sql(rows: Int) -> String {
        var out = head
        for row in 0..<rows {
            if row > 0 { out += ", " }
            for piece in pieces {
                out += piece.text
                if let n = piece.parameter { out += "$\(n + row * parameterCount)" }
            }
        }
        return out + tail
    }

    private static func startsWith(_ bytes: [UInt8], _ prefix: String) -> Bool {
        let start = bytes.firstIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") } ?? 0
        let p = Array(prefix.utf8)
        return bytes.count >= start + p.count && String(decoding: bytes[start..<start + p.count], as: UTF8.self).uppercased() == prefix
    }

    /// The index just after the first `keyword` outside quotes (as a whole word).
    private static func keyword(_ bytes: [UInt8], _ keyword: String) -> Int? {
        let k = Array(keyword.utf8)
        var inQuote = false
        var i = 0
        while i + k.count <= bytes.count {
            if bytes[i] == UInt8(ascii: "'") { inQuote.toggle() }
            if !inQuote, String(decoding: bytes[i..<i + k.count], as: UTF8.self).uppercased() == keyword,
               i == 0 || !isWordByte(bytes[i - 1]), i + k.count == bytes.count || !isWordByte(bytes[i + k.count]) {
                return i + k.count
            }
            i += 1
        }
        return nil
    }

    private static func closingParenthesis(_ bytes: [UInt8], from open: Int) -> Int? {
        var depth = 0, inQuote = false
        for i in open..<bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "'"): inQuote.toggle()
            case UInt8(ascii: "(") where !inQuote: depth += 1
            case UInt8(ascii: ")") where !inQuote:
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
        }
        return nil
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: "_")
    }
}
