import CRabbitMQ
import Foundation

/// Keeps the C strings and table entries handed to rabbitmq-c alive for the duration of one call;
/// `amqp_cstring_bytes` keeps the pointer it is given, so Swift strings cannot be passed directly.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { allocations.forEach { free($0) } }

    func bytes(_ string: String) -> amqp_bytes_t {
        let pointer = strdup(string)!
        allocations.append(UnsafeMutableRawPointer(pointer))
        return amqp_bytes_t(len: strlen(pointer), bytes: UnsafeMutableRawPointer(pointer))
    }

    func table(_ fields: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_empty_table }
        let raw = malloc(MemoryLayout<amqp_table_entry_t>.stride * fields.count)!
        allocations.append(raw)
        let entries = raw.bindMemory(to: amqp_table_entry_t.self, capacity: fields.count)
        for (index, (key, value)) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            var entry = amqp_table_entry_t()
            entry.key = bytes(key)
            switch value {
            case .string(let s):
                entry.value.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
                entry.value.value.bytes = bytes(s)
            case .int(let i):
                entry.value.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
                entry.value.value.i64 = i
            case .bool(let b):
                entry.value.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
                entry.value.value.boolean = b ? 1 : 0
            }
            (entries + index).initialize(to: entry)
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }
}

extension amqp_table_t {
    /// The entries we understand; arrays and nested tables (like `x-death`) are skipped.
    var fields: [String: AMQPFieldValue] {
        var result: [String: AMQPFieldValue] = [:]
        guard num_entries > 0, let entries else { return result }
        for index in 0..<Int(num_entries) {
            let entry = entries[index]
            let value = entry.value
            let key = entry.key.string
            switch Int32(value.kind) {
            case Int32(AMQP_FIELD_KIND_UTF8.rawValue), Int32(AMQP_FIELD_KIND_BYTES.rawValue):
                result[key] = .string(value.value.bytes.string)
            case Int32(AMQP_FIELD_KIND_I8.rawValue): result[key] = .int(Int64(value.value.i8))
            case Int32(AMQP_FIELD_KIND_U8.rawValue): result[key] = .int(Int64(value.value.u8))
            case Int32(AMQP_FIELD_KIND_I16.rawValue): result[key] = .int(Int64(value.value.i16))
            case Int32(AMQP_FIELD_KIND_U16.rawValue): result[key] = .int(Int64(value.value.u16))
            case Int32(AMQP_FIELD_KIND_I32.rawValue): result[key] = .int(Int64(value.value.i32))
            case Int32(AMQP_FIELD_KIND_U32.rawValue): result[key] = .int(Int64(value.value.u32))
            case Int32(AMQP_FIELD_KIND_I64.rawValue): result[key] = .int(value.value.i64)
            case Int32(AMQP_FIELD_KIND_U64.rawValue), Int32(AMQP_FIELD_KIND_TIMESTAMP.rawValue):
                result[key] = .int(Int64(truncatingIfNeeded: value.value.u64))
            case Int32(AMQP_FIELD_KIND_BOOLEAN.rawValue): result[key] = .bool(value.value.boolean != 0)
            default: continue
            }
        }
        return result
    }
}

extension amqp_basic_properties_t {
    /// Builds the C properties of a message; the arena must outlive the publish call.
    init(_ message: AMQPMessage, arena: CArena) {
        self.init()
        var flags: Int32 = AMQP_BASIC_DELIVERY_MODE_FLAG
        delivery_mode = message.persistent ? 2 : 1
        func set(_ value: String?, _ flag: Int32, _ field: WritableKeyPath<amqp_basic_properties_t, amqp_bytes_t>) {
            guard let value else { return }
            self[keyPath: field] = arena.bytes(value)
            flags |= flag
        }
        set(message.contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, \.content_type)
        set(message.messageID, AMQP_BASIC_MESSAGE_ID_FLAG, \.message_id)
        set(message.type, AMQP_BASIC_TYPE_FLAG, \.type)
        set(message.correlationID, AMQP_BASIC_CORRELATION_ID_FLAG, \.correlation_id)
        set(message.replyTo, AMQP_BASIC_REPLY_TO_FLAG, \.reply_to)
        set(message.appID, AMQP_BASIC_APP_ID_FLAG, \.app_id)
        set(message.userID, AMQP_BASIC_USER_ID_FLAG, \.user_id)
        if let timestamp = message.timestamp {
            self.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970))
            flags |= AMQP_BASIC_TIMESTAMP_FLAG
        }
        if !message.headers.isEmpty {
            headers = arena.table(message.headers)
            flags |= AMQP_BASIC_HEADERS_FLAG
        }
        _flags = amqp_flags_t(flags)
    }

    /// Reads a delivered message's properties back into Swift values.
    func message(body: Data) -> AMQPMessage {
        func get(_ flag: Int32, _ bytes: amqp_bytes_t) -> String? {
            (Int32(_flags) & flag) != 0 ? bytes.string : nil
        }
        let hasTimestamp = (Int32(_flags) & AMQP_BASIC_TIMESTAMP_FLAG) != 0
        return AMQPMessage(
            body: body,
            contentType: get(AMQP_BASIC_CONTENT_TYPE_FLAG, content_type),
            messageID: get(AMQP_BASIC_MESSAGE_ID_FLAG, message_id),
            type: get(AMQP_BASIC_TYPE_FLAG, type),
            correlationID: get(AMQP_BASIC_CORRELATION_ID_FLAG, correlation_id),
            replyTo: get(AMQP_BASIC_REPLY_TO_FLAG, reply_to),
            appID: get(AMQP_BASIC_APP_ID_FLAG, app_id),
            userID: get(AMQP_BASIC_USER_ID_FLAG, user_id),
            timestamp: hasTimestamp ? Date(timeIntervalSince1970: TimeInterval(timestamp)) : nil,
            headers: (Int32(_flags) & AMQP_BASIC_HEADERS_FLAG) != 0 ? headers.fields : [:],
            persistent: delivery_mode == 2)
    }
}
