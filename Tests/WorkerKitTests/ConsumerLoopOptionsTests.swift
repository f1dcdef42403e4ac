import Foundation
import Testing
import WorkerKit

/// How many consumer loops a process runs: several on PostgreSQL (competing like replicas),
/// always one on SQLite, whose database has one writer.
@Suite struct ConsumerLoopOptionsTests {
    static func config(_ arguments: [String]) throws -> WorkerConfig {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString).json")
        try JSONEncoder().encode(DevelopmentUsers.policy.document).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try WorkerOptions.parse(["--access-file", file.path] + arguments).makeConfig()
    }

    @Test func postgresRunsTwoLoopsUnlessTold() throws {
        let url = "postgres://u:p@127.0.0.1:5433/db"
        #expect(try Self.config(["--database-url", url]).consumers == 2)
        #expect(try Self.config(["--database-url", url, "--consumers", "5"]).consumers == 5)
    }

    @Test func sqliteRunsOneWhateverTheSetting() throws {
        #expect(try Self.config([]).consumers == 1)
        #expect(try Self.config(["--consumers", "4"]).consumers == 1)
    }

    @Test func aCountOutOfRangeIsRefused() throws {
        #expect(throws: (any Error).self) { try Self.config(["--database-url", "postgres://u:p@h/db", "--consumers", "0"]) }
        #expect(throws: (any Error).self) { try Self.config(["--consumers", "65"]) }
    }

    @Test func theEffectRunnersCallsAreSizedByTheOptions() throws {
        let standard = try Self.config([]).effects
        #expect(standard.concurrency == 32 && standard.perHostConcurrency == 8)
        let wide = try Self.config(["--effect-concurrency", "64"]).effects
        #expect(wide.concurrency == 64 && wide.perHostConcurrency == 16, "a quarter per server unless told")
        let told = try Self.config(["--effect-concurrency", "16", "--effect-per-server", "12"]).effects
        #expect(told.concurrency == 16 && told.perHostConcurrency == 12)
        #expect(throws: (any Error).self) { try Self.config(["--effect-concurrency", "0"]) }
        #expect(throws: (any Error).self) { try Self.config(["--effect-concurrency", "8", "--effect-per-server", "9"]) }
    }
}
