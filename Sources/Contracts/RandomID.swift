import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Random (version 4) UUIDs for message and client ids, in Foundation's upper-case text form.
/// Foundation's `UUID()` opens /dev/urandom for each one on Linux, three system calls per id, and
/// the worker makes one or two per message; this keeps the device open and reads 4 KiB at a time.
public enum RandomID {
    private static let pool = Mutex(Pool())

    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var offset = 4096
        let device: Int32 = {
            let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            precondition(fd >= 0, "cannot open /dev/urandom")
            return fd
        }()

        mutating func take16() -> [UInt8] {
            if offset + 16 > bytes.count {
                bytes.withUnsafeMutableBytes { buffer in
                    var filled = 0
                    while filled < buffer.count {
                        let n = read(device, buffer.baseAddress! + filled, buffer.count - filled)
                        if n > 0 { filled += n } else if errno != EINTR { fatalError("reading /dev/urandom failed: \(errno)") }
                    }
                }
                offset = 0
            }
            defer { offset += 16 }
            return Array(bytes[offset..<offset + 16])
        }
    }

    public static func uuid() -> String {
        var b = pool.withLock { $0.take16() }
        b[6] = (b[6] & 0x0F) | 0x40  // version 4
        b[8] = (b[8] & 0x3F) | 0x80  // RFC 4122 variant
        return text(b)
    }

    /// A version 7 UUID (RFC 9562): the Unix time in milliseconds, then 74 random bits. As a
    /// table's key, new rows go to the end of its B-tree instead of a random page each (a
    /// random key was most of an insert's cost, and a page written per row at commit).
    public static func timeOrdered(now: Date = Date()) -> String {
        var b = pool.withLock { $0.take16() }
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
        b[6] = (b[6] & 0x0F) | 0x70  // version 7
        b[8] = (b[8] & 0x3F) | 0x80  // RFC 4122 variant
        return text(b)
    }

    private static func text(_ b: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (i, byte) in b.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// 128 random bits as 32 lower-case hex digits: a generated password safe in a URL.
    public static func password() -> String {
        pool.withLock { $0.take16() }.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
