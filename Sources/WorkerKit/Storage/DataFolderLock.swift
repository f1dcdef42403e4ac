import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One process per SQLite data folder and service: a second one would relay the same outbox rows
/// twice and fight the first for the write lock. An exclusive `flock` on `<service>.lock` in the
/// folder says so at start; the kernel drops it when the process ends, however it ends.
public final class DataFolderLock: Sendable {
    private let descriptor: Int32
    public let path: String

    public init(directory: URL, service: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("\(service).lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DataFolderLockError.unopenable(path, errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw DataFolderLockError.inUse(service: service, folder: directory.path, holder: holder)
        }
        // Who holds it, for the message a second process prints.
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(descriptor) }
}

public enum DataFolderLockError: Error, CustomStringConvertible {
    case unopenable(String, Int32)
    case inUse(service: String, folder: String, holder: String?)

    public var description: String {
        switch self {
        case .unopenable(let path, let code):
            return "cannot open the lock file \(path): \(String(cString: strerror(code)))"
        case .inUse(let service, let folder, let holder):
            return "another \(service) (pid \(holder ?? "unknown")) already runs on the data folder \(folder): "
                + "a service's SQLite database serves one process. To run replicas, keep the service's state in "
                + "PostgreSQL (CRM_DATABASE_URL); see the README's section on scaling"
        }
    }
}
