import Contracts

/// The local trust level from the store's own history, so that a store without the external
/// service still gets a rating. The thresholds are the ones shop operators use by hand: a buyer
/// who refuses or returns half of what they order is not sent cash-on-delivery again.
enum TrustPolicy {
    struct History {
        var completed = 0
        var refused = 0
        var returned = 0
        var canceled = 0
        var unfinished = 0
        var codFinished = 0
        var codFailed = 0
    }

    static func assess(_ h: History) -> TrustAssessment {
        let finished = h.completed + h.refused + h.returned
        var reasons: [String] = []
        guard finished > 0 else {
            reasons.append("no finished orders yet")
            if h.unfinished > 0 { reasons.append("\(h.unfinished) \(orders(h.unfinished)) in progress") }
            return TrustAssessment(level: .unknown, reasons: reasons)
        }
        reasons.append("\(h.completed) of \(finished) finished \(orders(finished)) completed")
        if h.codFinished > 0 {
            reasons.append("\(h.codFailed) of \(h.codFinished) cash-on-delivery \(orders(h.codFinished)) refused or returned")
        }
        if h.canceled > 0 { reasons.append("\(h.canceled) \(orders(h.canceled)) canceled") }
        let rate = Double(h.completed) / Double(finished)
        let level: TrustAssessment.Level
        if rate < 0.5 || (h.codFailed >= 2 && h.codFailed * 2 >= h.codFinished) {
            level = .noTrust
        } else if rate >= 0.9, h.completed >= 2, h.codFailed == 0 {
            level = .trusted
        } else {
            level = .neutral
        }
        return TrustAssessment(level: level, reasons: reasons)
    }

    private static func orders(_ n: Int) -> String { n == 1 ? "order" : "orders" }
}
