import CEL

// The engine's JSON tree and schemas as CEL sees them. CEL knows nothing of hpaguard; this is the one adapter.

extension CELValue {
    /// `json` as CEL sees a Kubernetes object: integers are `int`, other numbers `double`, objects maps with string
    /// keys in document order.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .list(items.map(CELValue.init))
        case .object(let object):
            var map = CELMap()
            map.reserveCapacity(object.count)
            for member in object { map.appendNew(member.key, CELValue(member.value)) }
            self = .map(map)
        }
    }

    /// The text a message expression's value is shown as: strings as they are, anything else in CEL notation.
    var messageText: String {
        if case .string(let text) = self { return text }
        return CELValue.describe(self)
    }

    private static func describe(_ value: CELValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .int(let number): String(number)
        case .uint(let number): "\(number)u"
        case .double(let number): String(number)
        case .string(let text): "'\(text)'"
        case .list(let items): "[" + items.map(describe).joined(separator: ", ") + "]"
        case .map(let map): "{" + map.entries.map { describe($0.key) + ": " + describe($0.value) }.joined(separator: ", ") + "}"
        default: value.typeName
        }
    }
}

/// A JSON object bound to a CEL variable in place: `object.spec.minReplicas` reads one member of the engine's tree
/// and converts that integer, not the object (its managedFields, status, annotations) first.
final class JSONMapView: CELHostMap {
    private let object: JSONValue
    /// For an HPA, the converted and defaulted spec, which stands in for the one written (and apiVersion is
    /// autoscaling/v2): what `hpa.defaultedObject` is, without building it.
    private let convertedSpec: JSONValue?

    init(_ object: JSONValue) {
        self.object = object
        convertedSpec = nil
    }

    init(_ hpa: borrowing HPA) {
        object = hpa.object.value
        convertedSpec = hpa.spec
    }

    func select(_ path: ArraySlice<String>) -> CELHostSelection {
        let first = path.startIndex
        if let convertedSpec {
            if path[first].hasSameScalars(as: "spec") { return Self.select(path, from: first + 1, in: convertedSpec) }
            if path[first].hasSameScalars(as: "apiVersion") {
                return Self.select(path, from: first + 1, in: .string(HPA.defaultedAPIVersion))
            }
        }
        return Self.select(path, from: first, in: object)
    }

    /// `path[index...]` below `value`.
    private static func select(_ path: ArraySlice<String>, from index: Int, in value: JSONValue) -> CELHostSelection {
        guard index < path.endIndex else { return .value(CELValue(value)) }
        guard case .object(let object) = value else { return .notAMap(index: index, typeName: value.celTypeName) }
        // By position, reading keys in place: iterating the members would copy (retain and release) each one passed.
        let field = path[index]
        let position = object.members.withUnsafeBufferPointer { members in
            members.indices.first { members[$0].key.hasSameScalars(as: field) }
        }
        guard let position else { return .missing(index: index) }
        return select(path, from: index + 1, in: object.members[position].value)
    }

    var materialized: CELValue {
        CELValue(convertedSpec.map { HPA.defaulted(object, spec: $0) } ?? object)
    }
}

extension JSONValue {
    /// The CEL type this value converts to.
    fileprivate var celTypeName: String {
        switch self {
        case .null: "null_type"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .array: "list"
        case .object: "map"
        }
    }
}

extension FieldSchema {
    /// The CEL type of a field of this schema, as Kubernetes types a structural schema for CEL: integers `int`,
    /// quantities `dyn` (int-or-string), objects with their declared fields, anything unchecked `dyn`.
    var celType: CELType {
        switch self {
        case .int32, .int64: .int
        case .string: .string
        case .bool: .bool
        case .quantity, .any: .dyn
        case .stringMap: .map(.string, .string)
        case .array(let element): .list(element.celType)
        case .object(let schema):
            .object(CELObjectType(
                name: schema.typeName,
                fields: Dictionary(uniqueKeysWithValues: schema.fieldNames.compactMap { name in
                    schema.field(name).map { (name, $0.celType) }
                })))
        }
    }
}

extension HPASchema {
    /// An autoscaling/v2 HorizontalPodAutoscaler as CEL's checker sees it: selecting a field the API does not have
    /// (`object.spec.minReplica`) is a type error when the policy is loaded.
    static let celType: CELType = {
        guard case .object(let whole)? = object(version: "v2") else { return .json }
        var fields: [String: CELType] = [:]
        for name in whole.fieldNames { fields[name] = whole.field(name)?.celType }
        return .object(CELObjectType(name: "HorizontalPodAutoscaler", fields: fields))
    }()
}
