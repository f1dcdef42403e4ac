import Contracts
import Foundation

extension Date {
    /// The text GRDB stores a `Date` as (`2024-05-01 10:15:30.250`, UTC), made without a
    /// DateFormatter: hot-path statements bind this, and records still read it back as `Date`.
    public var databaseText: String { RFC3339.format(self, separator: " ", zone: "") }
}
