import Foundation

/// A CEL value: what an expression evaluates to and what variables are bound to.
///
/// JSON maps into it as null, bool, int or double (the host decides: Kubernetes integer fields are `int`), string,
/// list and map with string keys; see ``CELValue/init(json:)``.
/// Scalars and the two collections (whose storage is already on the heap) are held inline: evaluating `a >= b`
/// allocates nothing. The rarer, larger payloads are boxed so that the enum stays the size of a string and a tag.
public enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([CELValue])
    case map(CELMap)
    /// A type as a value (`type(1) == int`), by its CEL name.
    case type(String)
    case duration(CELDuration)
    case timestamp(CELTimestamp)
    /// `optional.of(x)` is `.optional(x)`, `optional.none()` is `.optional(nil)`.
    indirect case optional(CELValue?)
    /// Kubernetes' `quantity('500m')`.
    indirect case quantity(CELQuantity)
    /// Kubernetes' `ip('10.0.0.1')`.
    case ip(CELIPAddress)
    /// Kubernetes' `cidr('10.0.0.0/8')`.
    indirect case cidr(CELCIDR)
    /// Kubernetes' `url('https://example.com/path')`.
    indirect case url(CELURL)
    /// A map the host keeps in its own form (see ``CELHostMap``). Only a variable's binding is one: evaluating the
    /// variable itself gives its ``CELHostMap/materialized`` value, so no operator ever meets this case.
    case host(any CELHostMap)

    /// The CEL name of this value's runtime type, as `type()` returns it.
    public var typeName: String {
        switch self {
        case .null: "null_type"
        case .bool: "bool"
        case .int: "int"
        case .uint: "uint"
        case .double: "double"
        case .string: "string"
        case .bytes: "bytes"
        case .list: "list"
        case .map: "map"
        case .type: "type"
        case .duration: "google.protobuf.Duration"
        case .timestamp: "google.protobuf.Timestamp"
        case .optional: "optional_type"
        case .quantity: "kubernetes.Quantity"
        case .ip: "net.IP"
        case .cidr: "net.IPNet"
        case .url: "kubernetes.URL"
        case .host: "map"
        }
    }

    /// A map with string keys in the given order.
    public static func object(_ pairs: [(String, CELValue)]) -> CELValue {
        .map(CELMap(pairs.map { (CELValue.string($0.0), $0.1) }))
    }
}

/// A map that a host binds to a variable in its own form, for CEL to select fields from in place:
/// `object.spec.minReplicas` reads one integer of the host's object instead of converting the object first. Used any
/// other way (compared, iterated, passed to a function, selected with `.?`), the variable is its ``materialized``
/// value.
public protocol CELHostMap: AnyObject, Sendable {
    /// The value at the end of `path` (one field name or more), converted to CEL.
    func select(_ path: ArraySlice<String>) -> CELHostSelection
    /// The whole map, converted to CEL.
    var materialized: CELValue { get }
}

/// What a host found at a path: the value, or where and why the walk stopped (the errors field selection gives).
public enum CELHostSelection: Sendable {
    case value(CELValue)
    /// `path[index]` is not a key of the map before it.
    case missing(index: Int)
    /// The value before `path[index]` is not a map; `typeName` is its CEL type.
    case notAMap(index: Int, typeName: String)
}

/// A JSON value as a host hands it over: numbers are `int` when the host knows they are integers, `double` otherwise.
public indirect enum CELJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([CELJSON])
    /// Members in document order; a repeated name keeps its last value.
    case object([Member])

    public struct Member: Sendable, Hashable {
        public var name: String
        public var value: CELJSON
        public init(_ name: String, _ value: CELJSON) {
            self.name = name
            self.value = value
        }
    }
}

extension CELValue {
    /// Maps JSON into CEL: objects become maps with string keys, arrays lists, numbers int or double as given.
    public init(json: CELJSON) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(CELValue.init(json:)))
        case .object(let members):
            var map = CELMap()
            map.reserveCapacity(members.count)
            for member in members { map.set(.string(member.name), CELValue(json: member.value)) }
            self = .map(map)
        }
    }
}

// MARK: - Map

/// A CEL map: keys are int, uint, bool or string; int and uint keys of the same number are the same key.
///
/// Keeps insertion order (JSON objects iterate in document order); small maps are searched linearly, larger ones
/// through a hashed index.
public struct CELMap: Sendable {
    public struct Entry: Sendable {
        public var key: CELValue
        public var value: CELValue
    }

    /// Key and value side by side: one allocation per map.
    public private(set) var entries: [Entry] = []
    private var index: [MapKey: Int]? = nil

    private static let indexThreshold = 12

    public init() {}

    /// Builds a map; a repeated key keeps its last value.
    public init(_ pairs: [(CELValue, CELValue)]) {
        reserveCapacity(pairs.count)
        for (k, v) in pairs { set(k, v) }
    }

    public var count: Int { entries.count }
    public var keys: [CELValue] { entries.map(\.key) }
    public var values: [CELValue] { entries.map(\.value) }

    public mutating func reserveCapacity(_ n: Int) {
        entries.reserveCapacity(n)
    }

    /// The position of `key`, comparing numbers across int, uint and (integral) double.
    func position(of key: CELValue) -> Int? {
        if let index {
            guard let k = MapKey(key) else { return nil }
            return index[k]
        }
        if case .string(let s) = key {
            for i in entries.indices {
                if case .string(let t) = entries[i].key, t.hasSameScalars(as: s) { return i }
            }
            return nil
        }
        guard let k = MapKey(key) else { return nil }
        for i in entries.indices where MapKey(entries[i].key) == k { return i }
        return nil
    }

    public subscript(key: CELValue) -> CELValue? {
        position(of: key).map { entries[$0].value }
    }

    /// The value under a string key (field selection).
    public subscript(string key: String) -> CELValue? {
        if let index { return index[.string(key)].map { entries[$0].value } }
        for i in entries.indices {
            if case .string(let t) = entries[i].key, t.hasSameScalars(as: key) { return entries[i].value }
        }
        return nil
    }

    /// Sets `key` to `value`; returns false when the key was already there (its value is replaced).
    @discardableResult
    public mutating func set(_ key: CELValue, _ value: CELValue) -> Bool {
        if let i = position(of: key) {
            entries[i].value = value
            return false
        }
        entries.append(Entry(key: key, value: value))
        if index != nil, let k = MapKey(key) {
            index![k] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            var built: [MapKey: Int] = [:]
            for (i, entry) in entries.enumerated() { if let mk = MapKey(entry.key) { built[mk] = i } }
            index = built
        }
        return true
    }

    /// Appends a string key the caller knows is not in the map yet (a host building a map from an object whose
    /// member names are unique), without searching for it.
    public mutating func appendNew(_ key: String, _ value: CELValue) {
        guard index == nil, entries.count < Self.indexThreshold else {
            set(.string(key), value)
            return
        }
        entries.append(Entry(key: .string(key), value: value))
    }
}

/// A hashable map key: numbers normalised so that 1, 1u and 1.0 are one key.
enum MapKey: Hashable {
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case string(String)

    init?(_ v: CELValue) {
        switch v {
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .uint(u)
        case .double(let d):
            if let i = Int64(exactly: d) {
                self = .int(i)
            } else if let u = UInt64(exactly: d) {
                self = .uint(u)
            } else {
                return nil
            }
        case .bool(let b): self = .bool(b)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }
}

// MARK: - Equality and ordering

extension CELValue: Equatable {
    /// CEL equality: numbers compare across int, uint and double by value; NaN equals nothing; lists and maps
    /// compare element-wise; values of different types are unequal (not an error).
    public static func == (lhs: CELValue, rhs: CELValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.hasSameScalars(as: b)
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.int, _), (.uint, _), (.double, _):
            guard let c = numericCompare(lhs, rhs) else { return false }
            return c == 0
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for entry in a.entries {
                guard let v = b[entry.key], v == entry.value else { return false }
            }
            return true
        case (.type(let a), .type(let b)): return a == b
        case (.duration(let a), .duration(let b)): return a == b
        case (.timestamp(let a), .timestamp(let b)): return a == b
        case (.optional(let a), .optional(let b)): return a == b
        case (.quantity(let a), .quantity(let b)): return a.compare(b) == 0
        case (.ip(let a), .ip(let b)): return a == b
        case (.cidr(let a), .cidr(let b)): return a == b
        case (.url(let a), .url(let b)): return a.text == b.text
        default: return false
        }
    }
}

/// Compares two numbers of any numeric types exactly; nil when either is not a number or NaN is involved.
func numericCompare(_ a: CELValue, _ b: CELValue) -> Int? {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
    case (.uint(let x), .uint(let y)): return x < y ? -1 : (x > y ? 1 : 0)
    case (.double(let x), .double(let y)):
        if x.isNaN || y.isNaN { return nil }
        return x < y ? -1 : (x > y ? 1 : 0)
    case (.int(let x), .uint(let y)):
        if x < 0 { return -1 }
        let ux = UInt64(x)
        return ux < y ? -1 : (ux > y ? 1 : 0)
    case (.uint, .int): return numericCompare(b, a).map { -$0 }
    case (.int(let x), .double(let y)): return compareIntDouble(x, y)
    case (.double, .int): return numericCompare(b, a).map { -$0 }
    case (.uint(let x), .double(let y)): return compareUIntDouble(x, y)
    case (.double, .uint): return numericCompare(b, a).map { -$0 }
    default: return nil
    }
}

private func compareIntDouble(_ x: Int64, _ y: Double) -> Int? {
    if y.isNaN { return nil }
    if y >= 9_223_372_036_854_775_808.0 { return -1 }
    if y < -9_223_372_036_854_775_808.0 { return 1 }
    // y is within int64 range: compare integer parts, then the fraction.
    let t = y.rounded(.towardZero)
    let yi = Int64(t)
    if x != yi { return x < yi ? -1 : 1 }
    let frac = y - t
    return frac > 0 ? -1 : (frac < 0 ? 1 : 0)
}

private func compareUIntDouble(_ x: UInt64, _ y: Double) -> Int? {
    if y.isNaN { return nil }
    if y < 0 { return 1 }
    if y >= 18_446_744_073_709_551_616.0 { return -1 }
    let t = y.rounded(.towardZero)
    let yu = UInt64(t)
    if x != yu { return x < yu ? -1 : 1 }
    let frac = y - t
    return frac > 0 ? -1 : 0
}

extension CELValue {
    /// CEL ordering (`<` and friends): numbers across types, strings by code point, bytes, bools, durations,
    /// timestamps; nil when the two cannot be ordered.
    func compare(to other: CELValue) -> Int? {
        switch (self, other) {
        case (.int, _), (.uint, _), (.double, _): return numericCompare(self, other)
        case (.string(let a), .string(let b)):
            // UTF-8 byte order is code point order.
            if a.hasSameScalars(as: b) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        case (.bytes(let a), .bytes(let b)):
            if a == b { return 0 }
            return a.lexicographicallyPrecedes(b) ? -1 : 1
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.duration(let a), .duration(let b)): return a.nanoseconds < b.nanoseconds ? -1 : (a == b ? 0 : 1)
        case (.timestamp(let a), .timestamp(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.quantity(let a), .quantity(let b)): return a.compare(b)
        default: return nil
        }
    }
}

extension CELValue: CustomStringConvertible {
    /// The value as `string()` and `%s` print it (lists and maps with quoted strings: `[1, "a"]`).
    public var description: String { Library.display(self) }
}

extension String {
    /// Equality as CEL defines it for strings: the same code points (Swift's `==` also equates canonically
    /// equivalent strings, "é" and "e\u{301}"). Compares the UTF-8 bytes at once; map keys and field names are
    /// compared on every selection, by hosts (``CELHostMap``) too. Inlined up to the byte comparison, so that a
    /// host's loop over keys reads each key in place rather than retaining a copy.
    @inlinable
    public func hasSameScalars(as other: String) -> Bool {
        // Equal small strings, and a string and a copy of it, are the same 16 bytes: the same without a walk.
        if MemoryLayout<String>.size == 16,
            unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self)
        {
            return true
        }
        // Most names a selection passes over differ in length, which a native string knows without a walk.
        guard utf8.count == other.utf8.count else { return false }
        return hasSameBytes(as: other)
    }

    /// Whether two strings of one UTF-8 length have the same bytes.
    @usableFromInline
    func hasSameBytes(as other: String) -> Bool {
        // Native and small strings lend their bytes in place; copying them into `var`s to call `withUTF8` costs
        // more than the comparison.
        let inPlace = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in
                a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
            }
        }
        if let inPlace, let same = inPlace { return same }
        return utf8.elementsEqual(other.utf8)
    }

}
