import Foundation

/// Runs one of the project's Python reference scripts (`scripts/*.py`) with its input on stdin
/// and returns its output lines; a non-zero exit throws with what it printed on stderr.
enum PythonScript {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func lines(_ script: URL, _ arguments: [String] = [], input: Data) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // The scripts read all of stdin before writing anything, so writing first cannot deadlock.
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(script.lastPathComponent) \(arguments.joined(separator: " ")) exited "
                + "\(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
