/// An IP address as Kubernetes' `ip()` sees it (k8s.io/apiserver/pkg/cel/library/ip.go): IPv4 or IPv6, no zone,
/// no IPv4-mapped IPv6 form.
public struct CELIPAddress: Sendable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    public var bytes: [UInt8]

    public var family: Int { bytes.count == 4 ? 4 : 6 }

    public init?(parsing text: String) {
        if text.contains(":") {
            guard let b = Self.parse6(text) else { return nil }
            // IPv4-mapped IPv6 (::ffff:a.b.c.d) is refused, as Kubernetes does.
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return nil }
            bytes = b
        } else {
            guard let b = Self.parse4(text) else { return nil }
            bytes = b
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    private static func parse4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            if p.count > 1 && p.first == "0" { return nil }  // no leading zeros (ambiguous octal)
            guard let v = Int(p), v <= 255 else { return nil }
            out.append(UInt8(v))
        }
        return out
    }

    private static func parse4(_ text: String) -> [UInt8]? { parse4(Substring(text)) }

    private static func parse6(_ text: String) -> [UInt8]? {
        if text.contains("%") { return nil }  // zones are not allowed
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String, allowV4Tail: Bool) -> [UInt8]? {
            if s.isEmpty { return [] }
            var out: [UInt8] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i == parts.count - 1 && allowV4Tail && p.contains(".") {
                    guard let v4 = parse4(p) else { return nil }
                    out += v4
                    continue
                }
                guard !p.isEmpty, p.count <= 4, let v = UInt16(p, radix: 16) else { return nil }
                out += [UInt8(v >> 8), UInt8(v & 0xff)]
            }
            return out
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowV4Tail: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowV4Tail: false), let tail = groups(halves[1], allowV4Tail: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// Dotted decimal, or RFC 5952 for IPv6 (lowercase hex, the longest run of two or more zero groups as `::`).
    public var text: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLength && j - i >= 2 {
                    bestStart = i
                    bestLength = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    var isLoopback: Bool { family == 4 ? bytes[0] == 127 : bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1 }
    var isMulticast: Bool { family == 4 ? bytes[0] & 0xf0 == 0xe0 : bytes[0] == 0xff }
    var isLinkLocalMulticast: Bool {
        family == 4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xff && bytes[1] & 0x0f == 0x02
    }
    var isLinkLocalUnicast: Bool {
        family == 4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80
    }
    var isGlobalUnicast: Bool {
        if isUnspecified || isLoopback || isMulticast || isLinkLocalUnicast { return false }
        return !(family == 4 && bytes.allSatisfy { $0 == 255 })
    }
}

/// A network as Kubernetes' `cidr()` sees it (cidr.go): an address (not necessarily masked) and a prefix length.
public struct CELCIDR: Sendable, Hashable {
    public var address: CELIPAddress
    public var prefixLength: Int

    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let ip = CELIPAddress(parsing: String(parts[0])),
            !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), parts[1].count <= 3,
            let n = Int(parts[1]), n <= ip.bytes.count * 8, !(parts[1].count > 1 && parts[1].first == "0")
        else { return nil }
        address = ip
        prefixLength = n
    }

    init(address: CELIPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    public var text: String { "\(address.text)/\(prefixLength)" }

    var masked: CELCIDR {
        var b = address.bytes
        for i in b.indices {
            let keep = max(0, min(8, prefixLength - i * 8))
            b[i] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
        return CELCIDR(address: CELIPAddress(bytes: b), prefixLength: prefixLength)
    }

    func contains(_ ip: CELIPAddress) -> Bool {
        guard ip.family == address.family else { return false }
        return CELCIDR(address: ip, prefixLength: prefixLength).masked.address == masked.address
    }

    func contains(_ other: CELCIDR) -> Bool {
        other.address.family == address.family && other.prefixLength >= prefixLength && contains(other.address)
    }
}
