/// A static type, as the checker sees it (langdef's "Gradual Type Checking"): `dyn` accepts anything.
public indirect enum CELType: Sendable, Hashable, CustomStringConvertible {
    case dyn
    case null
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    case duration
    case timestamp
    case quantity
    case ip
    case cidr
    case url
    case list(CELType)
    case map(CELType, CELType)
    /// The type of a type value; `type(int)` is the type of `int`.
    case type(CELType)
    case optional(CELType)
    /// A declared object schema: field selection is checked against its fields. At run time it is a map.
    case object(CELObjectType)
    /// A type parameter in an overload signature.
    case param(String)

    public var description: String {
        switch self {
        case .dyn: "dyn"
        case .null: "null_type"
        case .bool: "bool"
        case .int: "int"
        case .uint: "uint"
        case .double: "double"
        case .string: "string"
        case .bytes: "bytes"
        case .duration: "google.protobuf.Duration"
        case .timestamp: "google.protobuf.Timestamp"
        case .quantity: "kubernetes.Quantity"
        case .ip: "net.IP"
        case .cidr: "net.IPNet"
        case .url: "kubernetes.URL"
        case .list(let e): "list(\(e))"
        case .map(let k, let v): "map(\(k), \(v))"
        case .type(let t): "type(\(t))"
        case .optional(let t): "optional_type(\(t))"
        case .object(let o): o.name
        case .param(let n): n
        }
    }

    var isNumeric: Bool {
        switch self {
        case .int, .uint, .double: true
        default: false
        }
    }

    /// A JSON object whose members are not declared: a map from string to dyn.
    public static let json = CELType.map(.string, .dyn)
}

/// A declared object type: its name (shown in errors) and its fields. Selecting a field that is not declared is a
/// type error; a field that is declared but absent from the value is `no such key` at run time, as in Kubernetes.
public struct CELObjectType: Sendable, Hashable {
    public var name: String
    public var fields: [String: CELType]

    public init(name: String, fields: [String: CELType]) {
        self.name = name
        self.fields = fields
    }
}

// MARK: - Signature notation

extension CELType {
    /// Parses the notation of the function tables: `int`, `list(A)`, `map(K, V)`, `optional(A)`; one capital
    /// letter is a type parameter.
    static func parse(_ text: Substring) -> CELType {
        let t = text.trimmingCharacters(in: " ")
        if let open = t.firstIndex(of: "(") {
            let head = t[..<open]
            let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
            let args = splitTopLevel(inner)
            switch head {
            case "list": return .list(parse(args[0]))
            case "map": return .map(parse(args[0]), parse(args[1]))
            case "optional": return .optional(parse(args[0]))
            case "type": return .type(parse(args[0]))
            default: preconditionFailure("unknown type constructor \(head)")
            }
        }
        switch t {
        case "dyn": return .dyn
        case "null": return .null
        case "bool": return .bool
        case "int": return .int
        case "uint": return .uint
        case "double": return .double
        case "string": return .string
        case "bytes": return .bytes
        case "duration": return .duration
        case "timestamp": return .timestamp
        case "quantity": return .quantity
        case "ip": return .ip
        case "cidr": return .cidr
        case "url": return .url
        case "type": return .type(.dyn)
        default:
            precondition(t.count == 1, "unknown type \(t)")
            return .param(String(t))
        }
    }
}

func splitTopLevel(_ s: Substring) -> [Substring] {
    var parts: [Substring] = []
    var depth = 0
    var start = s.startIndex
    for i in s.indices {
        switch s[i] {
        case "(": depth += 1
        case ")": depth -= 1
        case "," where depth == 0:
            parts.append(s[start..<i])
            start = s.index(after: i)
        default: break
        }
    }
    let last = s[start...]
    if !last.trimmingCharacters(in: " ").isEmpty { parts.append(last) }
    return parts
}

extension Substring {
    func trimmingCharacters(in c: Character) -> Substring {
        var s = self
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return s
    }
}

// MARK: - Assignability

/// Type parameter bindings while one overload is tried.
struct Substitution {
    var bindings: [String: CELType] = [:]

    func apply(_ t: CELType) -> CELType {
        switch t {
        case .param(let n): return bindings[n].map(apply) ?? .dyn
        case .list(let e): return .list(apply(e))
        case .map(let k, let v): return .map(apply(k), apply(v))
        case .optional(let e): return .optional(apply(e))
        case .type(let e): return .type(apply(e))
        default: return t
        }
    }

    /// Whether a value of type `arg` may be passed where `param` is expected, binding parameters on the way.
    mutating func assign(_ param: CELType, _ arg: CELType) -> Bool {
        switch (param, arg) {
        case (.param(let n), _):
            guard let bound = bindings[n] else {
                bindings[n] = arg
                return true
            }
            if case .dyn = bound {
                if case .dyn = arg { return true }
                bindings[n] = arg
                return true
            }
            if case .null = bound {
                bindings[n] = arg
                return true
            }
            if case .null = arg { return true }
            return assign(bound, arg)
                || {
                    // Widen the binding when the new argument is more general (list(int) then list(dyn)).
                    var probe = Substitution()
                    if probe.assign(arg, bound) {
                        bindings[n] = arg
                        return true
                    }
                    return false
                }()
        case (.dyn, _), (_, .dyn): return true
        case (.list(let a), .list(let b)): return assign(a, b)
        case (.map(let ka, let va), .map(let kb, let vb)): return assign(ka, kb) && assign(va, vb)
        case (.map(let ka, let va), .object): return assign(ka, .string) && assign(va, .dyn)
        case (.optional(let a), .optional(let b)): return assign(a, b)
        case (.type, .type): return true
        case (.object(let a), .object(let b)): return a.name == b.name
        case (.object, .null): return true
        default: return param == arg
        }
    }
}
