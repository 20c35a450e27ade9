import Engine

/// Hand-rolled JSON output for the per-review hot path (log line, AdmissionReview answer): strings that need no
/// escaping (nearly all) are appended whole instead of scalar by scalar, into bytes rather than a `String`.
enum JSONText {
    /// Appends `value` as a JSON string literal, UTF-8 encoded: the text `JSONValue.writeString` writes.
    static func appendString(_ value: String, to out: inout [UInt8]) {
        guard needsEscaping(value) else {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: value.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        var escaped = ""
        JSONValue.writeString(value, to: &escaped)
        out.append(contentsOf: escaped.utf8)
    }

    /// Appends text that needs no escaping (JSON punctuation, keys and numbers written here).
    static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// True when `value` holds a byte JSON must escape (or that `JSONValue.writeString` escapes: DEL).
    static func needsEscaping(_ value: String) -> Bool {
        func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F }
        }
        // Native strings (all of these) are contiguous: a plain loop over their bytes.
        if let found = value.utf8.withContiguousStorageIfAvailable(check) { return found }
        var copy = value
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(check) ?? true
    }
}
