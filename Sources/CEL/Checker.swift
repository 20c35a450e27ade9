/// Type-checks a parsed expression against the declared variables and plans its evaluation in the same walk.
///
/// Errors do not stop the walk: an ill-typed sub-expression gets type `dyn` so that one mistake gives one error.
struct Checker {
    struct Binding {
        var type: CELType
        var slot: Int
    }

    private let variables: [String: Binding]
    private var scopes: [[String: Binding]] = []
    private(set) var slotCount: Int
    private(set) var errors: [CELCompileError] = []
    private let lines: LineMap

    /// Type names usable as values (`type(x) == int`).
    static let typeNames: [String: CELType] = [
        "int": .int, "uint": .uint, "double": .double, "bool": .bool, "string": .string, "bytes": .bytes,
        "list": .list(.dyn), "map": .map(.dyn, .dyn), "null_type": .null, "type": .type(.dyn),
        "google.protobuf.Duration": .duration, "google.protobuf.Timestamp": .timestamp,
        "optional_type": .optional(.dyn), "dyn": .dyn, "net.IP": .ip, "net.IPNet": .cidr,
        "kubernetes.URL": .url,
    ]

    init(variables: [String: Binding], lines: LineMap) {
        self.variables = variables
        self.slotCount = variables.count
        self.lines = lines
    }

    private mutating func error(_ offset: Int, _ message: String, kind: CELCompileError.Kind = .type) {
        errors.append(CELCompileError(kind: kind, position: lines.position(offset), message: message))
    }

    private func lookup(_ name: String) -> Binding? {
        for scope in scopes.reversed() { if let b = scope[name] { return b } }
        return variables[name]
    }

    /// `a.b.c` as a dotted name when it is only identifiers and plain selections.
    private func qualifiedName(_ e: Expr) -> String? {
        switch e.kind {
        case .ident(let n): return n
        case .select(let operand, let field, false, false): return qualifiedName(operand).map { "\($0).\(field)" }
        default: return nil
        }
    }

    private func rootIsVariable(_ e: Expr) -> Bool {
        switch e.kind {
        case .ident(let n): return lookup(n) != nil
        case .select(let operand, _, _, _): return rootIsVariable(operand)
        default: return true
        }
    }

    // MARK: - Expressions

    mutating func check(_ e: Expr) -> (CELType, Node) {
        switch e.kind {
        case .literal(let v):
            return (Self.literalType(v), .constant(v))
        case .ident(let name):
            if let b = lookup(name) { return (b.type, .variable(slot: b.slot, name: name)) }
            if let t = Self.typeNames[name] { return (.type(t), .constant(.type(Self.runtimeTypeName(t, name)))) }
            error(e.offset, "undeclared reference to '\(name)'")
            return (.dyn, .constant(.null))
        case .select(let operand, let field, let testOnly, let optional):
            if !testOnly && !optional, !rootIsVariable(operand), let q = qualifiedName(e) {
                if let b = variables[q] { return (b.type, .variable(slot: b.slot, name: q)) }
                if let t = Self.typeNames[q] { return (.type(t), .constant(.type(q))) }
            }
            let (ot, on) = check(operand)
            let ft = fieldType(ot, field, at: e.offset)
            if testOnly { return (.bool, .has(on, field)) }
            if optional { return (.optional(Self.unwrapOptional(ft)), .optionalSelect(on, field)) }
            if case .optional = ot { return (.optional(Self.unwrapOptional(ft)), .optionalSelect(on, field)) }
            switch on {
            case .variable(let slot, let name): return (ft, .selectPath(slot: slot, name: name, fields: [field]))
            case .selectPath(let slot, let name, let fields): return (ft, .selectPath(slot: slot, name: name, fields: fields + [field]))
            default: return (ft, .select(on, field))
            }
        case .list(let items, let optional):
            var types: [CELType] = []
            var nodes: [Node] = []
            for (i, item) in items.enumerated() {
                var (t, n) = check(item)
                if optional.contains(i) {
                    if case .optional(let inner) = t {
                        t = inner
                    } else if t != .dyn {
                        error(item.offset, "optional list element must be optional, found '\(t)'")
                    }
                }
                types.append(t)
                nodes.append(n)
            }
            let flags = optional.isEmpty ? nil : items.indices.map { optional.contains($0) }
            return (.list(Self.join(types)), .list(nodes, optional: flags))
        case .map(let entries):
            var keyTypes: [CELType] = []
            var valueTypes: [CELType] = []
            var nodes: [MapEntryNode] = []
            for entry in entries {
                let (kt, kn) = check(entry.key)
                var (vt, vn) = check(entry.value)
                switch kt {
                case .int, .uint, .bool, .string, .dyn: break
                default: error(entry.key.offset, "unsupported map key type '\(kt)'")
                }
                if entry.optional {
                    if case .optional(let inner) = vt {
                        vt = inner
                    } else if vt != .dyn {
                        error(entry.value.offset, "optional map entry value must be optional, found '\(vt)'")
                    }
                }
                keyTypes.append(kt)
                valueTypes.append(vt)
                nodes.append(MapEntryNode(key: kn, value: vn, optional: entry.optional))
            }
            return (.map(Self.join(keyTypes), Self.join(valueTypes)), .map(nodes))
        case .comprehension(let c):
            return checkComprehension(c, at: e.offset)
        case .call(let target, let function, let args):
            return checkCall(target, function, args, at: e.offset)
        }
    }

    static func literalType(_ v: CELValue) -> CELType {
        switch v {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .uint: .uint
        case .double: .double
        case .string: .string
        case .bytes: .bytes
        default: .dyn
        }
    }

    static func runtimeTypeName(_ t: CELType, _ name: String) -> String {
        switch t {
        case .list: "list"
        case .map: "map"
        case .type: "type"
        case .optional: "optional_type"
        default: t.description
        }
    }

    static func unwrapOptional(_ t: CELType) -> CELType {
        if case .optional(let inner) = t { return inner }
        return t
    }

    /// The common type of list elements or map keys/values: one type, or `dyn` when they differ.
    static func join(_ types: [CELType]) -> CELType {
        var result: CELType? = nil
        for t in types {
            if case .null = t { continue }
            guard let r = result else {
                result = t
                continue
            }
            if r != t { return .dyn }
        }
        return result ?? (types.isEmpty ? .dyn : .null)
    }

    private mutating func fieldType(_ t: CELType, _ field: String, at offset: Int) -> CELType {
        switch t {
        case .dyn: return .dyn
        case .object(let o):
            if let ft = o.fields[field] { return ft }
            error(offset, "undefined field '\(field)' on type '\(o.name)'")
            return .dyn
        case .map(let k, let v):
            switch k {
            case .string, .dyn, .param: return v
            default:
                error(offset, "type '\(t)' does not support field selection")
                return .dyn
            }
        case .optional(let inner): return fieldType(inner, field, at: offset)
        default:
            error(offset, "type '\(t)' does not support field selection")
            return .dyn
        }
    }

    // MARK: - Comprehensions

    private mutating func checkComprehension(_ c: Expr.Comprehension, at offset: Int) -> (CELType, Node) {
        let (rt, rn) = check(c.range)
        var varType: CELType = .dyn
        var var2Type: CELType = .dyn
        if c.macro == .bind {
            varType = rt
        } else {
            switch rt {
            case .list(let e):
                if c.variable2 != nil {
                    var2Type = .int
                    varType = e
                } else {
                    varType = e
                }
            case .map(let k, let v):
                if c.variable2 != nil {
                    var2Type = k
                    varType = v
                } else {
                    varType = k
                }
            case .object:
                if c.variable2 != nil {
                    var2Type = .string
                    varType = .dyn
                } else {
                    varType = .string
                }
            case .dyn: break
            default:
                error(c.range.offset, "expression of type '\(rt)' cannot be the range of a comprehension")
            }
        }
        let slot = slotCount
        slotCount += 1
        var scope: [String: Binding] = [c.variable: Binding(type: varType, slot: slot)]
        var slot2: Int? = nil
        if let v2 = c.variable2 {
            slot2 = slotCount
            slotCount += 1
            scope[v2] = Binding(type: var2Type, slot: slot2!)
        }
        scopes.append(scope)
        var filterNode: Node? = nil
        if let f = c.filter {
            let (ft, fn) = check(f)
            expectBool(ft, at: f.offset, what: "\(c.macro.rawValue)() filter")
            filterNode = fn
        }
        let (bt, bn) = check(c.body)
        scopes.removeLast()
        let result: CELType
        switch c.macro {
        case .all, .exists, .existsOne:
            expectBool(bt, at: c.body.offset, what: "\(c.macro.rawValue)() predicate")
            result = .bool
        case .filter:
            expectBool(bt, at: c.body.offset, what: "filter() predicate")
            result = .list(c.variable2 == nil ? varType : var2Type)
        case .map, .transformList: result = .list(bt)
        case .transformMap:
            var keyType: CELType = var2Type
            if case .list = rt { keyType = .int }
            result = .map(keyType, bt)
        case .bind: result = bt
        }
        let node = ComprehensionNode(
            macro: c.macro, range: rn, slot: slot, slot2: slot2, filter: filterNode, body: bn)
        return (result, .comprehension(node))
    }

    private mutating func expectBool(_ t: CELType, at offset: Int, what: String) {
        switch t {
        case .bool, .dyn: break
        default: error(offset, "\(what) must be bool, found '\(t)'")
        }
    }

    // MARK: - Calls

    private static let binaryOps: [String: BinaryOp] = [
        "_+_": .add, "_-_": .subtract, "_*_": .multiply, "_/_": .divide, "_%_": .modulo, "_<_": .less,
        "_<=_": .lessOrEqual, "_>_": .greater, "_>=_": .greaterOrEqual, "@in": .contains,
    ]

    private static let operatorNames: [String: String] = [
        "_+_": "+", "_-_": "-", "_*_": "*", "_/_": "/", "_%_": "%", "_<_": "<", "_<=_": "<=", "_>_": ">",
        "_>=_": ">=", "@in": "in", "_==_": "==", "_!=_": "!=", "!_": "!", "-_": "-", "_&&_": "&&", "_||_": "||",
    ]

    private mutating func checkCall(_ target: Expr?, _ function: String, _ args: [Expr], at offset: Int)
        -> (CELType, Node)
    {
        switch function {
        case "_&&_", "_||_":
            let (lt, ln) = check(args[0])
            let (rt, rn) = check(args[1])
            expectBool(lt, at: args[0].offset, what: "operand of '\(Self.operatorNames[function]!)'")
            expectBool(rt, at: args[1].offset, what: "operand of '\(Self.operatorNames[function]!)'")
            return (.bool, function == "_&&_" ? .and(ln, rn) : .or(ln, rn))
        case "_?_:_":
            let (ct, cn) = check(args[0])
            let (tt, tn) = check(args[1])
            let (et, en) = check(args[2])
            expectBool(ct, at: args[0].offset, what: "condition of '?:'")
            let t: CELType = tt == et ? tt : (tt == .null ? et : (et == .null ? tt : .dyn))
            return (t, .conditional(cn, tn, en))
        case "_==_", "_!=_":
            let (lt, ln) = check(args[0])
            let (rt, rn) = check(args[1])
            if !Self.comparable(lt, rt) {
                error(offset, "found no matching overload for '\(function)' applied to '(\(lt), \(rt))'")
            }
            return (.bool, .binary(function == "_==_" ? .equal : .notEqual, ln, rn))
        case "_[_]", "_[?_]":
            let (ct, cn) = check(args[0])
            let (it, inode) = check(args[1])
            let elem = indexType(ct, it, args[1], at: offset)
            if function == "_[?_]" { return (.optional(Self.unwrapOptional(elem)), .optionalIndex(cn, inode)) }
            if case .optional = ct { return (.optional(Self.unwrapOptional(elem)), .optionalIndex(cn, inode)) }
            return (elem, .index(cn, inode))
        default: break
        }
        // Namespaced functions (`optional.of`, `sets.contains`, `strings.quote`) parse as member calls.
        var target = target
        var name = function
        if let t = target, !rootIsVariable(t), let q = qualifiedName(t), Library.functions["\(q).\(function)"] != nil {
            target = nil
            name = "\(q).\(function)"
        }
        var types: [CELType] = []
        var nodes: [Node] = []
        if let t = target {
            let (tt, tn) = check(t)
            types.append(tt)
            nodes.append(tn)
        }
        for a in args {
            let (at, an) = check(a)
            types.append(at)
            nodes.append(an)
        }
        guard let def = Library.functions[name] else {
            error(offset, "undeclared reference to '\(name)'")
            return (.dyn, .constant(.null))
        }
        let member = target != nil
        var results: [CELType] = []
        for o in def.overloads where o.member == member && o.params.count == types.count {
            var s = Substitution()
            var ok = true
            for (p, a) in zip(o.params, types) where !s.assign(p, a) {
                ok = false
                break
            }
            if ok { results.append(s.apply(o.result)) }
        }
        if results.isEmpty, name == "@in", types[0].isNumeric {
            // Heterogeneous numeric membership: 1 in [1.0].
            if case .list(let e) = types[1], e.isNumeric { results.append(.bool) }
            if case .map(let k, _) = types[1], k.isNumeric { results.append(.bool) }
        }
        if results.isEmpty {
            let shown = Self.operatorNames[name].map { "'\($0)'" } ?? "'\(name)'"
            if member {
                let rest = types.dropFirst().map(\.description).joined(separator: ", ")
                error(offset, "found no matching overload for \(shown) applied to '\(types[0]).(\(rest))'")
            } else {
                let list = types.map(\.description).joined(separator: ", ")
                error(offset, "found no matching overload for \(shown) applied to '(\(list))'")
            }
            return (.dyn, .constant(.null))
        }
        let resultType = results.allSatisfy { $0 == results[0] } ? results[0] : .dyn
        // Regexes with a constant pattern are compiled now, so a bad pattern fails the check.
        if name == "matches" || name == "find" || name == "findAll" {
            let patternArg = member ? args[0] : args[1]
            if case .literal(.string(let pattern)) = patternArg.kind {
                do {
                    let re = try CompiledRegex.cached(pattern)
                    let op: RegexOp = name == "matches" ? .matches : (name == "find" ? .find : .findAll)
                    return (resultType, .regex(op, nodes[0], re, nodes.count > 2 ? nodes[2] : nil))
                } catch {
                    self.error(patternArg.offset, error.message, kind: .regex)
                    return (resultType, .constant(.null))
                }
            }
        }
        if let op = Self.binaryOps[name], nodes.count == 2 { return (resultType, .binary(op, nodes[0], nodes[1])) }
        if name == "!_" { return (resultType, .not(nodes[0])) }
        if name == "-_" { return (resultType, .negate(nodes[0])) }
        return (resultType, .call(name, def.impl, nodes))
    }

    /// Whether `==` may compare the two: same types, numbers of any kind, null or dyn on either side.
    static func comparable(_ a: CELType, _ b: CELType) -> Bool {
        switch (a, b) {
        case (.dyn, _), (_, .dyn), (.null, _), (_, .null), (.param, _), (_, .param): return true
        case (.list(let x), .list(let y)): return comparable(x, y)
        case (.map(let k1, let v1), .map(let k2, let v2)): return comparable(k1, k2) && comparable(v1, v2)
        case (.object, .map), (.map, .object): return true
        case (.optional(let x), .optional(let y)): return comparable(x, y)
        case (.type, .type): return true
        default:
            if a.isNumeric && b.isNumeric { return true }
            return a == b
        }
    }

    private mutating func indexType(_ container: CELType, _ index: CELType, _ indexExpr: Expr, at offset: Int)
        -> CELType
    {
        switch container {
        case .dyn: return .dyn
        case .list(let e):
            switch index {
            case .int, .uint, .dyn, .double: return e
            default:
                error(offset, "found no matching overload for '_[_]' applied to '(\(container), \(index))'")
                return .dyn
            }
        case .map(let k, let v):
            if !Self.comparable(k, index) {
                error(offset, "found no matching overload for '_[_]' applied to '(\(container), \(index))'")
            }
            return v
        case .object(let o):
            switch index {
            case .string, .dyn:
                if case .literal(.string(let f)) = indexExpr.kind {
                    if let ft = o.fields[f] { return ft }
                    error(offset, "undefined field '\(f)' on type '\(o.name)'")
                }
                return .dyn
            default:
                error(offset, "found no matching overload for '_[_]' applied to '(\(container), \(index))'")
                return .dyn
            }
        case .optional(let inner): return indexType(inner, index, indexExpr, at: offset)
        default:
            error(offset, "found no matching overload for '_[_]' applied to '(\(container), \(index))'")
            return .dyn
        }
    }
}
