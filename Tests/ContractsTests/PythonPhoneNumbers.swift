import Contracts
import Foundation

/// The reference reading of phone numbers: Python's `phonenumbers` (pinned in scripts/lib/deps.sh
/// to the libphonenumber version Debian ships), run through scripts/phone_e164.py.
enum PythonPhoneNumbers {
    struct Reading: Decodable, Sendable, Equatable {
        let e164: String?
        let `extension`: String?
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = Repository.root.appendingPathComponent("scripts/phone_e164.py")

    /// Reads every (number as typed, default region) in one Python run.
    static func read(_ cases: [(raw: String, region: String)]) throws -> [Reading] {
        let input = try JSONEncoder().encode(cases.map { [$0.raw, $0.region] })
        let lines = try PythonScript.lines(script, input: input)
        guard lines.count == cases.count else {
            throw Failure(description: "python returned \(lines.count) readings for \(cases.count) numbers")
        }
        return try lines.map { try JSONDecoder().decode(Reading.self, from: Data($0.utf8)) }
    }
}
