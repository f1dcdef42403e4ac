import Foundation
import SQLStore

extension SQLTime {
    /// `date` as a column gives it back (`SQLTime` text keeps milliseconds): a handler answering
    /// with what it has just written, without reading it back, answers the same times a read would.
    static func stored(_ date: Date) -> Date {
        SQLTime.date(SQLTime.text(date)) ?? date
    }
}
