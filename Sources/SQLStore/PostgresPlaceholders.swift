/// Rewrites `?` parameters to PostgreSQL's `$1, $2, …`, leaving string literals, quoted names
/// and comments alone, so that one SQL text serves both engines.
enum PostgresPlaceholders {
    static func rewrite(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        var lineComment = false
        var previous: Character = " "
        for ch in sql {
            if lineComment {
                out.append(ch)
                if ch == "\n" { lineComment = false }
            } else if let q = quote {
                out.append(ch)
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
            } else if ch == "-" && previous == "-" {
                lineComment = true
                out.append(ch)
            } else if ch == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(ch)
            }
            previous = ch
        }
        return out
    }
}

