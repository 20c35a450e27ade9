/// A JSON value that keeps key order and unknown fields, the tree every rule reads.
///
/// Kubernetes objects arrive as YAML or JSON; both are loaded into this tree so that a finding can name a
/// JSON pointer and a mutation can be an exact JSON Patch.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// The value at `pointer`, or nil when any step is missing.
    public subscript(pointer: JSONPointer) -> JSONValue? {
        var current: JSONValue = self
        for token in pointer.tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// An integer as the API server's JSON decoder reads one: a whole number, also when written `3.0`.
    public var integerValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18: return Int64(value)
        default: return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type name used in messages ("string", "integer", ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Sets the value at `pointer`, creating intermediate objects; returns false when a step is not a container.
    @discardableResult
    public mutating func set(_ value: JSONValue, at pointer: JSONPointer) -> Bool {
        guard let first = pointer.tokens.first else {
            self = value
            return true
        }
        let rest = JSONPointer(tokens: Array(pointer.tokens.dropFirst()))
        switch self {
        case .object(var object):
            var child = object[first] ?? .object(JSONObject())
            guard child.set(value, at: rest) else { return false }
            object[first] = child
            self = .object(object)
            return true
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { return false }
            guard items[index].set(value, at: rest) else { return false }
            self = .array(items)
            return true
        case .null:
            var object = JSONObject()
            var child = JSONValue.object(JSONObject())
            guard child.set(value, at: rest) else { return false }
            object[first] = child
            self = .object(object)
            return true
        default:
            return false
        }
    }
}

extension String {
    /// `self == other`, told apart first by length: most keys a lookup passes over differ in length, and an unequal
    /// `==` goes through the standard library's out-of-line comparison. A native string knows its UTF-8 count.
    @inlinable
    public func isSameText(as other: String) -> Bool {
        utf8.count == other.utf8.count && self == other
    }
}

/// A JSON object whose members keep the order they were written in.
///
/// Kubernetes objects have few keys per mapping, so a linear scan beats hashing here.
///
/// Equality ignores member order, as JSON does (RFC 8259 §4): two objects with the same members are equal.
public struct JSONObject: Sendable, Hashable, Sequence {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init() { members = [] }

    /// Members as they are, duplicate keys unchecked: for the loaders, which check them as they read.
    public init(members: [Member]) { self.members = members }

    public init(_ pairs: [(String, JSONValue)]) {
        members = pairs.map { Member(key: $0.0, value: $0.1) }
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    public subscript(key: String) -> JSONValue? {
        get {
            // By position: a loop over the members would copy each one it passes, retaining its key and value.
            for position in members.indices where members[position].key.isSameText(as: key) {
                return members[position].value
            }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key.isSameText(as: key) }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Appends without looking for an existing key; the loader reports duplicates itself.
    public mutating func append(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: the sum of the members' own hashes.
        var combined = 0
        for member in members {
            var memberHasher = Hasher()
            memberHasher.combine(member)
            combined = combined &+ memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
