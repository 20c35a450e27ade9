/// An RFC 6901 JSON pointer, the one way a finding or a patch names a place in an object.
public struct JSONPointer: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var tokens: [String]

    public init(tokens: [String] = []) { self.tokens = tokens }

    /// Parses "/spec/metrics/0"; "" is the whole document.
    public init(_ text: String) {
        // The pointers rules write ("/spec/scaleTargetRef") are ASCII, start with `/` and have no `~` escape:
        // split at the `/` bytes, as the Character-wise split below would.
        let fast: [String]?? = text.withASCIIBytes { bytes in
            guard bytes.first == UInt8(ascii: "/"), !bytes.contains(UInt8(ascii: "~")) else { return nil }
            var tokens: [String] = []
            var start = 1
            for index in 1..<bytes.count where bytes[index] == UInt8(ascii: "/") {
                tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return tokens
        }
        if let fast = fast ?? nil {
            tokens = fast
        } else if text.isEmpty {
            tokens = []
        } else {
            tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
                guard token.utf8.contains(UInt8(ascii: "~")) else { return String(token) }
                return String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            }
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public static let root = JSONPointer()

    public var description: String {
        var out = ""
        for token in tokens {
            out += "/"
            if token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) {
                out += token.replacing("~", with: "~0").replacing("/", with: "~1")
            } else {
                out += token
            }
        }
        return out
    }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { JSONPointer(tokens: tokens + [String(index)]) }
    public func appending(_ other: JSONPointer) -> JSONPointer { JSONPointer(tokens: tokens + other.tokens) }

    public static func / (lhs: JSONPointer, rhs: String) -> JSONPointer { lhs.appending(rhs) }
    public static func / (lhs: JSONPointer, rhs: Int) -> JSONPointer { lhs.appending(rhs) }

    public var parent: JSONPointer? {
        tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    public var last: String? { tokens.last }

    public func hasPrefix(_ prefix: JSONPointer) -> Bool { tokens.starts(with: prefix.tokens) }

    /// The field path the API server prints ("spec.metrics[0].type").
    public var fieldPath: String {
        var out = ""
        for token in tokens {
            if let index = Int(token), !token.hasPrefix("+") {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? token : "." + token
            }
        }
        return out
    }

    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        lhs.tokens.lexicographicallyPrecedes(rhs.tokens)
    }
}
