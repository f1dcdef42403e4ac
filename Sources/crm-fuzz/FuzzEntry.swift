import Foundation

/// The state every input shares; libFuzzer calls in on one thread.
nonisolated(unsafe) private var fuzzedPath: FuzzedPath = {
    let folder = ProcessInfo.processInfo.environment["CRM_FUZZ_DB_DIR"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("crm-fuzz-\(getpid())")
    do { return try FuzzedPath(folder: folder) } catch { fatalError("cannot set up the fuzzed path: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let body = start.map { Data(bytes: $0, count: count) } ?? Data()
    fuzzedPath.run(body)
    return 0
}

#if !CRM_FUZZ
/// Without `-sanitize=fuzzer` (an ordinary `swift build`) there is no libFuzzer main: this one
/// replays the files or folders given, each file one input, e.g. `crm-fuzz .build-fuzz/crashers`.
@main enum Replay {
    static func main() {
        var files: [URL] = []
        for argument in CommandLine.arguments.dropFirst() {
            let url = URL(fileURLWithPath: argument)
            if let names = try? FileManager.default.contentsOfDirectory(atPath: argument) {
                files += names.sorted().map { url.appendingPathComponent($0) }
            } else {
                files.append(url)
            }
        }
        for file in files {
            guard let body = FileManager.default.contents(atPath: file.path) else { continue }
            _ = body.withUnsafeBytes { fuzzOneInput($0.baseAddress, $0.count) }
        }
        print("replayed \(files.count) inputs")
    }
}
#endif
