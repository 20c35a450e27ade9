import Engine

/// Hand-rolled JSON output for the per-review hot path (log line, AdmissionReview answer): strings that need no
/// escaping (nearly all) are appended whole instead of scalar by scalar.
enum JSONText {
    /// Appends `value` as a JSON string literal.
    static func appendString(_ value: String, to out: inout String) {
        let needsEscaping = value.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F }
        guard needsEscaping else {
            out += "\""
            out += value
            out += "\""
            return
        }
        JSONValue.writeString(value, to: &out)
    }

    static func string(_ value: String) -> String {
        var out = ""
        appendString(value, to: &out)
        return out
    }
}
