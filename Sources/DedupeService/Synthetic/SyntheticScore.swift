/// How an analysis of `SyntheticClients` compares with the planted truth.
public struct SyntheticScore: Sendable, CustomStringConvertible {
    public var groupsReported = 0
    public var plantedGroups = 0
    /// Reported groups that are exactly one planted group (the same clients, no more, no fewer).
    public var exactGroupsFound = 0
    /// Reasons whose value is on an exclusion list (must be 0).
    public var excludedJoins = 0
    public var suggestions = 0
    public var suggestionsTrue = 0
    public var nearMissPairs = 0

    public var precision: Double { groupsReported == 0 ? 1 : Double(exactGroupsFound) / Double(groupsReported) }
    public var recall: Double { plantedGroups == 0 ? 1 : Double(exactGroupsFound) / Double(plantedGroups) }
    public var suggestionPrecision: Double { suggestions == 0 ? 1 : Double(suggestionsTrue) / Double(suggestions) }
    public var suggestionRecall: Double { nearMissPairs == 0 ? 1 : Double(suggestionsTrue) / Double(nearMissPairs) }

    public var description: String {
        "groups \(groupsReported) (planted \(plantedGroups), exact \(exactGroupsFound)): precision \(precision), recall \(recall); "
            + "excluded joins \(excludedJoins); suggestions \(suggestions): precision \(suggestionPrecision), recall \(suggestionRecall)"
    }
}

extension SyntheticClients {
    /// The exclusions the generator's shared values are on.
    public static var rules: DedupeRules {
        var rules = DedupeRules()
        rules.excludedPhones = [officePhone]
        rules.excludedEmails = [placeholderEmail]
        return rules
    }

    /// The cards as the index holds them: phones in E.164, e-mails as keys.
    public func records(store: String = "bench") -> [DedupeRecord] {
        cards.map { card in
            let email = card.email.flatMap(DedupeKeys.email)
            return DedupeRecord(clientID: card.id, storeID: store, firstName: card.firstName, lastName: card.lastName,
                                email: email, phones: card.phones.compactMap { DedupeKeys.phone($0) },
                                emails: email.map { [$0] } ?? [], birthday: card.birthday, createdAt: card.createdAt)
        }
    }

    public func score(_ analysis: DedupeAnalysis, rules: DedupeRules = SyntheticClients.rules) -> SyntheticScore {
        var score = SyntheticScore()
        var sizes: [Int: Int] = [:]
        for group in exactGroup.values { sizes[group, default: 0] += 1 }
        score.plantedGroups = sizes.count
        for group in analysis.groups where group.skipReason == nil {
            score.groupsReported += 1
            let truth = Set(group.members.map { exactGroup[$0] })
            if truth.count == 1, let id = truth.first!, sizes[id] == group.members.count { score.exactGroupsFound += 1 }
            score.excludedJoins += group.reasons.filter {
                rules.excludedPhones.contains($0.value) || rules.excludedEmails.contains($0.value) || rules.excludedINNs.contains($0.value)
            }.count
        }
        score.suggestions = analysis.suggestions.count
        score.suggestionsTrue = analysis.suggestions.filter { nearMissPairs.contains([$0.a, $0.b]) }.count
        score.nearMissPairs = nearMissPairs.count
        return score
    }
}
