/// A URL as Kubernetes' `url()` sees it (k8s.io/apiserver/pkg/cel/library/urls.go, over Go's
/// `url.ParseRequestURI`): an absolute URI with a scheme, or an absolute path; no fragment is split off.
public struct CELURL: Sendable, Hashable {
    public var scheme: String
    /// Host with its port, without user information (`example.com:8080`, `[::1]:80`).
    public var host: String
    /// The path as written (still escaped).
    public var escapedPath: String
    /// The raw query after `?`, if any.
    public var rawQuery: String
    public var text: String

    public init?(parsing text: String) {
        // Control characters and spaces are not allowed in a request URI.
        guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7f }) else {
            return nil
        }
        self.text = text
        var rest = Substring(text)
        if let q = rest.firstIndex(of: "?") {
            rawQuery = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        } else {
            rawQuery = ""
        }
        if rest.hasPrefix("/") && !rest.hasPrefix("//") {
            scheme = ""
            host = ""
        } else {
            guard let colon = rest.firstIndex(of: ":") else { return nil }
            let s = rest[..<colon]
            guard let first = s.unicodeScalars.first, first.isASCIILetter,
                s.unicodeScalars.allSatisfy({ $0.isASCIILetter || isDigit($0) || "+-.".unicodeScalars.contains($0) })
            else { return nil }
            scheme = s.lowercased()
            rest = rest[rest.index(after: colon)...]
            guard rest.hasPrefix("/") else { return nil }  // opaque URIs are not request URIs
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(of: "/") ?? rest.endIndex
                var authority = rest[..<end]
                rest = rest[end...]
                if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
                guard Self.validHost(authority) else { return nil }
                host = String(authority)
            } else {
                host = ""
            }
        }
        guard Self.validEscapes(rest) else { return nil }
        escapedPath = String(rest)
    }

    private static func validHost(_ h: Substring) -> Bool {
        var hostPart = h
        var port: Substring = ""
        if h.hasPrefix("[") {
            guard let close = h.firstIndex(of: "]") else { return false }
            let inner = h[h.index(after: h.startIndex)..<close]
            guard CELIPAddress(parsing: String(inner.split(separator: "%").first ?? "")) != nil || inner.contains("%")
            else { return false }
            let after = h[h.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return false }
                port = after.dropFirst()
            }
            return port.unicodeScalars.allSatisfy(isDigit)
        }
        if let colon = h.lastIndex(of: ":") {
            port = h[h.index(after: colon)...]
            hostPart = h[..<colon]
        }
        guard port.unicodeScalars.allSatisfy(isDigit) else { return false }
        return validEscapes(hostPart) && !hostPart.contains(":")
    }

    private static func validEscapes(_ s: Substring) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 37 {
                guard i + 2 < b.count, hexValue(Unicode.Scalar(b[i + 1])) != nil,
                    hexValue(Unicode.Scalar(b[i + 2])) != nil
                else { return false }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }

    /// The host without port and brackets.
    public var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    public var port: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            return after.hasPrefix(":") ? String(after.dropFirst()) : ""
        }
        if let colon = host.lastIndex(of: ":") { return String(host[host.index(after: colon)...]) }
        return ""
    }

    /// Query parameters as Go's `url.Values`: repeated keys keep every value in order; `+` is a space; pairs with a
    /// bad escape or a semicolon are dropped.
    public var query: CELMap {
        var m = CELMap()
        for pair in rawQuery.split(separator: "&") where !pair.isEmpty && !pair.contains(";") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let k = Self.unescape(kv[0]), let v = Self.unescape(kv.count > 1 ? kv[1] : "") else { continue }
            var values: [CELValue] = []
            if case .list(let existing)? = m[.string(k)] { values = existing }
            values.append(.string(v))
            m.set(.string(k), .list(values))
        }
        return m
    }

    private static func unescape(_ s: Substring) -> String? {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 37 {
                guard i + 2 < b.count, let hi = hexValue(Unicode.Scalar(b[i + 1])),
                    let lo = hexValue(Unicode.Scalar(b[i + 2]))
                else { return nil }
                out.append(UInt8(hi * 16 + lo))
                i += 3
            } else {
                out.append(b[i] == 43 ? 32 : b[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { (value >= 65 && value <= 90) || (value >= 97 && value <= 122) }
}
