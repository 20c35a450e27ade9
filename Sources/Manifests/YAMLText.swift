import Engine

/// Renders JSON values as YAML text in a file's own style, for text-preserving inserts.
struct YAMLTextStyle {
    /// Spaces per nesting level.
    var indentUnit = 2
    /// Whether a block sequence under a key is indented (`key:\n  - a`) or not (`key:\n- a`).
    var indentsSequences = true
    var lineEnding = "\n"

    /// `key: value` lines at `indent` columns, block style.
    func member(_ key: String, _ value: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            return ["\(pad)\(YAMLTextStyle.scalar(.string(key))):"]
                + object.members.flatMap { member($0.key, $0.value, indent: indent + indentUnit) }
        case .array(let items) where !items.isEmpty:
            let itemIndent = indentsSequences ? indent + indentUnit : indent
            return ["\(pad)\(YAMLTextStyle.scalar(.string(key))):"] + items.flatMap { item($0, indent: itemIndent) }
        default:
            return ["\(pad)\(YAMLTextStyle.scalar(.string(key))): \(YAMLTextStyle.flow(value))"]
        }
    }

    private func item(_ value: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        guard case .object(let object) = value, !object.isEmpty else { return ["\(pad)- \(YAMLTextStyle.flow(value))"] }
        var lines: [String] = []
        for (offset, entry) in object.members.enumerated() {
            var rendered = member(entry.key, entry.value, indent: indent + 2)
            if offset == 0 { rendered[0] = pad + "- " + rendered[0].dropFirst(indent + 2) }
            lines += rendered
        }
        return lines
    }

    /// Flow style: `{type: Pods, value: 1}`.
    static func flow(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            return "{" + object.members.map { "\(scalar(.string($0.key))): \(flow($0.value))" }.joined(separator: ", ") + "}"
        case .array(let items):
            return "[" + items.map(flow).joined(separator: ", ") + "]"
        default:
            return scalar(value)
        }
    }

    /// A scalar that reads back as the same JSON value: plain when that is unambiguous, else double-quoted.
    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
                (scalar.value < 128 && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                    || ["-", ".", "_", "/"].contains(scalar)
            } && text.unicodeScalars.first.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) } == true
            if safe, ScalarResolver.resolvePlain(text) == .string(text) { return text }
            var quoted = ""
            JSONValue.writeString(text, to: &quoted)
            return quoted
        default:
            return value.serialized()
        }
    }
}
