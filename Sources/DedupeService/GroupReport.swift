import Contracts
import Foundation
import SQLStore
import WorkerKit

/// An analysis's groups and suggestions as kept (`dedupe_group`, `dedupe_suggestion`: the JSON
/// bodies `dedupe.report` answers) and read back in cursor pages by group number.
enum GroupReport {
    static func write(_ db: SQLDatabase, jobID: String, analysis: DedupeAnalysis, records: [DedupeRecord],
                      settings: DedupeSettings) throws {
        let format = settings.fields.phoneFormat ?? "e164"
        for group in analysis.groups {
            let body = DedupeGroup(
                number: group.number,
                clients: group.members.map { i in
                    let r = records[i]
                    return DedupeGroup.Member(clientID: r.clientID, storeID: r.storeID, name: r.displayName.isEmpty ? nil : r.displayName,
                                              email: r.email, phones: r.phones.map { PhoneDisplay.format($0, as: format) },
                                              createdAt: Date(timeIntervalSince1970: r.createdAt))
                },
                reasons: group.reasons.map { reason in
                    let shown = reason.kind == .phone || reason.kind == .contactPhone
                        ? PhoneDisplay.format(reason.value, as: format) : reason.value
                    return DedupeGroup.Reason(kind: reason.kind.rawValue, value: shown,
                                              clientIDs: [records[reason.a].clientID, records[reason.b].clientID])
                },
                survivorID: records[group.survivor].clientID,
                proposed: DedupeGroup.Proposed(firstName: group.proposed.firstName, lastName: group.proposed.lastName,
                                               email: group.proposed.email, phones: group.proposed.phones),
                crossStore: group.crossStore, skipped: group.skipReason?.rawValue)
            try db.execute("INSERT INTO dedupe_group (job_id, number, skipped, body) VALUES (?, ?, ?, ?)",
                           [jobID, group.number, group.skipReason?.rawValue, try text(body)])
        }
        for (seq, s) in analysis.suggestions.enumerated() {
            let body = DedupeSuggestionView(clientIDs: [records[s.a].clientID, records[s.b].clientID],
                                            names: [records[s.a].displayName, records[s.b].displayName],
                                            score: s.score, evidence: s.evidence)
            try db.execute("INSERT INTO dedupe_suggestion (job_id, seq, body) VALUES (?, ?, ?)", [jobID, seq + 1, try text(body)])
        }
    }

    static func page(_ db: SQLDatabase, _ query: DedupeReportQuery, _ context: HandlerContext) throws -> DedupeReportResult {
        let job = try JobTable.require(db, jobID: query.jobID, storeID: query.storeID)
        guard job.status == "done" else {
            throw ErrorBody(code: .conflict, message: "job \(job.jobID) is \(job.status): its report is not ready",
                            details: [ErrorDetail(field: "job_id", problem: "not_done")])
        }
        let limit = query.limit ?? 100
        let bodies = try db.column("SELECT body FROM dedupe_group WHERE job_id = ? AND number > ? ORDER BY number LIMIT ?",
                                   [job.jobID, query.after ?? 0, limit + 1], as: String.self)
        let groups = try bodies.prefix(limit).map { try JSONCoding.decoder.decode(DedupeGroup.self, from: Data($0.utf8)) }
        let more = bodies.count > limit
        var suggestions: [DedupeSuggestionView]?
        if query.after == nil {
            suggestions = try db.column("SELECT body FROM dedupe_suggestion WHERE job_id = ? ORDER BY seq LIMIT 1000", [job.jobID],
                                        as: String.self).map { try JSONCoding.decoder.decode(DedupeSuggestionView.self, from: Data($0.utf8)) }
        }
        return DedupeReportResult(job: job, groups: groups, suggestions: suggestions, nextCursor: more ? groups.last?.number : nil)
    }

    private static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}
