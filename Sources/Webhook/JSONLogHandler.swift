import Engine
import Foundation
import Logging
import Synchronization

/// One JSON object per line on standard error: `{"time":…,"level":…,"logger":…,"msg":…, metadata…}`.
///
/// Structured so that log pipelines index the per-review fields (uid, object, decision, duration) without parsing.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private static let output = Mutex<Void>(())

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Built as bytes: one line per review, on the hot path of the webhook.
        var line: [UInt8] = []
        line.reserveCapacity(512)
        JSONText.append("{\"time\":\"", to: &line)
        Self.appendTimestamp(to: &line)
        JSONText.append("\",\"level\":\"", to: &line)
        line.append(contentsOf: event.level.rawValue.utf8)
        JSONText.append("\",\"logger\":", to: &line)
        JSONText.appendString(label, to: &line)
        JSONText.append(",\"msg\":", to: &line)
        JSONText.appendString(event.message.description, to: &line)
        // The event's metadata over the handler's; merged only when both have some.
        let merged: Logger.Metadata
        if let eventMetadata = event.metadata, !eventMetadata.isEmpty {
            merged = metadata.isEmpty ? eventMetadata : metadata.merging(eventMetadata) { _, new in new }
        } else {
            merged = metadata
        }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line.append(UInt8(ascii: ","))
            JSONText.appendString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.append(value, to: &line)
        }
        JSONText.append("}\n", to: &line)
        Self.output.withLock { _ in
            var offset = 0
            while offset < line.count {
                let written = line.withUnsafeBytes { buffer in
                    write(STDERR_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                }
                if written <= 0 { break }
                offset += written
            }
        }
    }

    static func append(_ value: Logger.Metadata.Value, to out: inout [UInt8]) {
        switch value {
        case .string(let text): JSONText.appendString(text, to: &out)
        case .stringConvertible(let convertible):
            // The type is compared first: each `as?` that fails is a search of the runtime's conformance records.
            let type = ObjectIdentifier(Swift.type(of: convertible))
            if type == ObjectIdentifier(Int.self), let number = convertible as? Int {
                out.append(contentsOf: String(number).utf8)
            } else if type == ObjectIdentifier(Double.self), let number = convertible as? Double, number.isFinite {
                out.append(contentsOf: String(number).utf8)
            } else if type == ObjectIdentifier(Bool.self), let flag = convertible as? Bool {
                JSONText.append(flag ? "true" : "false", to: &out)
            } else {
                JSONText.appendString(convertible.description, to: &out)
            }
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            out.append(UInt8(ascii: "{"))
            for (index, member) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 3339 UTC with milliseconds (2024-06-11T09:30:12.345Z).
    static func appendTimestamp(to out: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int, then separator: UInt8) {
            appendPadded(value, width: width, to: &out)
            out.append(separator)
        }
        pad(parts.tm_year + 1900, 4, then: UInt8(ascii: "-"))
        pad(parts.tm_mon + 1, 2, then: UInt8(ascii: "-"))
        pad(parts.tm_mday, 2, then: UInt8(ascii: "T"))
        pad(parts.tm_hour, 2, then: UInt8(ascii: ":"))
        pad(parts.tm_min, 2, then: UInt8(ascii: ":"))
        pad(parts.tm_sec, 2, then: UInt8(ascii: "."))
        pad(Int32(now.tv_nsec / 1_000_000), 3, then: UInt8(ascii: "Z"))
    }

    /// `value` (not negative) in decimal, zero-padded to `width` digits, written digit by digit (`String(value)`
    /// is a generic conversion per field of every line).
    static func appendPadded(_ value: Int32, width: Int, to out: inout [UInt8]) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(digits, width)))
        var position = out.count - 1
        var remaining = value
        while remaining > 0 {
            out[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            position -= 1
        }
    }
}
