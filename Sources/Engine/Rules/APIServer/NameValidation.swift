/// The name checks the API server runs, written out by hand (the Engine has no regular expressions).
///
/// They follow k8s.io/apimachinery `pkg/util/validation` (`IsDNS1123Label`, `IsDNS1123Subdomain`, `IsQualifiedName`,
/// `IsValidLabelValue`) and `pkg/api/validation/path` (`IsValidPathSegmentName`). Each returns the API server's own
/// messages, empty when the value is valid. Lengths count bytes, as Go's `len` does.
enum NameValidation {
    static let dns1123LabelMaxLength = 63
    static let dns1123SubdomainMaxLength = 253
    static let qualifiedNameMaxLength = 63
    static let labelValueMaxLength = 63

    static let dns1123LabelMessage = """
        a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and \
        end with an alphanumeric character
        """
    static let dns1123SubdomainMessage = """
        a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must \
        start and end with an alphanumeric character
        """
    static let qualifiedNameMessage = """
        must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character
        """
    static let labelValueMessage = """
        a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start \
        and end with an alphanumeric character
        """

    static func maxLengthMessage(_ length: Int) -> String { "must be no more than \(length) characters" }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 bytes: namespaces, container names.
    static func dns1123Label(_ value: String) -> [String] {
        withBytes(value) { bytes in
            var problems: [String] = []
            if bytes.count > dns1123LabelMaxLength { problems.append(maxLengthMessage(dns1123LabelMaxLength)) }
            if !isLabelShaped(bytes) { problems.append(dns1123LabelMessage) }
            return problems
        }
    }

    /// DNS-1123 labels joined by `.`, at most 253 bytes in all (no per-label limit): object names.
    static func dns1123Subdomain(_ value: String) -> [String] {
        withBytes(value, dns1123Subdomain)
    }

    private static func dns1123Subdomain(_ bytes: Bytes) -> [String] {
        var problems: [String] = []
        if bytes.count > dns1123SubdomainMaxLength { problems.append(maxLengthMessage(dns1123SubdomainMaxLength)) }
        if !everyPiece(of: bytes, at: UInt8(ascii: "."), satisfies: isLabelShaped) {
            problems.append(dns1123SubdomainMessage)
        }
        return problems
    }

    /// An object name used as a `generateName` prefix: a trailing `-` is allowed. Mirrors `maskTrailingDash`,
    /// quirk included (it replaces the last two characters with `a`).
    static func dns1123SubdomainPrefix(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        guard bytes.count > 1, bytes.last == UInt8(ascii: "-") else { return dns1123Subdomain(value) }
        return dns1123Subdomain(String(decoding: bytes.dropLast(2), as: UTF8.self) + "a")
    }

    /// An optional DNS-1123 subdomain prefix and `/`, then 1–63 characters of `[-A-Za-z0-9_.]` that start and end
    /// alphanumeric: label and annotation keys, resource names.
    static func qualifiedName(_ value: String) -> [String] {
        withBytes(value) { bytes in
            var problems: [String] = []
            let name: Bytes
            if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
                name = bytes[(slash + 1)...]
                guard !name.contains(UInt8(ascii: "/")) else {
                    let format = "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
                    return ["a qualified name \(qualifiedNameMessage) \(format)"]
                }
                let prefix = bytes[..<slash]
                if prefix.isEmpty {
                    problems.append("prefix part must be non-empty")
                } else {
                    problems += dns1123Subdomain(prefix).map { "prefix part " + $0 }
                }
            } else {
                name = bytes
            }
            if name.isEmpty {
                problems.append("name part must be non-empty")
            } else if name.count > qualifiedNameMaxLength {
                problems.append("name part " + maxLengthMessage(qualifiedNameMaxLength))
            }
            if !isQualifiedShaped(name) { problems.append("name part " + qualifiedNameMessage) }
            return problems
        }
    }

    /// Empty, or at most 63 characters of `[-A-Za-z0-9_.]` that start and end alphanumeric.
    static func labelValue(_ value: String) -> [String] {
        withBytes(value) { bytes in
            var problems: [String] = []
            if bytes.count > labelValueMaxLength { problems.append(maxLengthMessage(labelValueMaxLength)) }
            if !bytes.isEmpty, !isQualifiedShaped(bytes) { problems.append(labelValueMessage) }
            return problems
        }
    }

    /// Not `.` or `..`, and no `/` or `%`: anything that can be one segment of a REST path. Uppercase, `_`, `:`
    /// and `|` are all fine.
    static func pathSegment(_ value: String) -> [String] {
        if value == "." || value == ".." { return ["may not be '\(value)'"] }
        // The usual case, ASCII without either: nothing to find Character by Character.
        let clean = value.withASCIIBytes { !$0.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "%") } }
        if clean == true { return [] }
        return ["/", "%"].filter { value.contains($0) }.map { "may not contain '\($0)'" }
    }

    // MARK: - Bytes

    /// The UTF-8 of a value, read in place (Go's validation works on bytes too).
    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    private static func withBytes<Result>(_ value: String, _ body: (Bytes) -> Result) -> Result {
        var value = value
        return value.withUTF8 { body($0[...]) }
    }

    /// Whether each piece of `bytes` between `separator`s (empty ones too, as Go's `strings.Split` gives them)
    /// satisfies `test`; read in place, since every name of every reviewed object is checked.
    private static func everyPiece(of bytes: Bytes, at separator: UInt8, satisfies test: (Bytes) -> Bool) -> Bool {
        var start = bytes.startIndex
        while true {
            let end = bytes[start...].firstIndex(of: separator) ?? bytes.endIndex
            guard test(bytes[start..<end]) else { return false }
            guard end < bytes.endIndex else { return true }
            start = end + 1
        }
    }

    // MARK: - Character classes

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` with no length limit.
    private static func isLabelShaped(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
            && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` with no length limit.
    private static func isQualifiedShaped(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }
}
