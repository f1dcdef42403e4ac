import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crmctl dedupe analyze|report|merge|log|unmerge|settings|job|cancel|rebuild`: duplicate clients for operators.
struct Dedupe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Duplicate clients: analyse a store, read the groups, merge them, undo, settings.",
        subcommands: [Analyze.self, Report.self, Merge.self, Log.self, Unmerge.self, Job.self, Cancel.self, Settings.self, Rebuild.self])

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fill the store's index again from client-service's export.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String

        func run() throws {
            try request(broker, "dedupe.index.rebuild", DedupeIndexRebuild(storeID: store))
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Merge an analysis's groups (all not skipped, or --groups).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The job id of a finished analysis.") var job: String
        @Option(help: "Group numbers, comma-separated (default: every group not skipped).") var groups: String?

        func run() throws {
            let numbers = groups.map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
            try request(broker, "dedupe.merge", DedupeMerge(storeID: store, jobID: job, groups: numbers))
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The merges, newest first.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(name: .customLong("run"), help: "Only this run's merges.") var runID: String?
        @Option(help: "Merges per page.") var limit = 100

        func run() throws {
            let client = try RequestClient(connection: try broker.connect())
            var after: Int?
            repeat {
                let page = try ask(client, broker, "dedupe.log", DedupeLogQuery(storeID: store, runID: runID, after: after, limit: limit),
                                   as: DedupeLogResult.self)
                for e in page.entries {
                    print("#\(e.mergeID) \(e.status) run \(e.runID) group \(e.groupNumber): \(e.survivorID) <- "
                          + "\(e.mergedIDs.joined(separator: ", ")) by \(e.startedBy) at \(e.sentAt); "
                          + e.reasons.map { "\($0.kind) \($0.value)" }.joined(separator: "; ")
                          + (e.refusal.map { " — refused by client-service: \($0.message)" } ?? ""))
                }
                after = page.nextCursor
            } while after != nil
        }
    }

    struct Unmerge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Undo one merge (--merge) or a whole run (--run).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The merge id from the log.") var merge: Int?
        @Option(name: .customLong("run"), help: "The run id.") var runID: String?

        func run() throws {
            guard (merge == nil) != (runID == nil) else { throw CLIError("give --merge or --run") }
            try request(broker, "dedupe.unmerge", DedupeUnmerge(storeID: store, mergeID: merge, runID: runID))
        }
    }

    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Analyse a store (or its account) and wait, with a progress bar.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Flag(help: "Every store of the store's account.") var accountWide = false
        @Flag(help: "Answer with the queued job at once.") var noWait = false

        func run() throws {
            let client = try RequestClient(connection: try broker.connect())
            var job = try ask(client, broker, "dedupe.analyze", DedupeAnalyze(storeID: store, accountWide: accountWide ? true : nil),
                              as: DedupeJobView.self)
            guard !noWait else { return print(job.jobID) }
            while job.status == "queued" || job.status == "running" {
                bar(job)
                Thread.sleep(forTimeInterval: 0.2)
                job = try ask(client, broker, "dedupe.job.get", DedupeJobRef(storeID: store, jobID: job.jobID), as: DedupeJobView.self)
            }
            bar(job)
            FileHandle.standardError.write(Data("\n".utf8))
            print("job \(job.jobID): \(job.status); clients \(job.clients ?? 0), groups \(job.groups ?? 0), "
                  + "skipped \(job.skipped ?? 0), suggestions \(job.suggestions ?? 0)")
            if job.status != "done" { throw ExitCode(1) }
        }

        private func bar(_ job: DedupeJobView) {
            let share = job.total == 0 ? (job.status == "done" ? 1 : 0) : Double(job.done) / Double(job.total)
            let filled = Int(share * 30)
            let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
                + String(format: "] %3.0f%% %@ %@", share * 100, job.status, job.phase ?? "")
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The groups of an analysis, as a table with their reasons.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The job id.") var job: String
        @Option(help: "Groups per page.") var limit = 100
        @Flag(help: "The raw JSON pages instead of the table.") var json = false

        func run() throws {
            let client = try RequestClient(connection: try broker.connect())
            var after: Int?
            repeat {
                let page = try ask(client, broker, "dedupe.report", DedupeReportQuery(storeID: store, jobID: job, after: after, limit: limit),
                                   as: DedupeReportResult.self)
                if json {
                    print(String(decoding: try JSONCoding.encoder.encode(page), as: UTF8.self))
                } else {
                    for group in page.groups { print(Self.table(group)) }
                    for s in page.suggestions ?? [] {
                        print(String(format: "suggestion %@ ~ %@ (%.3f, same %@): %@", s.clientIDs[0], s.clientIDs[1], s.score,
                                     s.evidence, s.names.joined(separator: " / ")))
                    }
                }
                after = page.nextCursor
            } while after != nil
        }

        static func table(_ group: DedupeGroup) -> String {
            var lines = ["group \(group.number)" + (group.skipped.map { " SKIPPED (\($0))" } ?? "")
                         + (group.crossStore ? " [cross-store]" : "") + ": survivor \(group.survivorID)"]
            for c in group.clients {
                let mark = c.clientID == group.survivorID ? "*" : " "
                lines.append("  \(mark) \(pad(c.clientID, 36)) \(c.storeID)  \(pad(c.name ?? "-", 24)) \(c.email ?? "-")  "
                             + c.phones.joined(separator: ", "))
            }
            for r in group.reasons { lines.append("    \(r.kind) \(r.value): \(r.clientIDs.joined(separator: " = "))") }
            if group.crossStore && group.skipped == nil {
                lines.append("    not merged across stores: a merge run merges the cards of its own store only (client-service merges within a store)")
            }
            lines.append("    merged card: \([group.proposed.firstName, group.proposed.lastName].compactMap { $0 }.joined(separator: " ")), "
                         + "\(group.proposed.email ?? "-"), \(group.proposed.phones.joined(separator: ", "))")
            return lines.joined(separator: "\n")
        }

        /// Spaces up to `width`; a longer text stays whole (an id cut short could not be used).
        static func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
    }

    struct Job: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job as it stands.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The job id.") var job: String
        @Flag(help: "Cancel it.") var cancel = false

        func run() throws {
            try request(broker, cancel ? "dedupe.job.cancel" : "dedupe.job.get", DedupeJobRef(storeID: store, jobID: job))
        }
    }

    /// The same as `job --cancel`, under the name operators look for.
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an analysis or a rebuild, queued or running (it stops at its next step).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The job id.") var job: String

        func run() throws {
            try request(broker, "dedupe.job.cancel", DedupeJobRef(storeID: store, jobID: job))
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a store's settings, or change the ones given.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "Match by phone.") var matchByPhone: Bool?
        @Option(help: "Match by e-mail.") var matchByEmail: Bool?
        @Option(help: "Excluded phones, comma-separated (replaces the list).") var excludedPhones: String?
        @Option(help: "Excluded e-mails, comma-separated.") var excludedEmails: String?
        @Option(help: "Excluded INNs, comma-separated.") var excludedInns: String?
        @Option(help: "The most phones a merged client may hold; 0 for no limit.") var maxPhones: Int?
        @Option(help: "first or last: who survives.") var priority: String?
        @Option(help: "A note on the survivor.") var noteOnSurvivor: Bool?
        @Option(help: "Contact persons tie companies.") var mergeContacts: Bool?
        @Option(help: "Companies with one INN are duplicates.") var mergeSameInn: Bool?
        @Option(help: "Across the stores of the account.") var crossStore: Bool?
        @Option(help: "Merge automatically.") var autoMerge: Bool?
        @Option(help: "Minutes between automatic runs.") var autoMergeIntervalMinutes: Int?
        @Option(help: "Check each new client.") var instantCheck: Bool?
        @Option(help: "e164, international or national.") var phoneFormat: String?

        func run() throws {
            func list(_ text: String?) -> [String]? {
                text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            }
            var f = DedupeSettingsFields()
            f.matchByPhone = matchByPhone
            f.matchByEmail = matchByEmail
            f.excludedPhones = list(excludedPhones)
            f.excludedEmails = list(excludedEmails)
            f.excludedINNs = list(excludedInns)
            if let maxPhones { if maxPhones == 0 { f.clearsMaxPhones = true } else { f.maxPhones = maxPhones } }
            f.priority = priority
            f.noteOnSurvivor = noteOnSurvivor
            f.mergeContacts = mergeContacts
            f.mergeSameINN = mergeSameInn
            f.crossStore = crossStore
            f.autoMerge = autoMerge
            f.autoMergeIntervalMinutes = autoMergeIntervalMinutes
            f.instantCheck = instantCheck
            f.phoneFormat = phoneFormat
            if f == DedupeSettingsFields() {
                try request(broker, "dedupe.settings.get", DedupeSettingsGet(storeID: store))
            } else {
                try request(broker, "dedupe.settings.update", DedupeSettingsUpdate(storeID: store, fields: f))
            }
        }
    }
}

/// Sends a request and decodes its result; a failed reply is printed and exits with status 1.
func ask<Body: Encodable, Result: Decodable>(_ client: RequestClient, _ broker: BrokerOptions, _ type: String, _ body: Body,
                                             as: Result.Type) throws -> Result {
    let reply = try client.request(type: type, body: try JSONCoding.encoder.encode(body), timeout: .seconds(broker.timeout))
    let decoded = try JSONCoding.decoder.decode(Reply.self, from: reply.body)
    guard decoded.ok, let result = decoded.result else {
        print(prettyJSON(reply.body))
        throw ExitCode(1)
    }
    return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
}
