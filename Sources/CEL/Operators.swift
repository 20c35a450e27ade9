/// The runtime of CEL's operators (langdef "Standard Definitions"): checked integer arithmetic, heterogeneous
/// comparison, indexing and membership.
enum Operators {
    static func noOverload(_ name: String, _ args: CELValue...) -> CELEvalError {
        CELEvalError(
            .noMatchingOverload,
            "no such overload: \(name)(\(args.map(\.typeName).joined(separator: ", ")))")
    }

    static func overflow(_ op: String) -> CELEvalError { CELEvalError(.overflow, "\(op): integer overflow") }

    static func add(_ a: CELValue, _ b: CELValue, _ meter: inout Meter) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow("addition") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow("addition") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)):
            try meter.chargeSize(x.utf8.count + y.utf8.count)
            return .string(x + y)
        case (.bytes(let x), .bytes(let y)):
            try meter.chargeSize(x.count + y.count)
            return .bytes(x + y)
        case (.list(let x), .list(let y)):
            try meter.chargeSize(x.count + y.count)
            return .list(x + y)
        case (.duration(let x), .duration(let y)):
            let (r, o) = x.nanoseconds.addingReportingOverflow(y.nanoseconds)
            if o { throw overflow("duration addition") }
            return .duration(CELDuration(nanoseconds: r))
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)):
            return .timestamp(try shift(t, by: d.nanoseconds))
        default: throw noOverload("_+_", a, b)
        }
    }

    static func shift(_ t: CELTimestamp, by nanos: Int64) throws(CELEvalError) -> CELTimestamp {
        let (ds, dn) = nanos.floorDivMod(1_000_000_000)
        var seconds = t.seconds + ds
        var n = Int64(t.nanos) + dn
        if n >= 1_000_000_000 {
            n -= 1_000_000_000
            seconds += 1
        }
        return try CELTimestamp.checked(seconds: seconds, nanos: Int32(n))
    }

    static func subtract(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow("subtraction") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow("subtraction") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.duration(let x), .duration(let y)):
            let (r, o) = x.nanoseconds.subtractingReportingOverflow(y.nanoseconds)
            if o { throw overflow("duration subtraction") }
            return .duration(CELDuration(nanoseconds: r))
        case (.timestamp(let t), .duration(let d)):
            if d.nanoseconds == Int64.min { throw overflow("timestamp subtraction") }
            return .timestamp(try shift(t, by: -d.nanoseconds))
        case (.timestamp(let x), .timestamp(let y)):
            let seconds = x.seconds - y.seconds
            let nanos = Int64(x.nanos) - Int64(y.nanos)
            let (s, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            let (r, o2) = s.addingReportingOverflow(nanos)
            if o1 || o2 { throw overflow("timestamp subtraction") }
            return .duration(CELDuration(nanoseconds: r))
        default: throw noOverload("_-_", a, b)
        }
    }

    static func multiply(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow("multiplication") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow("multiplication") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x * y)
        default: throw noOverload("_*_", a, b)
        }
    }

    static func divide(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { throw CELEvalError(.divisionByZero, "division by zero") }
            let (r, o) = x.dividedReportingOverflow(by: y)
            if o { throw overflow("division") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { throw CELEvalError(.divisionByZero, "division by zero") }
            return .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: throw noOverload("_/_", a, b)
        }
    }

    static func modulo(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { throw CELEvalError(.moduloByZero, "modulus by zero") }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            if o { throw overflow("modulus") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { throw CELEvalError(.moduloByZero, "modulus by zero") }
            return .uint(x % y)
        default: throw noOverload("_%_", a, b)
        }
    }

    static func negate(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .int(let x):
            if x == Int64.min { throw overflow("negation") }
            return .int(-x)
        case .double(let x): return .double(-x)
        case .duration(let d):
            if d.nanoseconds == Int64.min { throw overflow("negation") }
            return .duration(CELDuration(nanoseconds: -d.nanoseconds))
        default: throw noOverload("-_", a)
        }
    }

    static func not(_ a: CELValue) throws(CELEvalError) -> CELValue {
        guard case .bool(let b) = a else { throw noOverload("!_", a) }
        return .bool(!b)
    }

    enum Relation { case less, lessOrEqual, greater, greaterOrEqual }

    static func relation(_ r: Relation, _ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        // NaN is unordered: every comparison with it is false.
        if case .double(let x) = a, x.isNaN, b.isNumber { return .bool(false) }
        if case .double(let y) = b, y.isNaN, a.isNumber { return .bool(false) }
        guard let c = a.compare(to: b), !(a.isQuantity) else {
            let name =
                switch r {
                case .less: "_<_"
                case .lessOrEqual: "_<=_"
                case .greater: "_>_"
                case .greaterOrEqual: "_>=_"
                }
            throw noOverload(name, a, b)
        }
        switch r {
        case .less: return .bool(c < 0)
        case .lessOrEqual: return .bool(c <= 0)
        case .greater: return .bool(c > 0)
        case .greaterOrEqual: return .bool(c >= 0)
        }
    }

    static func contains(_ container: CELValue, _ element: CELValue, _ meter: inout Meter) throws(CELEvalError)
        -> CELValue
    {
        switch container {
        case .list(let items):
            try meter.chargeSize(items.count)
            if element.isAggregateOrLong {
                for item in items {
                    try meter.chargeWalk(item)
                    if item == element { return .bool(true) }
                }
                return .bool(false)
            }
            return .bool(items.contains(element))
        case .map(let m): return .bool(m.position(of: element) != nil)
        default: throw noOverload("@in", element, container)
        }
    }

    /// `a[i]`: lists by int, uint or integral double; maps by key.
    static func index(_ a: CELValue, _ i: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .list(let items):
            let n: Int64
            switch i {
            case .int(let x): n = x
            case .uint(let x): n = x > UInt64(Int64.max) ? Int64.max : Int64(x)
            case .double(let d):
                guard let x = Int64(exactly: d) else {
                    throw CELEvalError(.invalidArgument, "unsupported index value \(d)")
                }
                n = x
            default: throw noOverload("_[_]", a, i)
            }
            guard n >= 0 && n < items.count else {
                throw CELEvalError(.indexOutOfRange, "index out of range: \(n) (size \(items.count))")
            }
            return items[Int(n)]
        case .map(let m):
            switch i {
            case .int, .uint, .double, .bool, .string: break
            default: throw CELEvalError(.invalidArgument, "unsupported key type: \(i.typeName)")
            }
            guard let v = m[i] else { throw CELEvalError(.noSuchKey, "no such key: \(i.keyText)") }
            return v
        default: throw noOverload("_[_]", a, i)
        }
    }

    /// `a[?i]`: `optional.none()` where `a[i]` would be out of range or missing.
    static func optionalIndex(_ a: CELValue, _ i: CELValue) throws(CELEvalError) -> CELValue {
        var target = a
        if case .optional(let inner) = a {
            guard let inner else { return .optional(nil) }
            target = inner
        }
        do {
            return .optional(try index(target, i))
        } catch {
            if error.kind == .noSuchKey || error.kind == .indexOutOfRange { return .optional(nil) }
            throw error
        }
    }

    /// `a.f`: a map's key; for `has(a.f)` whether it is there.
    static func select(_ a: CELValue, _ field: String) throws(CELEvalError) -> CELValue {
        guard case .map(let m) = a else {
            throw CELEvalError(.noSuchField, "type '\(a.typeName)' does not support field selection ('\(field)')")
        }
        guard let v = m[string: field] else { throw CELEvalError(.noSuchKey, "no such key: \(field)") }
        return v
    }

    static func has(_ a: CELValue, _ field: String) throws(CELEvalError) -> CELValue {
        switch a {
        case .map(let m): return .bool(m[string: field] != nil)
        case .optional(let inner):
            guard let inner else { return .bool(false) }
            return try has(inner, field)
        default:
            throw CELEvalError(.noSuchField, "type '\(a.typeName)' does not support field selection ('\(field)')")
        }
    }

    static func optionalSelect(_ a: CELValue, _ field: String) throws(CELEvalError) -> CELValue {
        switch a {
        case .optional(let inner):
            guard let inner else { return .optional(nil) }
            return try optionalSelect(inner, field)
        case .map(let m): return .optional(m[string: field])
        default:
            throw CELEvalError(.noSuchField, "type '\(a.typeName)' does not support field selection ('\(field)')")
        }
    }
}

extension CELValue {
    var isNumber: Bool {
        switch self {
        case .int, .uint, .double: true
        default: false
        }
    }

    /// Lists, maps and long strings: values whose comparison costs more than a step.
    var isAggregateOrLong: Bool {
        switch self {
        case .list, .map, .optional(.some): true
        case .string(let s): s.utf8.count > 100
        case .bytes(let b): b.count > 100
        default: false
        }
    }

    var isQuantity: Bool {
        if case .quantity = self { return true }
        return false
    }

    var keyText: String {
        switch self {
        case .string(let s): s
        default: Library.display(self)
        }
    }
}
