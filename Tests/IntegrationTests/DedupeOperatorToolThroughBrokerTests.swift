import ClientService
import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// `crmctl dedupe` as an operator uses it, against client-service and dedupe-service running:
    /// settings, analyze with its progress bar, the report's table, merge, log, unmerge, cancel.
    @Suite struct DedupeOperatorToolThroughBrokerTests {
        static func crmctl(_ url: AMQPURL, _ arguments: String...) throws -> (status: Int32, output: String) {
            // As the administrator: the services run with the access policy, where guest is nobody.
            try OperatorToolTests.crmctl(try TestBroker.url(url, as: DevelopmentUsers.adminName), ["dedupe"] + arguments)
        }

        /// The first id with this prefix in a command's output (`job-…`, `run-…`).
        static func id(_ prefix: String, in output: String) -> String? {
            output.firstMatch(of: try! Regex("\(prefix)-[0-9a-fA-F-]+")).map { String(output[$0.range]) }
        }

        @Test func analyseReportMergeLogAndUnmergeWithCrmctl() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                // A pause after each step: the progress bar has a running job to draw.
                let definition = DedupeServiceDefinition(tickEvery: .milliseconds(100), analysisPause: .milliseconds(300))
                try await RunningWorker.with(definition, url: url, as: "dedupe-service") { dedupe in
                    let d = DedupeDriver(client: try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.adminName), appID: "test"))
                    let anna = try d.create("s1") { $0.firstName = "Анна"; $0.phone = "+79120000001"; $0.landlinePhone = "+74957000007" }
                    let anya = try d.create("s1") { $0.firstName = "Аня"; $0.phone = "+79120000002"; $0.landlinePhone = "+74957000007" }
                    #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 2 })

                    let settings = try Self.crmctl(url, "settings", "--store", "s1", "--phone-format", "national", "--max-phones", "5")
                    #expect(settings.status == 0 && settings.output.contains("\"national\""), "\(settings.output)")

                    let analysis = try Self.crmctl(url, "analyze", "--store", "s1")
                    #expect(analysis.status == 0, "\(analysis.output)")
                    #expect(analysis.output.contains("running") && analysis.output.contains("[" + String(repeating: "#", count: 30) + "] 100% done"),
                            "the bar while it runs and at its end: \(analysis.output)")
                    #expect(analysis.output.contains("clients 2, groups 1, skipped 0"), "\(analysis.output)")
                    let job = try #require(Self.id("job", in: analysis.output))

                    let report = try Self.crmctl(url, "report", "--store", "s1", "--job", job)
                    #expect(report.status == 0)
                    // The clients' phones and the tying value as the store's format shows them; the merged card as stored.
                    for line in ["group 1: survivor \(anna.clientID)", "* \(anna.clientID) s1  Анна", "  \(anya.clientID) s1  Аня",
                                 "8 (495) 700-00-07, 8 (912) 000-00-01", "phone 8 (495) 700-00-07: ",
                                 "merged card: Анна, -, +74957000007, +79120000001, +79120000002"] {
                        #expect(report.output.contains(line), "\(line) in \(report.output)")
                    }

                    let merge = try Self.crmctl(url, "merge", "--store", "s1", "--job", job)
                    let run = try #require(Self.id("run", in: merge.output), "\(merge.output)")
                    #expect(try eventually(timeout: .seconds(10)) { try d.card("s1", anya.clientID).mergedInto == anna.clientID })
                    #expect(try eventually(timeout: .seconds(10)) {
                        try Self.crmctl(url, "log", "--store", "s1").output.contains("merged run \(run) group 1: \(anna.clientID) <- \(anya.clientID)")
                    })

                    let unmerge = try Self.crmctl(url, "unmerge", "--store", "s1", "--run", run)
                    #expect(unmerge.status == 0, "\(unmerge.output)")
                    #expect(try eventually(timeout: .seconds(10)) { try d.card("s1", anya.clientID).mergedInto == nil })
                    #expect(try Self.crmctl(url, "unmerge", "--store", "s1").status != 0, "neither --merge nor --run")
                }
            }
        }

        @Test func aCrossStoreGroupReadsAsNotMergedAcrossStores() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                try await RunningWorker.with(DedupeServiceDefinition(tickEvery: .milliseconds(100)), url: url, as: "dedupe-service") { dedupe in
                    let d = DedupeDriver(client: try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.adminName), appID: "test"))
                    for store in ["a-1", "a-2"] {
                        _ = try d.client.result(of: "store.upsert", body: d.body(StoreUpsert(storeID: store, accountID: "acc")), as: StoreCard.self)
                    }
                    let one = try d.create("a-1") { $0.firstName = "Зоя"; $0.landlinePhone = "+74952000002" }
                    let two = try d.create("a-2") { $0.firstName = "Зоя З."; $0.landlinePhone = "+74952000002" }
                    #expect(try eventually(timeout: .seconds(10)) {
                        try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 2 && dedupe.count("SELECT COUNT(*) FROM dedupe_store") == 2
                    })
                    #expect(try Self.crmctl(url, "settings", "--store", "a-1", "--cross-store", "true").status == 0)
                    let analysis = try Self.crmctl(url, "analyze", "--store", "a-1", "--account-wide")
                    let job = try #require(Self.id("job", in: analysis.output), "\(analysis.output)")
                    let report = try Self.crmctl(url, "report", "--store", "a-1", "--job", job).output
                    #expect(report.contains("group 1 [cross-store]: survivor \(one.clientID)") && report.contains("\(two.clientID) a-2"), "\(report)")
                    #expect(report.contains("not merged across stores"), "\(report)")
                }
            }
        }

        @Test func cancelAnAnalysisWithCrmctl() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                let definition = DedupeServiceDefinition(tickEvery: .milliseconds(100), analysisPause: .milliseconds(500))
                try await RunningWorker.with(definition, url: url, as: "dedupe-service") { dedupe in
                    let d = DedupeDriver(client: try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.adminName), appID: "test"))
                    _ = try d.create("s1") { $0.firstName = "Юрий"; $0.landlinePhone = "+74951000001" }
                    _ = try d.create("s1") { $0.firstName = "Юра"; $0.landlinePhone = "+74951000001" }
                    #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 2 })

                    let queued = try Self.crmctl(url, "analyze", "--store", "s1", "--no-wait")
                    let job = try #require(Self.id("job", in: queued.output), "\(queued.output)")
                    let view = try d.client.result(of: "dedupe.job.get", body: d.body(DedupeJobRef(storeID: "s1", jobID: job)), as: DedupeJobView.self)
                    #expect(eventually(timeout: .seconds(10)) { (try? d.job(view).status) == "running" })
                    let cancel = try Self.crmctl(url, "cancel", "--store", "s1", "--job", job)
                    #expect(cancel.status == 0 && cancel.output.contains("cancelled"), "\(cancel.output)")
                    #expect(try d.ended(view).status == "cancelled")
                    try await Task.sleep(for: .milliseconds(700))  // a step later: the run has looked at its job again and written nothing
                    #expect(try d.job(view).status == "cancelled" && dedupe.count("SELECT COUNT(*) FROM dedupe_group") == 0)
                    #expect(try Self.crmctl(url, "cancel", "--store", "s1", "--job", "job-none").status != 0, "an unknown job")
                }
            }
        }
    }
}
