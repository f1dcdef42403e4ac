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
        guard let index = columns.index[column] else { preconditionFailure("no column \(column) in \(columns.names)") }
        return self[index]
    }

    public subscript<T: SQLValueConvertible>(_ index: Int) -> T {
        guard let value = T.from(values[index]) else {
            preconditionFailure("column \(columns.names[index]) holds \(values[index]), not \(T.self)")
        }
        return value
    }

    public subscript<T: SQLValueConvertible>(_ column: String) -> T? {
        guard let index = columns.index[column] else { preconditionFailure("no column \(column) in \(columns.names)") }
        return self[index]
    }

    public subscript<T: SQLValueConvertible>(_ index: Int) -> T? {
        if case .null = values[index] { return nil }
        return T.from(values[index])
    }

    public func has(_ column: String) -> Bool { columns.index[column] != nil }
}

/// The names of a result's columns, with their positions looked up once per result.
public final class SQLColumns: Sendable {
    public let names: [String]
    let index: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.index = index
    }
}
