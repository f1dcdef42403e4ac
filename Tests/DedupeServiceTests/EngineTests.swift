import DedupeService
import Testing

/// The engine over hand-made records: each rule, each setting.
@Suite struct EngineTests {
    func client(_ id: String, store: String = "s1", account: String? = nil, first: String? = nil, last: String? = nil,
                email: String? = nil, phones: [String] = [], contactPhones: [String] = [], inns: [String] = [],
                birthday: String? = nil, created: Double) -> DedupeRecord {
        DedupeRecord(clientID: id, storeID: store, accountID: account, firstName: first, lastName: last, email: email,
                     phones: phones, emails: email.map { [$0] } ?? [], contactPhones: contactPhones, inns: inns,
                     birthday: birthday, createdAt: created)
    }

    func groups(_ records: [DedupeRecord], _ rules: DedupeRules = DedupeRules(), ties: [DedupeTie] = []) throws -> [[String]] {
        try DedupeEngine(rules: rules).analyze(records, ties: ties).groups.filter { $0.skipReason == nil }
            .map { $0.members.map { records[$0].clientID } }
    }

    @Test func sharedPhoneEmailAndChains() throws {
        let records = [
            client("a", phones: ["+79161234567"], created: 1),
            client("b", email: "x@mail.example", phones: ["+79161234567"], created: 2),
            client("c", email: "x@mail.example", created: 3),
            client("d", email: "d@mail.example", phones: ["+79990000000"], created: 4),
        ]
        #expect(try groups(records) == [["a", "b", "c"]])
        let analysis = try DedupeEngine(rules: DedupeRules()).analyze(records)
        let reasons = analysis.groups[0].reasons.map { "\($0.kind.rawValue) \($0.value)" }.sorted()
        #expect(reasons == ["email x@mail.example", "phone +79161234567"])
    }

    @Test func excludedValuesNeverJoin() throws {
        var rules = DedupeRules()
        rules.excludedPhones = ["+74950000000"]
        rules.excludedEmails = ["noreply@shop.example"]
        let records = [
            client("a", email: "noreply@shop.example", phones: ["+74950000000"], created: 1),
            client("b", email: "noreply@shop.example", phones: ["+74950000000"], created: 2),
        ]
        #expect(try groups(records, rules).isEmpty)
        #expect(try groups(records).count == 1)
    }

    @Test func matchingByPhoneOrEmailSwitchedOff() throws {
        let records = [client("a", email: "e@x.example", phones: ["+79161234567"], created: 1),
                       client("b", phones: ["+79161234567"], created: 2), client("c", email: "e@x.example", created: 3)]
        var rules = DedupeRules()
        rules.matchByPhone = false
        #expect(try groups(records, rules) == [["a", "c"]])
        rules.matchByPhone = true
        rules.matchByEmail = false
        #expect(try groups(records, rules) == [["a", "b"]])
    }

    @Test func priorityFirstAndLast() throws {
        let records = [
            client("old", first: "Анна", email: "anna@x.example", phones: ["+79161234567"], created: 1),
            client("new", first: "Аня", email: "anya@x.example", phones: ["+79161234567", "+79031112233"], created: 2),
        ]
        var rules = DedupeRules()
        var group = try DedupeEngine(rules: rules).analyze(records).groups[0]
        #expect(records[group.survivor].clientID == "old")
        #expect(group.proposed == DedupeProposedCard(firstName: "Анна", lastName: nil, email: "anna@x.example",
                                                     phones: ["+79161234567", "+79031112233"]))
        rules.priority = .last
        group = try DedupeEngine(rules: rules).analyze(records).groups[0]
        #expect(records[group.survivor].clientID == "new")
        #expect(group.proposed.firstName == "Аня" && group.proposed.email == "anya@x.example")
        #expect(group.proposed.phones == ["+79161234567", "+79031112233"])
    }

    /// The merged card as client.merge makes it: the survivor's own fields, each empty one from
    /// the first other client (in the priority's order) that has it.
    @Test func theProposedCardIsFilledFieldByField() throws {
        let records = [
            client("a", first: "Анна", phones: ["+79161234567"], created: 1),
            client("b", last: "Петрова", email: "b@x.example", phones: ["+79161234567"], created: 2),
            client("c", first: "Аня", last: "Иванова", email: "c@x.example", phones: ["+79161234567"], created: 3),
        ]
        var rules = DedupeRules()
        #expect(try DedupeEngine(rules: rules).analyze(records).groups[0].proposed
                == DedupeProposedCard(firstName: "Анна", lastName: "Петрова", email: "b@x.example", phones: ["+79161234567"]))
        rules.priority = .last
        #expect(try DedupeEngine(rules: rules).analyze(records).groups[0].proposed
                == DedupeProposedCard(firstName: "Аня", lastName: "Иванова", email: "c@x.example", phones: ["+79161234567"]))
    }

    @Test func phoneLimitSkipsTheGroup() throws {
        let records = [client("a", phones: ["+79161234567", "+79160000001"], created: 1),
                       client("b", phones: ["+79161234567", "+79160000002"], created: 2)]
        var rules = DedupeRules()
        rules.maxPhones = 2
        let group = try DedupeEngine(rules: rules).analyze(records).groups[0]
        #expect(group.skipReason == .phoneLimit)
        rules.maxPhones = 3
        #expect(try DedupeEngine(rules: rules).analyze(records).groups[0].skipReason == nil)
        rules.maxPhones = nil
        #expect(try DedupeEngine(rules: rules).analyze(records).groups[0].skipReason == nil)
    }

    @Test func crossStoreOffReportsOnMerges() throws {
        let records = [client("a", store: "s1", account: "acc", phones: ["+79161234567"], created: 1),
                       client("b", store: "s2", account: "acc", phones: ["+79161234567"], created: 2),
                       client("c", store: "s3", account: "other", phones: ["+79161234567"], created: 3)]
        var rules = DedupeRules()
        let off = try DedupeEngine(rules: rules).analyze(records).groups
        #expect(off.map(\.skipReason) == [.crossStore])
        rules.crossStore = true
        let on = try DedupeEngine(rules: rules).analyze(records).groups
        #expect(on.count == 1)
        #expect(on[0].members.map { records[$0].clientID } == ["a", "b"] && on[0].crossStore && on[0].skipReason == nil)
    }

    @Test func companiesByINNAndContacts() throws {
        let records = [client("co1", inns: ["7707083893"], created: 1), client("co2", inns: ["7707083893"], created: 2),
                       client("co3", contactPhones: ["+79161234567"], created: 3),
                       client("co4", contactPhones: ["+79161234567"], created: 4),
                       client("person", phones: ["+79161234567"], created: 5)]
        #expect(try groups(records) == [["co1", "co2"], ["co3", "co4"]])
        var rules = DedupeRules()
        rules.sameINN = false
        rules.mergeContacts = false
        #expect(try groups(records, rules).isEmpty)
    }

    @Test func tiesJoinUnlessExcluded() throws {
        let records = [client("a", phones: ["+79161234567"], created: 1), client("b", email: "b@x.example", created: 2)]
        let tie = DedupeTie(clientA: "a", clientB: "b", orderID: "o-1", values: ["+79161234567", "b@x.example"])
        let analysis = try DedupeEngine(rules: DedupeRules()).analyze(records, ties: [tie])
        #expect(analysis.groups.count == 1 && analysis.groups[0].reasons[0].kind == .order)
        var rules = DedupeRules()
        rules.excludedEmails = ["b@x.example"]
        #expect(try groups(records, rules, ties: [tie]).isEmpty)
    }

    @Test func suggestionsNeedANameAndEvidence() throws {
        let records = [client("a", first: "Пётр", last: "Иванов", birthday: "1980-01-02", created: 1),
                       client("b", first: "Петр", last: "Иваннов", birthday: "1980-01-02", created: 2),
                       client("c", first: "Пётр", last: "Иванов", birthday: "1990-05-05", created: 3),
                       client("d", first: "Ольга", last: "Смирнова", birthday: "1980-01-02", created: 4)]
        let suggestions = try DedupeEngine(rules: DedupeRules()).analyze(records).suggestions
        #expect(suggestions.map { [$0.a, $0.b] } == [[0, 1]])
        #expect(suggestions[0].evidence == "birthday" && suggestions[0].score >= 0.92)
    }

    @Test func syntheticTruthIsFound() throws {
        let data = SyntheticClients(count: 30_000, excluded: 400, nearMisses: 300)
        let analysis = try DedupeEngine(rules: SyntheticClients.rules).analyze(data.records())
        let score = data.score(analysis)
        #expect(score.recall == 1, "\(score)")
        #expect(score.precision == 1, "\(score)")
        #expect(score.excludedJoins == 0)
        #expect(score.suggestionPrecision >= 0.9, "\(score)")
        #expect(score.suggestionRecall >= 0.9, "\(score)")
    }
}
