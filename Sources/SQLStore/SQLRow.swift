/// One row of a result, its values by column name or position.
public struct SQLRow: Sendable {
    /// Shared by all rows of one result.
    public let columns: SQLColumns
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The column's value as `T`; a programming error (a trap, like GRDB's) when the column is
    /// missing or holds another type. Use an optional `T` for a column that may be NULL.
    public subscript<T: SQLValueConvertible>(_ column: String) -> T {
        guard let index = columns.position(of: column) else { preconditionFailure("no column \(column) in \(columns.names)") }
        return self[index]
    }

    // Inlinable: a caller's concrete `T` then converts directly, not through generic metadata
    // (reading a 21-column row by position was 3/4 generic overhead in a profile).
    @inlinable
    public subscript<T: SQLValueConvertible>(_ index: Int) -> T {
        guard let value = T.from(values[index]) else {
            preconditionFailure("column \(columns.names[index]) holds \(values[index]), not \(T.self)")
        }
        return value
    }

    public subscript<T: SQLValueConvertible>(_ column: String) -> T? {
        guard let index = columns.position(of: column) else { preconditionFailure("no column \(column) in \(columns.names)") }
        return self[index]
    }

    @inlinable
    public subscript<T: SQLValueConvertible>(_ index: Int) -> T? {
        if case .null = values[index] { return nil }
        return T.from(values[index])
    }

    public func has(_ column: String) -> Bool { columns.position(of: column) != nil }
}

/// The names of a result's columns. Most results have a few columns and few rows, so a name is
/// found by comparing names (cheaper than hashing them into a table per result); wide results get
/// the table.
public final class SQLColumns: Sendable {
    public let names: [String]
    private let index: [String: Int]?

    public init(_ names: [String]) {
        self.names = names
        if names.count > 8 {
            var index: [String: Int] = [:]
            for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
            self.index = index
        } else {
            index = nil
        }
    }

    /// The first column of that name, as SQL resolves a name that appears twice.
    public func position(of name: String) -> Int? {
        if let index { return index[name] }
        return names.firstIndex(of: name)
    }
}
