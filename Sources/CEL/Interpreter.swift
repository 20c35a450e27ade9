/// Walks a planned ``Node`` tree over one set of bindings, charging the meter as it goes.
struct Interpreter {
    var meter: Meter
    /// The bound values, then the comprehensions' slots: storage the caller owns for the evaluation.
    let slots: UnsafeMutableBufferPointer<CELValue?>

    @inline(__always)
    private static func absorbable(_ e: CELEvalError) -> Bool { e.kind != .costExceeded }

    /// The host map and fields of `node` when it selects from (or is) a variable bound to a ``CELHostMap``.
    private func hostPath(_ node: Node) -> (map: any CELHostMap, fields: [String])? {
        switch node {
        case .variable(let slot, _):
            if case .host(let map)? = slots[slot] { return (map, []) }
        case .selectPath(let slot, _, let fields):
            if case .host(let map)? = slots[slot] { return (map, fields) }
        default: break
        }
        return nil
    }

    /// `map.f.g` with the errors of selecting field by field.
    private static func select(_ map: any CELHostMap, _ fields: [String]) throws(CELEvalError) -> CELValue {
        switch map.select(fields[...]) {
        case .value(let value): return value
        case .missing(let index): throw CELEvalError(.noSuchKey, "no such key: \(fields[index])")
        case .notAMap(let index, let typeName):
            throw CELEvalError(.noSuchField, "type '\(typeName)' does not support field selection ('\(fields[index])')")
        }
    }

    /// `has(map.f.g)`: false when only the last field is missing; a missing field before it is an error, as it is
    /// when evaluating the operand `map.f`.
    private static func has(_ map: any CELHostMap, _ fields: [String]) throws(CELEvalError) -> CELValue {
        switch map.select(fields[...]) {
        case .value: return .bool(true)
        case .missing(let index) where index == fields.count - 1: return .bool(false)
        case .missing(let index): throw CELEvalError(.noSuchKey, "no such key: \(fields[index])")
        case .notAMap(let index, let typeName):
            throw CELEvalError(.noSuchField, "type '\(typeName)' does not support field selection ('\(fields[index])')")
        }
    }

    mutating func eval(_ node: Node) throws(CELEvalError) -> CELValue {
        switch node {
        case .constant(let v):
            return v
        case .variable(let slot, let name):
            guard let v = slots[slot] else {
                throw CELEvalError(.unboundVariable, "no such attribute: '\(name)' is not bound")
            }
            if case .host(let map) = v { return map.materialized }
            return v
        case .select(let operand, let field):
            try meter.charge(1)
            return try Operators.select(try eval(operand), field)
        case .selectPath(let slot, let name, let fields):
            // Charged as the nested selections it stands for: every selection before the variable is read.
            try meter.charge(Int64(fields.count))
            guard var value = slots[slot] else {
                throw CELEvalError(.unboundVariable, "no such attribute: '\(name)' is not bound")
            }
            if case .host(let map) = value { return try Self.select(map, fields) }
            for field in fields { value = try Operators.select(value, field) }
            return value
        case .has(let operand, let field):
            try meter.charge(1)
            if let host = hostPath(operand) {
                try meter.charge(Int64(host.fields.count))
                return try Self.has(host.map, host.fields + [field])
            }
            return try Operators.has(try eval(operand), field)
        case .optionalSelect(let operand, let field):
            try meter.charge(1)
            return try Operators.optionalSelect(try eval(operand), field)
        case .and(let l, let r):
            return try logical(l, r, isAnd: true)
        case .or(let l, let r):
            return try logical(l, r, isAnd: false)
        case .not(let operand):
            try meter.charge(1)
            return try Operators.not(try eval(operand))
        case .negate(let operand):
            try meter.charge(1)
            return try Operators.negate(try eval(operand))
        case .conditional(let c, let t, let e):
            let cv = try eval(c)
            guard case .bool(let b) = cv else { throw Operators.noOverload("_?_:_", cv) }
            return try eval(b ? t : e)
        case .binary(let op, let l, let r):
            try meter.charge(1)
            let a = try eval(l)
            let b = try eval(r)
            switch op {
            case .equal, .notEqual:
                if a.isAggregateOrLong { try meter.chargeWalk(a) }
                return .bool((a == b) == (op == .equal))
            case .less: return try Operators.relation(.less, a, b)
            case .lessOrEqual: return try Operators.relation(.lessOrEqual, a, b)
            case .greater: return try Operators.relation(.greater, a, b)
            case .greaterOrEqual: return try Operators.relation(.greaterOrEqual, a, b)
            case .add: return try Operators.add(a, b, &meter)
            case .subtract: return try Operators.subtract(a, b)
            case .multiply: return try Operators.multiply(a, b)
            case .divide: return try Operators.divide(a, b)
            case .modulo: return try Operators.modulo(a, b)
            case .contains: return try Operators.contains(b, a, &meter)
            }
        case .index(let c, let i):
            try meter.charge(1)
            return try Operators.index(try eval(c), try eval(i))
        case .optionalIndex(let c, let i):
            try meter.charge(1)
            return try Operators.optionalIndex(try eval(c), try eval(i))
        case .call(_, let impl, let args):
            try meter.charge(1)
            var values: [CELValue] = []
            values.reserveCapacity(args.count)
            for a in args { values.append(try eval(a)) }
            return try impl(&meter, values)
        case .regex(let op, let subject, let re, let limit):
            try meter.charge(1)
            let sv = try eval(subject)
            guard case .string(let s) = sv else { throw Operators.noOverload("\(op)", sv) }
            switch op {
            case .matches: return try Library.matches(re, s, &meter)
            case .find: return try Library.find(re, s, &meter)
            case .findAll:
                var n: Int64 = -1
                if let limit {
                    let lv = try eval(limit)
                    guard case .int(let i) = lv else { throw Operators.noOverload("findAll", sv, lv) }
                    n = i
                }
                return try Library.findAll(re, s, n, &meter)
            }
        case .list(let items, let optional):
            try meter.chargeSize(items.count)
            var out: [CELValue] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                let v = try eval(item)
                if let optional, optional[i] {
                    guard case .optional(let o) = v else { throw Operators.noOverload("optional element", v) }
                    if let o { out.append(o) }
                } else {
                    out.append(v)
                }
            }
            return .list(out)
        case .map(let entries):
            try meter.chargeSize(entries.count)
            var m = CELMap()
            m.reserveCapacity(entries.count)
            for entry in entries {
                let k = try eval(entry.key)
                switch k {
                case .int, .uint, .bool, .string: break
                default: throw CELEvalError(.invalidArgument, "unsupported map key type: \(k.typeName)")
                }
                var v = try eval(entry.value)
                if entry.optional {
                    guard case .optional(let o) = v else { throw Operators.noOverload("optional entry", v) }
                    guard let o else { continue }
                    v = o
                }
                if !m.set(k, v) { throw CELEvalError(.invalidArgument, "Failed with repeated key: \(k.keyText)") }
            }
            return .map(m)
        case .comprehension(let c):
            return try comprehension(c)
        }
    }

    /// `&&` and `||`, commutative with respect to errors (langdef "Logical Operators"): `false && error` is false,
    /// `error || true` is true; otherwise the first error stands.
    private mutating func logical(_ l: Node, _ r: Node, isAnd: Bool) throws(CELEvalError) -> CELValue {
        let decisive = !isAnd  // false decides &&, true decides ||
        var leftError: CELEvalError? = nil
        do {
            let lv = try eval(l)
            if case .bool(let b) = lv {
                if b == decisive { return lv }
            } else {
                leftError = Operators.noOverload(isAnd ? "_&&_" : "_||_", lv)
            }
        } catch {
            if !Self.absorbable(error) { throw error }
            leftError = error
        }
        let rv: CELValue
        do {
            rv = try eval(r)
        } catch {
            if !Self.absorbable(error) { throw error }
            throw leftError ?? error
        }
        guard case .bool(let b) = rv else {
            throw leftError ?? Operators.noOverload(isAnd ? "_&&_" : "_||_", rv)
        }
        if b == decisive { return rv }
        if let leftError { throw leftError }
        return rv
    }

    private mutating func predicate(_ n: Node) throws(CELEvalError) -> Bool {
        let v = try eval(n)
        guard case .bool(let b) = v else {
            throw CELEvalError(.noMatchingOverload, "predicate is not bool: \(v.typeName)")
        }
        return b
    }

    private mutating func comprehension(_ c: ComprehensionNode) throws(CELEvalError) -> CELValue {
        let range = try eval(c.range)
        if c.macro == .bind {
            slots[c.slot] = range
            defer { slots[c.slot] = nil }
            return try eval(c.body)
        }
        // The (index or key, element or value) pairs, in order.
        let count: Int
        let list: [CELValue]?
        let map: CELMap?
        switch range {
        case .list(let items):
            count = items.count
            list = items
            map = nil
        case .map(let m):
            count = m.count
            list = nil
            map = m
        default:
            throw CELEvalError(.noMatchingOverload, "expression of type '\(range.typeName)' cannot be iterated")
        }
        defer {
            slots[c.slot] = nil
            if let s2 = c.slot2 { slots[s2] = nil }
        }
        var firstError: CELEvalError? = nil
        var hits = 0
        var outList: [CELValue] = []
        var outMap = CELMap()
        for i in 0..<count {
            try meter.charge(1)
            let key: CELValue
            let element: CELValue
            if let list {
                key = .int(Int64(i))
                element = list[i]
            } else {
                key = map!.entries[i].key
                element = map!.entries[i].value
            }
            if let s2 = c.slot2 {
                slots[s2] = key
                slots[c.slot] = element
            } else {
                slots[c.slot] = list != nil ? element : key
            }
            switch c.macro {
            case .all, .exists:
                // Errors are absorbed when a later element decides the result (langdef "Macros").
                let decisive = c.macro == .exists
                do {
                    if try predicate(c.body) == decisive { return .bool(decisive) }
                } catch {
                    if !Self.absorbable(error) { throw error }
                    if firstError == nil { firstError = error }
                }
            case .existsOne:
                if try predicate(c.body) { hits += 1 }
            case .filter:
                if try predicate(c.body) { outList.append(slots[c.slot]!) }
            case .map, .transformList:
                if let f = c.filter, try !predicate(f) { continue }
                outList.append(try eval(c.body))
            case .transformMap:
                if let f = c.filter, try !predicate(f) { continue }
                outMap.set(key, try eval(c.body))
            case .bind:
                break
            }
        }
        switch c.macro {
        case .all, .exists:
            if let firstError { throw firstError }
            return .bool(c.macro == .all)
        case .existsOne: return .bool(hits == 1)
        case .filter, .map, .transformList:
            try meter.chargeSize(outList.count)
            return .list(outList)
        case .transformMap: return .map(outMap)
        case .bind: return .null
        }
    }
}
