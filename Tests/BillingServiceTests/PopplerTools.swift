import Contracts
import Foundation

/// poppler-utils' `pdftotext` and `pdftoppm`, run on a PDF the test wrote: a real reader of the
/// file, not our own code, says what it contains.
enum PopplerTools {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func write(_ pdf: Data) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("billing-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("document.pdf")
        try pdf.write(to: file)
        return file
    }

    /// The text of every page, in reading order.
    static func text(of file: URL) throws -> String {
        String(decoding: try run("pdftotext", ["-enc", "UTF-8", file.path, "-"]), as: UTF8.self)
    }

    /// The first page as a PNG at `dpi`.
    static func png(of file: URL, dpi: Int = 72) throws -> Data {
        let prefix = file.deletingPathExtension().path + "-page"
        _ = try run("pdftoppm", ["-png", "-r", String(dpi), "-f", "1", "-l", "1", "-singlefile", file.path, prefix])
        return try Data(contentsOf: URL(fileURLWithPath: prefix + ".png"))
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problems = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) exited \(process.terminationStatus): \(String(decoding: problems, as: UTF8.self))")
        }
        return data
    }
}

extension PopplerTools {
    /// The PDF a rendered document carries, written to a file for poppler to read.
    static func file(of document: BillingDocument) throws -> URL {
        guard let base64 = document.pdfBase64, let pdf = Data(base64Encoded: base64) else {
            throw Failure(description: "\(document.number) carries no PDF")
        }
        return try write(pdf)
    }
}
