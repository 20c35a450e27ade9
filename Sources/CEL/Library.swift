import Foundation

/// One overload as the checker sees it: receiver-style or global, parameter types, result type.
struct Overload: Sendable {
    var member: Bool
    var params: [CELType]
    var result: CELType
}

/// A function's runtime: the arguments (receiver first) after dynamic dispatch on their values.
typealias FunctionImpl = @Sendable (inout Meter, [CELValue]) throws(CELEvalError) -> CELValue

struct FunctionDef: Sendable {
    var name: String
    var overloads: [Overload]
    var impl: FunctionImpl
}

/// The functions of the environment: CEL's standard definitions, the strings extension, optionals, sets and the
/// Kubernetes libraries (lists, regex, quantity).
enum Library {
    /// `"string, string -> bool"`: parameter types (receiver first for members), then the result.
    static func sig(_ text: String, member: Bool) -> Overload {
        let parts = text.components(separatedBy: "->")
        let params = splitTopLevel(Substring(parts[0])).map { CELType.parse($0) }
        return Overload(member: member, params: params, result: CELType.parse(Substring(parts[1])))
    }

    static func m(_ sigs: String...) -> [Overload] { sigs.map { sig($0, member: true) } }
    static func g(_ sigs: String...) -> [Overload] { sigs.map { sig($0, member: false) } }

    static func noOverload(_ name: String, _ args: [CELValue]) -> CELEvalError {
        CELEvalError(.noMatchingOverload, "no such overload: \(name)(\(args.map(\.typeName).joined(separator: ", ")))")
    }

    static let functions: [String: FunctionDef] = {
        var table: [String: FunctionDef] = [:]
        func def(_ name: String, _ overloads: [Overload], _ impl: @escaping FunctionImpl) {
            precondition(table[name] == nil, "\(name) defined twice")
            table[name] = FunctionDef(name: name, overloads: overloads, impl: impl)
        }
        defineOperators(def)
        defineConversions(def)
        defineTime(def)
        defineStrings(def)
        defineLists(def)
        defineOptionals(def)
        defineQuantity(def)
        defineNetwork(def)
        defineURL(def)
        return table
    }()

    typealias Define = (String, [Overload], @escaping FunctionImpl) -> Void

    // MARK: - Operators

    private static func defineOperators(_ def: Define) {
        let numeric = ["int", "uint", "double"]
        var ordering: [String] = []
        for a in numeric { for b in numeric { ordering.append("\(a), \(b) -> bool") } }
        ordering += [
            "string, string -> bool", "bytes, bytes -> bool", "bool, bool -> bool",
            "duration, duration -> bool", "timestamp, timestamp -> bool",
        ]
        let orderingOverloads = ordering.map { sig($0, member: false) }
        def("_<_", orderingOverloads) { _, a throws(CELEvalError) in try Operators.relation(.less, a[0], a[1]) }
        def("_<=_", orderingOverloads) { _, a throws(CELEvalError) in
            try Operators.relation(.lessOrEqual, a[0], a[1])
        }
        def("_>_", orderingOverloads) { _, a throws(CELEvalError) in try Operators.relation(.greater, a[0], a[1]) }
        def("_>=_", orderingOverloads) { _, a throws(CELEvalError) in
            try Operators.relation(.greaterOrEqual, a[0], a[1])
        }
        def(
            "_+_",
            g(
                "int, int -> int", "uint, uint -> uint", "double, double -> double", "string, string -> string",
                "bytes, bytes -> bytes", "list(A), list(A) -> list(A)", "duration, duration -> duration",
                "timestamp, duration -> timestamp", "duration, timestamp -> timestamp")
        ) { meter, a throws(CELEvalError) in try Operators.add(a[0], a[1], &meter) }
        def(
            "_-_",
            g(
                "int, int -> int", "uint, uint -> uint", "double, double -> double", "duration, duration -> duration",
                "timestamp, timestamp -> duration", "timestamp, duration -> timestamp")
        ) { _, a throws(CELEvalError) in try Operators.subtract(a[0], a[1]) }
        def("_*_", g("int, int -> int", "uint, uint -> uint", "double, double -> double")) {
            _, a throws(CELEvalError) in try Operators.multiply(a[0], a[1])
        }
        def("_/_", g("int, int -> int", "uint, uint -> uint", "double, double -> double")) {
            _, a throws(CELEvalError) in try Operators.divide(a[0], a[1])
        }
        def("_%_", g("int, int -> int", "uint, uint -> uint")) { _, a throws(CELEvalError) in
            try Operators.modulo(a[0], a[1])
        }
        def("-_", g("int -> int", "double -> double", "duration -> duration")) { _, a throws(CELEvalError) in
            try Operators.negate(a[0])
        }
        def("!_", g("bool -> bool")) { _, a throws(CELEvalError) in try Operators.not(a[0]) }
        def("@in", g("A, list(A) -> bool", "K, map(K, V) -> bool")) { meter, a throws(CELEvalError) in
            try Operators.contains(a[1], a[0], &meter)
        }
        def(
            "size",
            g("string -> int", "bytes -> int", "list(A) -> int", "map(K, V) -> int")
                + m("string -> int", "bytes -> int", "list(A) -> int", "map(K, V) -> int")
        ) { _, a throws(CELEvalError) in
            switch a[0] {
            case .string(let s): return .int(Int64(s.unicodeScalars.count))
            case .bytes(let b): return .int(Int64(b.count))
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            default: throw noOverload("size", a)
            }
        }
    }

    // MARK: - Conversions

    private static func defineConversions(_ def: Define) {
        def(
            "int",
            g(
                "int -> int", "uint -> int", "double -> int", "string -> int", "timestamp -> int",
                "duration -> int")
        ) { _, a throws(CELEvalError) in
            switch a[0] {
            case .int: return a[0]
            case .uint(let u):
                guard u <= UInt64(Int64.max) else { throw CELEvalError(.overflow, "int() range error: \(u)") }
                return .int(Int64(u))
            case .double(let d):
                guard d.isFinite, d > -9.223_372_036_854_775_808e18, d < 9.223_372_036_854_775_807e18 else {
                    throw CELEvalError(.overflow, "int() range error: \(display(.double(d)))")
                }
                return .int(Int64(d.rounded(.towardZero)))
            case .string(let s):
                guard let i = Int64(s) else { throw CELEvalError(.invalidArgument, "cannot convert '\(s)' to int") }
                return .int(i)
            case .timestamp(let t): return .int(t.seconds)
            case .duration(let d): return .int(d.nanoseconds)
            default: throw noOverload("int", a)
            }
        }
        def("uint", g("int -> uint", "uint -> uint", "double -> uint", "string -> uint")) {
            _, a throws(CELEvalError) in
            switch a[0] {
            case .uint: return a[0]
            case .int(let i):
                guard i >= 0 else { throw CELEvalError(.overflow, "uint() range error: \(i)") }
                return .uint(UInt64(i))
            case .double(let d):
                guard d.isFinite, d >= 0, d < 1.844_674_407_370_955_2e19 else {
                    throw CELEvalError(.overflow, "uint() range error: \(display(.double(d)))")
                }
                return .uint(UInt64(d.rounded(.towardZero)))
            case .string(let s):
                guard let u = UInt64(s) else { throw CELEvalError(.invalidArgument, "cannot convert '\(s)' to uint") }
                return .uint(u)
            default: throw noOverload("uint", a)
            }
        }
        def("double", g("int -> double", "uint -> double", "double -> double", "string -> double")) {
            _, a throws(CELEvalError) in
            switch a[0] {
            case .double: return a[0]
            case .int(let i): return .double(Double(i))
            case .uint(let u): return .double(Double(u))
            case .string(let s):
                guard let d = parseDouble(s) else {
                    throw CELEvalError(.invalidArgument, "cannot convert '\(s)' to double")
                }
                return .double(d)
            default: throw noOverload("double", a)
            }
        }
        def(
            "string",
            g(
                "int -> string", "uint -> string", "double -> string", "string -> string",
                "bytes -> string", "bool -> string", "timestamp -> string", "duration -> string",
                "ip -> string", "cidr -> string", "url -> string")
        ) {
            _, a throws(CELEvalError) in
            switch a[0] {
            case .string: return a[0]
            case .int, .uint, .double, .bool, .timestamp, .duration, .ip, .cidr, .url:
                return .string(display(a[0]))
            case .bytes(let b):
                guard let s = String(validating: b, as: UTF8.self) else {
                    throw CELEvalError(.invalidArgument, "invalid UTF-8 in bytes, cannot convert to string")
                }
                return .string(s)
            default: throw noOverload("string", a)
            }
        }
        def("bytes", g("bytes -> bytes", "string -> bytes")) { _, a throws(CELEvalError) in
            switch a[0] {
            case .bytes: return a[0]
            case .string(let s): return .bytes(Array(s.utf8))
            default: throw noOverload("bytes", a)
            }
        }
        def("bool", g("bool -> bool", "string -> bool")) { _, a throws(CELEvalError) in
            switch a[0] {
            case .bool: return a[0]
            case .string(let s):
                switch s {
                case "1", "t", "T", "true", "TRUE", "True": return .bool(true)
                case "0", "f", "F", "false", "FALSE", "False": return .bool(false)
                default: throw CELEvalError(.invalidArgument, "cannot convert '\(s)' to bool")
                }
            default: throw noOverload("bool", a)
            }
        }
        def("dyn", g("A -> dyn")) { _, a throws(CELEvalError) in a[0] }
        def("type", g("A -> type(A)")) { _, a throws(CELEvalError) in .type(a[0].typeName) }
    }

    // MARK: - Time

    private static func defineTime(_ def: Define) {
        def("duration", g("string -> duration", "duration -> duration")) { _, a throws(CELEvalError) in
            switch a[0] {
            case .duration: return a[0]
            case .string(let s): return .duration(try CELDuration.parse(s))
            default: throw noOverload("duration", a)
            }
        }
        def("timestamp", g("string -> timestamp", "int -> timestamp", "timestamp -> timestamp")) {
            _, a throws(CELEvalError) in
            switch a[0] {
            case .timestamp: return a[0]
            case .string(let s): return .timestamp(try CELTimestamp.parse(s))
            case .int(let i): return .timestamp(try CELTimestamp.checked(seconds: i, nanos: 0))
            default: throw noOverload("timestamp", a)
            }
        }
        let timestampGetters: [(String, @Sendable (TimeFields) -> Int)] = [
            ("getFullYear", { $0.year }), ("getMonth", { $0.month - 1 }), ("getDate", { $0.day }),
            ("getDayOfMonth", { $0.day - 1 }), ("getDayOfWeek", { $0.dayOfWeek }),
            ("getDayOfYear", { $0.dayOfYear }),
        ]
        for (name, get) in timestampGetters {
            def(name, m("timestamp -> int", "timestamp, string -> int")) { _, a throws(CELEvalError) in
                guard case .timestamp(let t) = a[0] else { throw noOverload(name, a) }
                var zone: String? = nil
                if a.count > 1 {
                    guard case .string(let z) = a[1] else { throw noOverload(name, a) }
                    zone = z
                }
                return .int(Int64(get(try t.fields(in: zone))))
            }
        }
        let mixedGetters: [(String, @Sendable (TimeFields) -> Int, Int64)] = [
            ("getHours", { $0.hour }, 3_600_000_000_000), ("getMinutes", { $0.minute }, 60_000_000_000),
            ("getSeconds", { $0.second }, 1_000_000_000), ("getMilliseconds", { $0.millisecond }, 1_000_000),
        ]
        for (name, get, unit) in mixedGetters {
            def(name, m("timestamp -> int", "timestamp, string -> int", "duration -> int")) {
                _, a throws(CELEvalError) in
                switch a[0] {
                case .duration(let d): return .int(d.nanoseconds / unit)
                case .timestamp(let t):
                    var zone: String? = nil
                    if a.count > 1 {
                        guard case .string(let z) = a[1] else { throw noOverload(name, a) }
                        zone = z
                    }
                    return .int(Int64(get(try t.fields(in: zone))))
                default: throw noOverload(name, a)
                }
            }
        }
    }

    // MARK: - Display

    /// A value as `string()` and `%s` print it.
    static func display(_ v: CELValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return formatDouble(d)
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .list(let items): return "[" + items.map(displayQuoted).joined(separator: ", ") + "]"
        case .map(let m):
            return "{"
                + m.entries.map { "\(displayQuoted($0.key)): \(displayQuoted($0.value))" }
                .joined(separator: ", ") + "}"
        case .type(let t): return t
        case .duration(let d): return d.text
        case .timestamp(let t): return t.text
        case .optional(let o): return o.map { "optional(\(displayQuoted($0)))" } ?? "optional.none()"
        case .quantity(let q): return "\(q.value)"
        case .ip(let ip): return ip.text
        case .cidr(let c): return c.text
        case .url(let u): return u.text
        case .host(let map): return display(map.materialized)
        }
    }

    static func displayQuoted(_ v: CELValue) -> String {
        if case .string(let s) = v { return quote(s) }
        return display(v)
    }

    /// Go's `%g` with the shortest round-trip digits, as cel-go prints doubles: `1.5`, `1e+06`, `1e-05`.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        // Swift prints the shortest round-trip digits; re-lay them out Go's way.
        var text = "\(d.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var digits = text.replacingOccurrences(of: ".", with: "")
        var pointAt = text.firstIndex(of: ".").map { text.distance(from: text.startIndex, to: $0) } ?? text.count
        pointAt += exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointAt -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let exp = pointAt - 1
        let sign = d < 0 ? "-" : ""
        if exp < -4 || exp >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = abs(exp) < 10 ? "0\(abs(exp))" : "\(abs(exp))"
            return "\(sign)\(mantissa)e\(exp < 0 ? "-" : "+")\(e)"
        }
        if pointAt <= 0 { return sign + "0." + String(repeating: "0", count: -pointAt) + digits }
        if pointAt >= digits.count { return sign + digits + String(repeating: "0", count: pointAt - digits.count) }
        let i = digits.index(digits.startIndex, offsetBy: pointAt)
        return sign + digits[..<i] + "." + digits[i...]
    }

    static func parseDouble(_ s: String) -> Double? {
        switch s {
        case "Inf", "+Inf", "inf", "+inf", "Infinity", "infinity": return .infinity
        case "-Inf", "-inf", "-Infinity", "-infinity": return -.infinity
        case "NaN", "nan": return .nan
        default:
            guard !s.isEmpty, s.unicodeScalars.allSatisfy({ $0.isASCII && !$0.properties.isWhitespace }) else {
                return nil
            }
            return Double(s)
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
