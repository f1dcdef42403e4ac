import ClientService
import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import ReliabilityService
import Testing
import WorkerKit

extension BrokerSuite {
    /// A dedupe run end to end with client-service running: an analysis cancelled while it runs, a
    /// group client-service refuses logged with its reason, and (with reliability-service running)
    /// the orders and ratings following the merge to the survivor and back on unmerge.
    @Suite struct DedupeMergeRunThroughBrokerTests {
        @Test func aRunningAnalysisIsCancelledAtItsNextStep() async throws {
            // A pause after each step of an analysis: time to cancel one while it runs.
            let definition = DedupeServiceDefinition(tickEvery: .milliseconds(100), analysisPause: .milliseconds(400))
            try await DedupeDriver.running(definition) { d, dedupe in
                _ = try d.create("s1") { $0.firstName = "Анна"; $0.landlinePhone = "+74957000007" }
                _ = try d.create("s1") { $0.firstName = "Аня"; $0.landlinePhone = "+74957000007" }
                #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 2 })

                let first = try d.analyze("s1")
                #expect(eventually(timeout: .seconds(10)) { (try? d.job(first).status) == "running" })
                let cancelled = try d.client.result(of: "dedupe.job.cancel", body: d.body(DedupeJobRef(storeID: "s1", jobID: first.jobID)),
                                                    as: DedupeJobView.self)
                #expect(cancelled.status == "cancelled")
                let stopped = try d.ended(first)
                #expect(stopped.status == "cancelled" && stopped.groups == nil && stopped.phase != "done", "\(stopped)")
                try await Task.sleep(for: .milliseconds(500))  // a step later: the run has looked at its job again
                #expect(try d.job(first).status == "cancelled" && dedupe.count("SELECT COUNT(*) FROM dedupe_group") == 0)

                // The next analysis runs to its end.
                let next = try d.ended(d.analyze("s1"))
                #expect(next.status == "done" && next.groups == 1)
            }
        }

        @Test func aMergeClientServiceRefusesIsLoggedWithItsReason() async throws {
            try await DedupeDriver.running { d, dedupe in
                let anna = try d.create("s1") { $0.firstName = "Анна"; $0.phone = "+79120000001"; $0.landlinePhone = "+74957000007" }
                let dup = try d.create("s1") { $0.firstName = "Аня"; $0.phone = "+79120000002"; $0.landlinePhone = "+74957000007" }
                // Two cards whose merge would hold 22 phones: more than a card holds, so client-service refuses it
                // (dedupe-service's own limit is off: the refusal is client-service's rule).
                let full = try d.create("s1") {
                    $0.firstName = "Роман"; $0.phone = "+79130000000"
                    $0.extraPhones = (1...20).map { "+7913000\(String(format: "%04d", $0))" }
                }
                let other = try d.create("s1") { $0.firstName = "Рома"; $0.phone = "+79140000000"; $0.extraPhones = ["+79130000001"] }
                #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 4 })

                let job = try d.ended(d.analyze("s1"))
                #expect(try d.report(job).map(\.ids) == [[anna.clientID, dup.clientID], [full.clientID, other.clientID]])
                let run = try d.merge(job)
                #expect(run.groupsSent == 2)
                #expect(try eventually(timeout: .seconds(15)) {
                    try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 1
                }, "client.merged and client.merge_refused both came back")
                let log = try d.log(run)
                #expect(log.map(\.status) == ["refused", "merged"])
                let refusal = try #require(log.first?.refusal)
                #expect(refusal.code == .validationFailed && refusal.details.first?.problem == "too_many_phones")
                #expect(refusal.details.first?.extra["phones"] == .integer(22), "client-service's own reason: \(refusal)")
                #expect(try d.card("s1", other.clientID).mergedInto == nil && d.card("s1", dup.clientID).mergedInto == anna.clientID)

                let undone = try d.client.result(of: "dedupe.unmerge", body: d.body(DedupeUnmerge(storeID: "s1", runID: run.runID)),
                                                 as: DedupeLogResult.self)
                #expect(undone.entries.map(\.survivorID) == [anna.clientID], "the refused merge has nothing to undo")
            }
        }

        @Test func aGroupChangedSinceTheAnalysisIsAnalysedAgain() async throws {
            try await DedupeDriver.running { d, dedupe in
                let anna = try d.create("s1") { $0.firstName = "Анна"; $0.landlinePhone = "+74957000007" }
                let anya = try d.create("s1") { $0.firstName = "Аня"; $0.landlinePhone = "+74957000007" }
                let petr = try d.create("s1") { $0.firstName = "Пётр"; $0.landlinePhone = "+74957000008" }
                let petya = try d.create("s1") { $0.firstName = "Петя"; $0.landlinePhone = "+74957000008" }
                #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 4 })
                let job = try d.ended(d.analyze("s1"))
                #expect(try d.report(job).map(\.ids) == [[anna.clientID, anya.clientID], [petr.clientID, petya.clientID]])

                // Since the analysis: a third card joins the first group, the second loses a card.
                let anyuta = try d.create("s1") { $0.firstName = "Анюта"; $0.landlinePhone = "+74957000007" }
                _ = try d.client.result(of: "client.delete", body: d.body(ClientRef(storeID: "s1", clientID: petya.clientID)), as: ClientCard.self)
                #expect(try eventually(timeout: .seconds(10)) {
                    try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 5 && dedupe.count("SELECT COUNT(*) FROM dedupe_client WHERE deleted = TRUE") == 1
                })
                let run = try d.merge(job)
                #expect(run.groupsSent == 1 && run.groupsReanalysed == 1 && run.groupsSkipped == 1, "\(run)")
                #expect(try eventually(timeout: .seconds(10)) {
                    try d.card("s1", anya.clientID).mergedInto == anna.clientID && d.card("s1", anyuta.clientID).mergedInto == anna.clientID
                }, "merged as the group is now")
                #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 1 })
                #expect(try d.card("s1", petr.clientID).mergedInto == nil)
            }
        }

        @Test func ordersAndRatingsFollowTheMergeAndComeBack() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url,
                                             as: "reliability-service") { reliability in
                    try await RunningWorker.with(DedupeServiceDefinition(tickEvery: .milliseconds(100)), url: url, as: "dedupe-service") { dedupe in
                        let d = DedupeDriver(client: try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.adminName), appID: "crmctl"))
                        try ordersBothWays(url, d, reliability, dedupe)
                    }
                }
            }
        }

        func ordersBothWays(_ url: AMQPURL, _ d: DedupeDriver, _ reliability: RunningWorker, _ dedupe: RunningWorker) throws {
            let anna = try d.create("s1") { $0.firstName = "Анна"; $0.phone = "+79120000001"; $0.landlinePhone = "+74957000007" }
            let dup = try d.create("s1") { $0.firstName = "Аня"; $0.phone = "+79120000002"; $0.landlinePhone = "+74957000007" }
            // Each card places an order of its own.
            try ConfirmedPublisher(url: TestBroker.url(url, as: DevelopmentUsers.adminName)).publish([orderPlacedMessage(order: "m-1", phone: "+79120000001"),
                                                      orderPlacedMessage(order: "m-2", phone: "+79120000002")])
            #expect(try eventually(timeout: .seconds(10)) {
                try reliability.count("SELECT COUNT(*) FROM rel_order WHERE client_id IS NOT NULL") == 2
                    && dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 2
            })
            func ratedOrders(_ id: String) -> Int? {
                try? d.client.result(of: "reliability.get", body: d.body(ReliabilityGet(storeID: "s1", clientID: id)),
                                     as: ReliabilityRating.self).stats.orders
            }
            func orders(_ id: String) throws -> [String] { try d.card("s1", id).orders?.map(\.orderID) ?? [] }
            #expect(ratedOrders(anna.clientID) == 1 && ratedOrders(dup.clientID) == 1)

            let run = try d.merge(d.ended(d.analyze("s1")))
            #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 1 })
            // Orders and ratings follow the merge to the survivor...
            #expect(try d.card("s1", dup.clientID).mergedInto == anna.clientID)
            #expect(try orders(anna.clientID) == ["m-1", "m-2"])
            #expect(eventually(timeout: .seconds(10)) { ratedOrders(anna.clientID) == 2 }, "reliability-service followed client.merged")

            // ... and come back with the unmerge.
            _ = try d.client.result(of: "dedupe.unmerge", body: d.body(DedupeUnmerge(storeID: "s1", runID: run.runID)), as: DedupeLogResult.self)
            #expect(try eventually(timeout: .seconds(10)) { try d.card("s1", dup.clientID).mergedInto == nil })
            #expect(try orders(anna.clientID) == ["m-1"] && orders(dup.clientID) == ["m-2"])
            #expect(eventually(timeout: .seconds(10)) { ratedOrders(anna.clientID) == 1 && ratedOrders(dup.clientID) == 1 },
                    "and client.unmerged")
            #expect(try eventually(timeout: .seconds(10)) {
                try dedupe.count("SELECT COUNT(*) FROM dedupe_merge WHERE status = 'unmerged'") == 1
            })
        }
    }
}
