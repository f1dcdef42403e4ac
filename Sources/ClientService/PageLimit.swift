import Contracts

/// The `limit` of a paged query, checked again in the handler: the schema bounds it too, but
/// a wrong schema must not let `prefix(-1)` or `limit + 1` trap the worker.
enum PageLimit {
    static func checked(_ limit: Int?, default fallback: Int, allowed: ClosedRange<Int>) throws -> Int {
        guard let limit else { return fallback }
        guard limit >= allowed.lowerBound else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "limit", problem: "below_minimum")])
        }
        guard limit <= allowed.upperBound else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "limit", problem: "above_maximum")])
        }
        return limit
    }
}
