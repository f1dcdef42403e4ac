import ClientService
import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import Testing
import WorkerKit

/// What the dedupe broker tests ask over and over, as a client of client-service and
/// dedupe-service: a store's settings, an analysis run to its end and its whole report, a merge
/// run, a card.
struct DedupeDriver {
    let client: RequestClient
    typealias Helpers = BrokerSuite.ClientCommandsThroughBrokerTests

    func body<T: Encodable>(_ value: T) -> Data { Helpers.body(value) }

    /// client-service and dedupe-service (ticking every 100 ms) on a vhost of their own, each as its
    /// own broker user, and a driver logged in as the administrator (every store).
    static func running(_ definition: DedupeServiceDefinition = DedupeServiceDefinition(tickEvery: .milliseconds(100)),
                        _ body: (DedupeDriver, RunningWorker) async throws -> Void) async throws {
        let url = try TestBroker.makeVhost()
        defer { TestBroker.deleteVhost(url) }
        try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
            try await RunningWorker.with(definition, url: url, as: "dedupe-service") { dedupe in
                try await body(DedupeDriver(client: try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.adminName), appID: "crmctl")),
                               dedupe)
            }
        }
    }

    func create(_ store: String, _ set: (inout ClientFields) -> Void) throws -> ClientCard {
        try Helpers.create(client, store, set)
    }

    func card(_ store: String, _ id: String) throws -> ClientCard {
        try client.result(of: "client.get", body: body(ClientRef(storeID: store, clientID: id)), as: ClientCard.self)
    }

    func settings(_ store: String, _ set: (inout DedupeSettingsFields) -> Void) throws {
        var fields = DedupeSettingsFields()
        set(&fields)
        _ = try client.result(of: "dedupe.settings.update", body: body(DedupeSettingsUpdate(storeID: store, fields: fields)),
                              as: DedupeSettingsView.self)
    }

    func analyze(_ store: String, accountWide: Bool = false) throws -> DedupeJobView {
        try client.result(of: "dedupe.analyze", body: body(DedupeAnalyze(storeID: store, accountWide: accountWide)), as: DedupeJobView.self)
    }

    func job(_ job: DedupeJobView) throws -> DedupeJobView {
        try client.result(of: "dedupe.job.get", body: body(DedupeJobRef(storeID: job.storeID, jobID: job.jobID)), as: DedupeJobView.self)
    }

    /// Waits for the job to end (any end), and answers it as it ended.
    func ended(_ job: DedupeJobView, timeout: Duration = .seconds(20)) throws -> DedupeJobView {
        var current = job
        #expect(eventually(timeout: timeout) {
            current = (try? self.job(job)) ?? current
            return ["done", "cancelled", "failed"].contains(current.status)
        }, "job \(job.jobID) of \(job.storeID) never ended: \(current)")
        return current
    }

    /// The whole report of a finished analysis, every page.
    func report(_ job: DedupeJobView) throws -> [DedupeGroup] {
        var groups: [DedupeGroup] = []
        var after: Int?
        repeat {
            let page = try client.result(of: "dedupe.report", body: body(DedupeReportQuery(storeID: job.storeID, jobID: job.jobID, after: after)),
                                         as: DedupeReportResult.self)
            groups += page.groups
            after = page.nextCursor
        } while after != nil
        return groups
    }

    func merge(_ job: DedupeJobView) throws -> DedupeRunView {
        try client.result(of: "dedupe.merge", body: body(DedupeMerge(storeID: job.storeID, jobID: job.jobID)), as: DedupeRunView.self)
    }

    func log(_ run: DedupeRunView) throws -> [DedupeLogEntry] {
        try client.result(of: "dedupe.log", body: body(DedupeLogQuery(storeID: run.storeID, runID: run.runID)), as: DedupeLogResult.self).entries
    }
}

extension DedupeGroup {
    var ids: [String] { clients.map(\.clientID) }
}
