import Contracts
import Foundation
import Messaging

extension RequestClient {
    /// Sends a request and decodes its reply's `result`; a failed reply throws with its error.
    func result<Result: Decodable>(of type: String, body: Data = Data("{}".utf8), as: Result.Type) throws -> Result {
        let reply = try JSONCoding.decoder.decode(Reply.self, from: request(type: type, body: body).body)
        guard reply.ok, let result = reply.result else { throw TestFailure("\(type) failed: \(String(describing: reply.error))") }
        return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
    }
}

/// Runs a program to its end; returns its exit status and what it printed (stdout and stderr).
/// `environment` is added to this process's; `input` is written to its standard input.
func runProgram(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                input: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, mine in mine }
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
