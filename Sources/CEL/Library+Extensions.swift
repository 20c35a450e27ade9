import Foundation

// The strings extension (cel-go ext/strings.go semantics: indices count code points), Kubernetes' lists, regex
// and quantity libraries, optionals and sets.
extension Library {
    private static func string(_ v: CELValue, _ name: String, _ a: [CELValue]) throws(CELEvalError) -> String {
        guard case .string(let s) = v else { throw noOverload(name, a) }
        return s
    }

    private static func int(_ v: CELValue, _ name: String, _ a: [CELValue]) throws(CELEvalError) -> Int64 {
        guard case .int(let i) = v else { throw noOverload(name, a) }
        return i
    }

    private static func outOfRange(_ what: String) -> CELEvalError { CELEvalError(.indexOutOfRange, what) }

    /// The position of `needle` in `hay` at or after `from` (in scalars), or nil.
    private static func find(_ needle: [Unicode.Scalar], in hay: [Unicode.Scalar], from: Int) -> Int? {
        if needle.isEmpty { return from }
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func defineStrings(_ def: Define) {
        def("contains", m("string, string -> bool")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "contains", a)
            let t = try string(a[1], "contains", a)
            try meter.chargeSize(s.utf8.count)
            return .bool(t.isEmpty || find(Array(t.unicodeScalars), in: Array(s.unicodeScalars), from: 0) != nil)
        }
        def("startsWith", m("string, string -> bool")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "startsWith", a)
            let t = try string(a[1], "startsWith", a)
            try meter.chargeSize(t.utf8.count)
            return .bool(s.utf8.starts(with: t.utf8))
        }
        def("endsWith", m("string, string -> bool")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "endsWith", a)
            let t = try string(a[1], "endsWith", a)
            try meter.chargeSize(t.utf8.count)
            return .bool(s.utf8.reversed().starts(with: t.utf8.reversed()))
        }
        def("lowerAscii", m("string -> string")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "lowerAscii", a)
            try meter.chargeSize(s.utf8.count)
            return .string(String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self))
        }
        def("upperAscii", m("string -> string")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "upperAscii", a)
            try meter.chargeSize(s.utf8.count)
            return .string(String(decoding: s.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self))
        }
        def("charAt", m("string, int -> string")) { meter, a throws(CELEvalError) in
            let s = Array(try string(a[0], "charAt", a).unicodeScalars)
            let i = try int(a[1], "charAt", a)
            try meter.chargeSize(s.count)
            guard i >= 0 && i <= s.count else { throw outOfRange("index out of range: \(i)") }
            return .string(i == s.count ? "" : String(s[Int(i)]))
        }
        def("indexOf", m("string, string -> int", "string, string, int -> int", "list(A), A -> int")) {
            meter, a throws(CELEvalError) in
            if case .list(let items) = a[0] {
                try meter.chargeSize(items.count)
                if a[1].isAggregateOrLong { try meter.chargeWalk(a[0]) }
                return .int(Int64(items.firstIndex(of: a[1]) ?? -1))
            }
            let s = Array(try string(a[0], "indexOf", a).unicodeScalars)
            let t = Array(try string(a[1], "indexOf", a).unicodeScalars)
            try meter.chargeSize(s.count)
            var from = 0
            if a.count > 2 {
                let o = try int(a[2], "indexOf", a)
                guard o >= 0 && o <= s.count else { throw outOfRange("index out of range: \(o)") }
                from = Int(o)
            }
            return .int(Int64(find(t, in: s, from: from) ?? -1))
        }
        def("lastIndexOf", m("string, string -> int", "string, string, int -> int", "list(A), A -> int")) {
            meter, a throws(CELEvalError) in
            if case .list(let items) = a[0] {
                try meter.chargeSize(items.count)
                if a[1].isAggregateOrLong { try meter.chargeWalk(a[0]) }
                return .int(Int64(items.lastIndex(of: a[1]) ?? -1))
            }
            let s = Array(try string(a[0], "lastIndexOf", a).unicodeScalars)
            let t = Array(try string(a[1], "lastIndexOf", a).unicodeScalars)
            try meter.chargeSize(s.count)
            var from = s.count
            if a.count > 2 {
                let o = try int(a[2], "lastIndexOf", a)
                guard o >= 0 && o <= s.count else { throw outOfRange("index out of range: \(o)") }
                from = Int(o)
            }
            if t.isEmpty { return .int(Int64(from)) }
            var i = min(from, s.count - t.count)
            while i >= 0 {
                if s[i..<(i + t.count)].elementsEqual(t) { return .int(Int64(i)) }
                i -= 1
            }
            return .int(-1)
        }
        def("substring", m("string, int -> string", "string, int, int -> string")) { meter, a throws(CELEvalError) in
            let s = Array(try string(a[0], "substring", a).unicodeScalars)
            let start = try int(a[1], "substring", a)
            let end = a.count > 2 ? try int(a[2], "substring", a) : Int64(s.count)
            try meter.chargeSize(s.count)
            guard start >= 0 && start <= s.count else { throw outOfRange("index out of range: \(start)") }
            guard end >= 0 && end <= s.count else { throw outOfRange("index out of range: \(end)") }
            guard start <= end else {
                throw CELEvalError(.invalidArgument, "invalid substring range. start: \(start), end: \(end)")
            }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: s[Int(start)..<Int(end)])
            return .string(String(out))
        }
        def("trim", m("string -> string")) { meter, a throws(CELEvalError) in
            let s = Array(try string(a[0], "trim", a).unicodeScalars)
            try meter.chargeSize(s.count)
            var lo = 0
            var hi = s.count
            while lo < hi && s[lo].properties.isWhitespace { lo += 1 }
            while hi > lo && s[hi - 1].properties.isWhitespace { hi -= 1 }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: s[lo..<hi])
            return .string(String(out))
        }
        def("replace", m("string, string, string -> string", "string, string, string, int -> string")) {
            meter, a throws(CELEvalError) in
            let s = Array(try string(a[0], "replace", a).unicodeScalars)
            let old = Array(try string(a[1], "replace", a).unicodeScalars)
            let new = Array(try string(a[2], "replace", a).unicodeScalars)
            var n = a.count > 3 ? try int(a[3], "replace", a) : -1
            // Charge the largest result before building it, so a replacement cannot outgrow the budget.
            let most = old.isEmpty ? s.count + 1 : s.count / old.count
            try meter.chargeSize(s.count + (n < 0 ? most : min(most, Int(clamping: n))) * new.count)
            var out = String.UnicodeScalarView()
            var i = 0
            if old.isEmpty {
                // Go's strings.Replace: the replacement goes before every scalar and at the end.
                while i <= s.count {
                    if n != 0 {
                        out.append(contentsOf: new)
                        n -= 1
                    }
                    if i < s.count { out.append(s[i]) }
                    i += 1
                }
                try meter.chargeSize(out.count)
                return .string(String(out))
            }
            while i < s.count {
                if n != 0, i + old.count <= s.count, s[i..<(i + old.count)].elementsEqual(old) {
                    out.append(contentsOf: new)
                    i += old.count
                    n -= 1
                } else {
                    out.append(s[i])
                    i += 1
                }
            }
            try meter.chargeSize(out.count)
            return .string(String(out))
        }
        def("split", m("string, string -> list(string)", "string, string, int -> list(string)")) {
            meter, a throws(CELEvalError) in
            let s = Array(try string(a[0], "split", a).unicodeScalars)
            let sep = Array(try string(a[1], "split", a).unicodeScalars)
            let n = a.count > 2 ? try int(a[2], "split", a) : -1
            try meter.chargeSize(s.count)
            if n == 0 { return .list([]) }
            func str(_ part: ArraySlice<Unicode.Scalar>) -> CELValue {
                var v = String.UnicodeScalarView()
                v.append(contentsOf: part)
                return .string(String(v))
            }
            var parts: [CELValue] = []
            if sep.isEmpty {
                for (k, c) in s.enumerated() {
                    if n > 0 && parts.count == n - 1 {
                        parts.append(str(s[k...]))
                        return .list(parts)
                    }
                    parts.append(.string(String(c)))
                }
                return .list(parts)
            }
            var start = 0
            var i = 0
            while i + sep.count <= s.count {
                if n > 0 && parts.count == n - 1 { break }
                if s[i..<(i + sep.count)].elementsEqual(sep) {
                    parts.append(str(s[start..<i]))
                    i += sep.count
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(str(s[start...]))
            return .list(parts)
        }
        def("join", m("list(string) -> string", "list(string), string -> string")) { meter, a throws(CELEvalError) in
            guard case .list(let items) = a[0] else { throw noOverload("join", a) }
            let sep = a.count > 1 ? try string(a[1], "join", a) : ""
            var parts: [String] = []
            var total = 0
            for item in items {
                guard case .string(let s) = item else { throw noOverload("join", a) }
                parts.append(s)
                total += s.utf8.count + sep.utf8.count
            }
            try meter.chargeSize(total)
            return .string(parts.joined(separator: sep))
        }
        def("reverse", m("string -> string")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "reverse", a)
            try meter.chargeSize(s.utf8.count)
            return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed())))
        }
        def("strings.quote", g("string -> string")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "strings.quote", a)
            try meter.chargeSize(s.utf8.count)
            return .string(quote(s))
        }
        def("format", m("string, list(dyn) -> string")) { meter, a throws(CELEvalError) in
            let f = try string(a[0], "format", a)
            guard case .list(let args) = a[1] else { throw noOverload("format", a) }
            try meter.chargeWalk(a[1])
            let out = try Formatter.format(f, args)
            try meter.chargeSize(out.utf8.count + f.utf8.count)
            return .string(out)
        }
        // Regular expressions (core `matches`, Kubernetes' `find`/`findAll`); constant patterns are compiled at
        // check time, the others here through the cache.
        def("matches", m("string, string -> bool") + g("string, string -> bool")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "matches", a)
            let re = try regex(try string(a[1], "matches", a))
            return try matches(re, s, &meter)
        }
        def("find", m("string, string -> string")) { meter, a throws(CELEvalError) in
            let s = try string(a[0], "find", a)
            return try find(try regex(try string(a[1], "find", a)), s, &meter)
        }
        def("findAll", m("string, string -> list(string)", "string, string, int -> list(string)")) {
            meter, a throws(CELEvalError) in
            let s = try string(a[0], "findAll", a)
            let re = try regex(try string(a[1], "findAll", a))
            return try findAll(re, s, a.count > 2 ? try int(a[2], "findAll", a) : -1, &meter)
        }
    }

    static func regex(_ pattern: String) throws(CELEvalError) -> CompiledRegex {
        do {
            return try CompiledRegex.cached(pattern)
        } catch {
            throw CELEvalError(.regex, error.message)
        }
    }

    static func matches(_ re: CompiledRegex, _ s: String, _ meter: inout Meter) throws(CELEvalError) -> CELValue {
        try meter.charge(Int64(s.utf8.count / 4 + 1))
        return .bool(try re.firstMatch(in: s))
    }

    static func find(_ re: CompiledRegex, _ s: String, _ meter: inout Meter) throws(CELEvalError) -> CELValue {
        try meter.charge(Int64(s.utf8.count / 4 + 1))
        guard let r = try re.matches(in: s, limit: 1).first else { return .string("") }
        return .string(substring(s, r))
    }

    static func findAll(_ re: CompiledRegex, _ s: String, _ n: Int64, _ meter: inout Meter) throws(CELEvalError)
        -> CELValue
    {
        try meter.charge(Int64(s.utf8.count / 4 + 1))
        let limit = n < 0 ? -1 : Int(clamping: n)
        return .list(try re.matches(in: s, limit: limit).map { .string(substring(s, $0)) })
    }

    private static func substring(_ s: String, _ r: Range<Int>) -> String {
        let u = s.utf8
        return String(
            decoding: u[u.index(u.startIndex, offsetBy: r.lowerBound)..<u.index(u.startIndex, offsetBy: r.upperBound)],
            as: UTF8.self)
    }

    // MARK: - Lists (Kubernetes)

    static func defineLists(_ def: Define) {
        def("isSorted", m("list(A) -> bool")) { meter, a throws(CELEvalError) in
            guard case .list(let items) = a[0] else { throw noOverload("isSorted", a) }
            try meter.chargeSize(items.count)
            for i in items.indices.dropFirst() {
                guard let c = items[i - 1].compare(to: items[i]) else { throw noOverload("isSorted", a) }
                if c > 0 { return .bool(false) }
            }
            return .bool(true)
        }
        def("sum", m("list(A) -> A")) { meter, a throws(CELEvalError) in
            guard case .list(let items) = a[0] else { throw noOverload("sum", a) }
            try meter.chargeSize(items.count)
            guard var total = items.first else { return .int(0) }
            for item in items.dropFirst() { total = try Operators.add(total, item, &meter) }
            if case .string = total { throw noOverload("sum", a) }
            if case .list = total { throw noOverload("sum", a) }
            return total
        }
        for (name, wantLess) in [("min", true), ("max", false)] {
            def(name, m("list(A) -> A")) { meter, a throws(CELEvalError) in
                guard case .list(let items) = a[0] else { throw noOverload(name, a) }
                try meter.chargeSize(items.count)
                guard var best = items.first else {
                    throw CELEvalError(.invalidArgument, "\(name) called on empty list")
                }
                for item in items.dropFirst() {
                    guard let c = item.compare(to: best) else { throw noOverload(name, a) }
                    if wantLess ? c < 0 : c > 0 { best = item }
                }
                return best
            }
        }
        def("sets.contains", g("list(A), list(A) -> bool")) { meter, a throws(CELEvalError) in
            guard case .list(let x) = a[0], case .list(let y) = a[1] else { throw noOverload("sets.contains", a) }
            try meter.chargeSize(x.count * y.count)
            if x.contains(where: \.isAggregateOrLong) || y.contains(where: \.isAggregateOrLong) {
                for _ in 0..<min(x.count, y.count) {
                    try meter.chargeWalk(a[0])
                    try meter.chargeWalk(a[1])
                }
            }
            return .bool(y.allSatisfy { x.contains($0) })
        }
        def("sets.equivalent", g("list(A), list(A) -> bool")) { meter, a throws(CELEvalError) in
            guard case .list(let x) = a[0], case .list(let y) = a[1] else { throw noOverload("sets.equivalent", a) }
            try meter.chargeSize(x.count * y.count)
            if x.contains(where: \.isAggregateOrLong) || y.contains(where: \.isAggregateOrLong) {
                for _ in 0..<min(x.count, y.count) {
                    try meter.chargeWalk(a[0])
                    try meter.chargeWalk(a[1])
                }
            }
            return .bool(y.allSatisfy { x.contains($0) } && x.allSatisfy { y.contains($0) })
        }
        def("sets.intersects", g("list(A), list(A) -> bool")) { meter, a throws(CELEvalError) in
            guard case .list(let x) = a[0], case .list(let y) = a[1] else { throw noOverload("sets.intersects", a) }
            try meter.chargeSize(x.count * y.count)
            if x.contains(where: \.isAggregateOrLong) || y.contains(where: \.isAggregateOrLong) {
                for _ in 0..<min(x.count, y.count) {
                    try meter.chargeWalk(a[0])
                    try meter.chargeWalk(a[1])
                }
            }
            return .bool(y.contains { x.contains($0) })
        }
    }

    // MARK: - Optionals

    static func defineOptionals(_ def: Define) {
        def("optional.of", g("A -> optional(A)")) { _, a throws(CELEvalError) in .optional(a[0]) }
        def("optional.none", g(" -> optional(dyn)")) { _, _ throws(CELEvalError) in .optional(nil) }
        def("optional.ofNonZeroValue", g("A -> optional(A)")) { _, a throws(CELEvalError) in
            let zero: Bool
            switch a[0] {
            case .null: zero = true
            case .bool(let b): zero = !b
            case .int(let i): zero = i == 0
            case .uint(let u): zero = u == 0
            case .double(let d): zero = d == 0
            case .string(let s): zero = s.isEmpty
            case .bytes(let b): zero = b.isEmpty
            case .list(let l): zero = l.isEmpty
            case .map(let m): zero = m.count == 0
            case .duration(let d): zero = d.nanoseconds == 0
            case .timestamp(let t): zero = t.seconds == 0 && t.nanos == 0
            default: zero = false
            }
            return .optional(zero ? nil : a[0])
        }
        def("hasValue", m("optional(A) -> bool")) { _, a throws(CELEvalError) in
            guard case .optional(let o) = a[0] else { throw noOverload("hasValue", a) }
            return .bool(o != nil)
        }
        def("value", m("optional(A) -> A")) { _, a throws(CELEvalError) in
            guard case .optional(let o) = a[0] else { throw noOverload("value", a) }
            guard let o else { throw CELEvalError(.invalidArgument, "optional.none() dereference") }
            return o
        }
        def("orValue", m("optional(A), A -> A")) { _, a throws(CELEvalError) in
            guard case .optional(let o) = a[0] else { throw noOverload("orValue", a) }
            return o ?? a[1]
        }
        def("or", m("optional(A), optional(A) -> optional(A)")) { _, a throws(CELEvalError) in
            guard case .optional(let o) = a[0] else { throw noOverload("or", a) }
            if o != nil { return a[0] }
            guard case .optional = a[1] else { throw noOverload("or", a) }
            return a[1]
        }
    }

    // MARK: - Quantity (Kubernetes)

    static func defineQuantity(_ def: Define) {
        def("quantity", g("string -> quantity")) { _, a throws(CELEvalError) in
            let s = try string(a[0], "quantity", a)
            guard let q = CELQuantity(parsing: s) else {
                throw CELEvalError(
                    .invalidArgument,
                    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
            }
            return .quantity(q)
        }
        def("isQuantity", g("string -> bool")) { _, a throws(CELEvalError) in
            .bool(CELQuantity(parsing: try string(a[0], "isQuantity", a)) != nil)
        }
        @Sendable func q(_ v: CELValue, _ name: String, _ a: [CELValue]) throws(CELEvalError) -> CELQuantity {
            guard case .quantity(let x) = v else { throw noOverload(name, a) }
            return x
        }
        def("isInteger", m("quantity -> bool")) { _, a throws(CELEvalError) in
            .bool(try q(a[0], "isInteger", a).asInt64 != nil)
        }
        def("asInteger", m("quantity -> int")) { _, a throws(CELEvalError) in
            guard let i = try q(a[0], "asInteger", a).asInt64 else {
                throw CELEvalError(.overflow, "cannot convert value to integer")
            }
            return .int(i)
        }
        def("asApproximateFloat", m("quantity -> double")) { _, a throws(CELEvalError) in
            .double(try q(a[0], "asApproximateFloat", a).approximateDouble)
        }
        def("sign", m("quantity -> int")) { _, a throws(CELEvalError) in .int(try q(a[0], "sign", a).sign) }
        def("isGreaterThan", m("quantity, quantity -> bool")) { _, a throws(CELEvalError) in
            .bool(try q(a[0], "isGreaterThan", a).compare(try q(a[1], "isGreaterThan", a)) > 0)
        }
        def("isLessThan", m("quantity, quantity -> bool")) { _, a throws(CELEvalError) in
            .bool(try q(a[0], "isLessThan", a).compare(try q(a[1], "isLessThan", a)) < 0)
        }
        def("compareTo", m("quantity, quantity -> int")) { _, a throws(CELEvalError) in
            .int(Int64(try q(a[0], "compareTo", a).compare(try q(a[1], "compareTo", a))))
        }
        for (name, sign) in [("add", Decimal(1)), ("sub", Decimal(-1))] {
            def(name, m("quantity, quantity -> quantity", "quantity, int -> quantity")) { _, a throws(CELEvalError) in
                let x = try q(a[0], name, a)
                let y: Decimal
                switch a[1] {
                case .quantity(let o): y = o.value
                case .int(let i): y = Decimal(i)
                default: throw noOverload(name, a)
                }
                return .quantity(CELQuantity(value: x.value + sign * y))
            }
        }
    }
}

// MARK: - IP and CIDR (Kubernetes 1.30+)

extension Library {
    static func defineNetwork(_ def: Define) {
        @Sendable func ipArg(_ v: CELValue, _ name: String, _ a: [CELValue]) throws(CELEvalError) -> CELIPAddress {
            switch v {
            case .ip(let ip): return ip
            case .string(let s):
                guard let ip = CELIPAddress(parsing: s) else {
                    throw CELEvalError(.invalidArgument, "IP Address '\(s)' parse error during conversion from string")
                }
                return ip
            default: throw noOverload(name, a)
            }
        }
        @Sendable func cidrArg(_ v: CELValue, _ name: String, _ a: [CELValue]) throws(CELEvalError) -> CELCIDR {
            switch v {
            case .cidr(let c): return c
            case .string(let s):
                guard let c = CELCIDR(parsing: s) else {
                    throw CELEvalError(
                        .invalidArgument, "network address '\(s)' parse error during conversion from string")
                }
                return c
            default: throw noOverload(name, a)
            }
        }
        def("ip", g("string -> ip") + m("cidr -> ip")) { _, a throws(CELEvalError) in
            if case .cidr(let c) = a[0] { return .ip(c.address) }
            return .ip(try ipArg(a[0], "ip", a))
        }
        def("isIP", g("string -> bool")) { _, a throws(CELEvalError) in
            guard case .string(let s) = a[0] else { throw noOverload("isIP", a) }
            return .bool(CELIPAddress(parsing: s) != nil)
        }
        def("ip.isCanonical", g("string -> bool")) { _, a throws(CELEvalError) in
            guard case .string(let s) = a[0] else { throw noOverload("ip.isCanonical", a) }
            return .bool(try ipArg(a[0], "ip.isCanonical", a).text == s)
        }
        def("family", m("ip -> int")) { _, a throws(CELEvalError) in .int(Int64(try ipArg(a[0], "family", a).family)) }
        let predicates: [(String, @Sendable (CELIPAddress) -> Bool)] = [
            ("isUnspecified", { $0.isUnspecified }), ("isLoopback", { $0.isLoopback }),
            ("isLinkLocalMulticast", { $0.isLinkLocalMulticast }), ("isLinkLocalUnicast", { $0.isLinkLocalUnicast }),
            ("isGlobalUnicast", { $0.isGlobalUnicast }),
        ]
        for (name, test) in predicates {
            def(name, m("ip -> bool")) { _, a throws(CELEvalError) in
                guard case .ip(let ip) = a[0] else { throw noOverload(name, a) }
                return .bool(test(ip))
            }
        }
        def("cidr", g("string -> cidr")) { _, a throws(CELEvalError) in .cidr(try cidrArg(a[0], "cidr", a)) }
        def("isCIDR", g("string -> bool")) { _, a throws(CELEvalError) in
            guard case .string(let s) = a[0] else { throw noOverload("isCIDR", a) }
            return .bool(CELCIDR(parsing: s) != nil)
        }
        def("containsIP", m("cidr, ip -> bool", "cidr, string -> bool")) { _, a throws(CELEvalError) in
            .bool(try cidrArg(a[0], "containsIP", a).contains(try ipArg(a[1], "containsIP", a)))
        }
        def("containsCIDR", m("cidr, cidr -> bool", "cidr, string -> bool")) { _, a throws(CELEvalError) in
            .bool(try cidrArg(a[0], "containsCIDR", a).contains(try cidrArg(a[1], "containsCIDR", a)))
        }
        def("masked", m("cidr -> cidr")) { _, a throws(CELEvalError) in .cidr(try cidrArg(a[0], "masked", a).masked) }
        def("prefixLength", m("cidr -> int")) { _, a throws(CELEvalError) in
            .int(Int64(try cidrArg(a[0], "prefixLength", a).prefixLength))
        }
    }
}

// MARK: - URL (Kubernetes)

extension Library {
    static func defineURL(_ def: Define) {
        def("url", g("string -> url")) { _, a throws(CELEvalError) in
            guard case .string(let s) = a[0] else { throw noOverload("url", a) }
            guard let u = CELURL(parsing: s) else { throw CELEvalError(.invalidArgument, "URL parse error: '\(s)'") }
            return .url(u)
        }
        def("isURL", g("string -> bool")) { _, a throws(CELEvalError) in
            guard case .string(let s) = a[0] else { throw noOverload("isURL", a) }
            return .bool(CELURL(parsing: s) != nil)
        }
        let getters: [(String, @Sendable (CELURL) -> String)] = [
            ("getScheme", { $0.scheme }), ("getHost", { $0.host }), ("getHostname", { $0.hostname }),
            ("getPort", { $0.port }), ("getEscapedPath", { $0.escapedPath }),
        ]
        for (name, get) in getters {
            def(name, m("url -> string")) { _, a throws(CELEvalError) in
                guard case .url(let u) = a[0] else { throw noOverload(name, a) }
                return .string(get(u))
            }
        }
        def("getQuery", m("url -> map(string, list(string))")) { _, a throws(CELEvalError) in
            guard case .url(let u) = a[0] else { throw noOverload("getQuery", a) }
            return .map(u.query)
        }
    }
}
