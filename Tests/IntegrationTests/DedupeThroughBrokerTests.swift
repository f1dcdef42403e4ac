import ClientService
import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// dedupe-service with client-service running: cards made through client-service reach the
    /// index, an analysis finds the duplicates its uniqueness rule lets through, the merge goes to
    /// client-service as dedupe-service's own user, and a run is undone card by card.
    @Suite struct DedupeThroughBrokerTests {
        typealias Helpers = ClientCommandsThroughBrokerTests

        func card(_ client: RequestClient, _ id: String) throws -> ClientCard {
            try client.result(of: "client.get", body: Helpers.body(ClientRef(storeID: "s1", clientID: id)), as: ClientCard.self)
        }

        @Test func analyseMergeAndUndoARun() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                try await RunningWorker.with(DedupeServiceDefinition(), url: url, as: "dedupe-service") { dedupe in
                    let client = try RequestClient(url: try TestBroker.url(url, as: DevelopmentUsers.operatorName), appID: "crmctl")
                    let anna = try Helpers.create(client) { $0.firstName = "Анна"; $0.phone = "+79160000001"; $0.email = "anna@example.ru" }
                    let anya = try Helpers.create(client) { $0.firstName = "Аня"; $0.extraPhones = ["+79160000001"] }
                    let shop1 = try Helpers.create(client) { $0.firstName = "Пётр"; $0.landlinePhone = "+74951112233" }
                    let shop2 = try Helpers.create(client) { $0.firstName = "Петя"; $0.landlinePhone = "+74951112233" }
                    _ = try Helpers.create(client) { $0.firstName = "Офис 1"; $0.landlinePhone = "+74950000000" }
                    _ = try Helpers.create(client) { $0.firstName = "Офис 2"; $0.landlinePhone = "+74950000000" }
                    #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 6 })
                    var exclusions = DedupeSettingsFields()
                    exclusions.excludedPhones = ["8 (495) 000-00-00"]
                    _ = try client.result(of: "dedupe.settings.update", body: Helpers.body(DedupeSettingsUpdate(storeID: "s1", fields: exclusions)),
                                          as: DedupeSettingsView.self)

                    var job = try client.result(of: "dedupe.analyze", body: Helpers.body(DedupeAnalyze(storeID: "s1")), as: DedupeJobView.self)
                    #expect(eventually(timeout: .seconds(10)) {
                        job = (try? client.result(of: "dedupe.job.get", body: Helpers.body(DedupeJobRef(storeID: "s1", jobID: job.jobID)),
                                                  as: DedupeJobView.self)) ?? job
                        return job.status == "done"
                    })
                    let report = try client.result(of: "dedupe.report", body: Helpers.body(DedupeReportQuery(storeID: "s1", jobID: job.jobID)),
                                                   as: DedupeReportResult.self)
                    #expect(report.groups.map { $0.clients.map(\.clientID) } == [[anna.clientID, anya.clientID], [shop1.clientID, shop2.clientID]])

                    let run = try client.result(of: "dedupe.merge", body: Helpers.body(DedupeMerge(storeID: "s1", jobID: job.jobID)),
                                                as: DedupeRunView.self)
                    #expect(run.groupsSent == 2)
                    #expect(try eventually(timeout: .seconds(10)) {
                        try card(client, anya.clientID).mergedInto == anna.clientID && card(client, shop2.clientID).mergedInto == shop1.clientID
                    })
                    #expect(try eventually(timeout: .seconds(10)) {
                        try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 1
                    }, "client.merged reached the log and ended the run")
                    let survivor = try card(client, anna.clientID)
                    #expect(survivor.fields.firstName == "Анна" && survivor.fields.email == "anna@example.ru")

                    let undone = try client.result(of: "dedupe.unmerge", body: Helpers.body(DedupeUnmerge(storeID: "s1", runID: run.runID)),
                                                   as: DedupeLogResult.self)
                    #expect(undone.entries.count == 2)
                    #expect(try eventually(timeout: .seconds(10)) {
                        try card(client, anya.clientID).mergedInto == nil && card(client, shop2.clientID).mergedInto == nil
                    })
                    #expect(try card(client, anya.clientID).fields.firstName == "Аня")
                    #expect(try eventually(timeout: .seconds(10)) {
                        try dedupe.count("SELECT COUNT(*) FROM dedupe_merge WHERE status = 'unmerged'") == 2
                    })
                }
            }
        }

        @Test func autoMergeOnItsTimerAndTheInstantCheck() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                let definition = DedupeServiceDefinition(minute: .milliseconds(200), tickEvery: .milliseconds(100))
                try await RunningWorker.with(definition, url: url, as: "dedupe-service") { dedupe in
                    let client = try RequestClient(url: try TestBroker.url(url, as: DevelopmentUsers.operatorName), appID: "crmctl")
                    let first = try Helpers.create(client) { $0.firstName = "Иван"; $0.landlinePhone = "+74951234567" }
                    let second = try Helpers.create(client) { $0.firstName = "Ваня"; $0.landlinePhone = "+74951234567" }
                    #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 2 })
                    var auto = DedupeSettingsFields()
                    auto.autoMerge = true
                    auto.autoMergeIntervalMinutes = 1
                    auto.instantCheck = true
                    _ = try client.result(of: "dedupe.settings.update", body: Helpers.body(DedupeSettingsUpdate(storeID: "s1", fields: auto)),
                                          as: DedupeSettingsView.self)
                    #expect(try eventually(timeout: .seconds(15)) { try card(client, second.clientID).mergedInto == first.clientID },
                            "the timer's run merged the pair")
                    #expect(try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE automatic = TRUE") >= 1)

                    // The instant check: a new card sharing the landline is merged at once.
                    let third = try Helpers.create(client) { $0.firstName = "Иван П."; $0.landlinePhone = "+74951234567" }
                    #expect(try eventually(timeout: .seconds(10)) { try card(client, third.clientID).mergedInto == first.clientID })
                }
            }
        }

        @Test func theIndexIsRebuiltFromClientServicesExport() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                let client = try RequestClient(url: try TestBroker.url(url, as: DevelopmentUsers.operatorName), appID: "crmctl")
                // Cards made while dedupe-service was not there: their events reached no queue of its own.
                let first = try Helpers.create(client) { $0.firstName = "Олег"; $0.landlinePhone = "+74957654321" }
                let second = try Helpers.create(client) { $0.firstName = "Олег В."; $0.landlinePhone = "+74957654321" }
                _ = try Helpers.create(client) { $0.firstName = "Ника"; $0.email = "nika@example.ru" }
                try await RunningWorker.with(DedupeServiceDefinition(tickEvery: .milliseconds(100)), url: url, as: "dedupe-service") { dedupe in
                    #expect(try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 0)
                    var job = try client.result(of: "dedupe.index.rebuild", body: Helpers.body(DedupeIndexRebuild(storeID: "s1")),
                                                as: DedupeJobView.self)
                    #expect(job.kind == "rebuild" && job.status == "queued")
                    #expect(eventually(timeout: .seconds(15)) {
                        job = (try? client.result(of: "dedupe.job.get", body: Helpers.body(DedupeJobRef(storeID: "s1", jobID: job.jobID)),
                                                  as: DedupeJobView.self)) ?? job
                        return job.status == "done"
                    }, "\(job)")
                    let indexed = try dedupe.count("SELECT COUNT(*) FROM dedupe_client")
                    #expect(job.done == 3 && indexed == 3)
                    var analysis = try client.result(of: "dedupe.analyze", body: Helpers.body(DedupeAnalyze(storeID: "s1")), as: DedupeJobView.self)
                    #expect(eventually(timeout: .seconds(10)) {
                        analysis = (try? client.result(of: "dedupe.job.get", body: Helpers.body(DedupeJobRef(storeID: "s1", jobID: analysis.jobID)),
                                                       as: DedupeJobView.self)) ?? analysis
                        return analysis.status == "done"
                    })
                    let report = try client.result(of: "dedupe.report", body: Helpers.body(DedupeReportQuery(storeID: "s1", jobID: analysis.jobID)),
                                                   as: DedupeReportResult.self)
                    #expect(report.groups.map { $0.clients.map(\.clientID) } == [[first.clientID, second.clientID]])
                }
            }
        }
    }
}
