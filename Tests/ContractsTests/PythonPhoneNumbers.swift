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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // The script reads all of stdin before writing anything, so writing first cannot deadlock.
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "phone_e164.py exited \(process.terminationStatus): "
                + String(decoding: errors, as: UTF8.self))
        }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        guard lines.count == cases.count else {
            throw Failure(description: "python returned \(lines.count) readings for \(cases.count) numbers")
        }
        return try lines.map { try JSONDecoder().decode(Reading.self, from: Data($0.utf8)) }
    }
}
