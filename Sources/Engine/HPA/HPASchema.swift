/// The shape of each `autoscaling` version as the API server's strict decoder knows it: which fields exist and
/// what JSON type each takes. `unknown-field` and `invalid-type` read it.
public enum FieldSchema: Sendable {
    case int32
    case int64
    case string
    case bool
    /// A resource.Quantity: a string in the quantity grammar, or a JSON number.
    case quantity
    case stringMap
    /// Not checked (status, managedFields).
    case any
    /// Not `indirect` but for `array`: a copy of a leaf's schema then costs nothing and an object's one reference,
    /// and the walk copies one for every field of every reviewed HPA.
    case object(ObjectSchema)
    indirect case array(FieldSchema)

    static func object(_ typeName: String, _ fields: [String: FieldSchema]) -> FieldSchema {
        .object(ObjectSchema(typeName: typeName, fields: fields))
    }
}

/// The fields of one API type. Every field of every reviewed HPA is looked up here, so the few names sit in an
/// array compared in turn (cheaper than hashing each key), apart from their schemas: the scan reads names only.
public final class ObjectSchema: Sendable {
    public let typeName: String
    public let fieldNames: [String]
    private let schemas: [FieldSchema]

    init(typeName: String, fields: [String: FieldSchema]) {
        self.typeName = typeName
        let sorted = fields.sorted { $0.key < $1.key }
        fieldNames = sorted.map(\.key)
        schemas = sorted.map(\.value)
    }

    public func field(_ name: String) -> FieldSchema? {
        guard let position = fieldNames.firstIndex(where: { $0.isSameText(as: name) }) else { return nil }
        return schemas[position]
    }
}

public enum HPASchema {
    /// The schema of a whole HPA object in `version`, nil for a version hpaguard does not know.
    public static func object(version: String) -> FieldSchema? { objects[version] }

    /// Built once: every HPA of a run is checked against one of these.
    private static let objects: [String: FieldSchema] = [
        "v1": wholeObject(spec: v1Spec),
        "v2": wholeObject(spec: v2Spec(withTolerance: true)),
        "v2beta2": wholeObject(spec: v2Spec(withTolerance: false)),
        "v2beta1": wholeObject(spec: v2beta1Spec),
    ]

    private static func wholeObject(spec: FieldSchema) -> FieldSchema {
        .object("HorizontalPodAutoscaler", [
            "apiVersion": .string, "kind": .string, "metadata": objectMeta, "spec": spec, "status": .any,
        ])
    }

    static let objectMeta: FieldSchema = .object("ObjectMeta", [
        "name": .string, "generateName": .string, "namespace": .string, "selfLink": .string, "uid": .string,
        "resourceVersion": .string, "generation": .int64, "creationTimestamp": .string, "deletionTimestamp": .string,
        "deletionGracePeriodSeconds": .int64, "labels": .stringMap, "annotations": .stringMap,
        "ownerReferences": .array(.object("OwnerReference", [
            "apiVersion": .string, "kind": .string, "name": .string, "uid": .string, "controller": .bool,
            "blockOwnerDeletion": .bool,
        ])),
        "finalizers": .array(.string), "managedFields": .any,
    ])

    static let crossVersionObjectReference: FieldSchema = .object("CrossVersionObjectReference", [
        "kind": .string, "name": .string, "apiVersion": .string,
    ])

    static let labelSelector: FieldSchema = .object("LabelSelector", [
        "matchLabels": .stringMap,
        "matchExpressions": .array(.object("LabelSelectorRequirement", [
            "key": .string, "operator": .string, "values": .array(.string),
        ])),
    ])

    static let v1Spec: FieldSchema = .object("HorizontalPodAutoscalerSpec", [
        "scaleTargetRef": crossVersionObjectReference, "minReplicas": .int32, "maxReplicas": .int32,
        "targetCPUUtilizationPercentage": .int32,
    ])

    static func v2Spec(withTolerance: Bool) -> FieldSchema {
        let target: FieldSchema = .object("MetricTarget", [
            "type": .string, "value": .quantity, "averageValue": .quantity, "averageUtilization": .int32,
        ])
        let identifier: FieldSchema = .object("MetricIdentifier", ["name": .string, "selector": labelSelector])
        var rules: [String: FieldSchema] = [
            "stabilizationWindowSeconds": .int32, "selectPolicy": .string,
            "policies": .array(.object("HPAScalingPolicy", ["type": .string, "value": .int32, "periodSeconds": .int32])),
        ]
        if withTolerance { rules["tolerance"] = .quantity }
        let scalingRules: FieldSchema = .object("HPAScalingRules", rules)
        return .object("HorizontalPodAutoscalerSpec", [
            "scaleTargetRef": crossVersionObjectReference, "minReplicas": .int32, "maxReplicas": .int32,
            "metrics": .array(.object("MetricSpec", [
                "type": .string,
                "object": .object("ObjectMetricSource", [
                    "describedObject": crossVersionObjectReference, "target": target, "metric": identifier,
                ]),
                "pods": .object("PodsMetricSource", ["metric": identifier, "target": target]),
                "resource": .object("ResourceMetricSource", ["name": .string, "target": target]),
                "containerResource": .object("ContainerResourceMetricSource", [
                    "name": .string, "target": target, "container": .string,
                ]),
                "external": .object("ExternalMetricSource", ["metric": identifier, "target": target]),
            ])),
            "behavior": .object("HorizontalPodAutoscalerBehavior", ["scaleUp": scalingRules, "scaleDown": scalingRules]),
        ])
    }

    static let v2beta1Spec: FieldSchema = .object("HorizontalPodAutoscalerSpec", [
        "scaleTargetRef": crossVersionObjectReference, "minReplicas": .int32, "maxReplicas": .int32,
        "metrics": .array(.object("MetricSpec", [
            "type": .string,
            "object": .object("ObjectMetricSource", [
                "target": crossVersionObjectReference, "metricName": .string, "targetValue": .quantity,
                "selector": labelSelector, "averageValue": .quantity,
            ]),
            "pods": .object("PodsMetricSource", [
                "metricName": .string, "targetAverageValue": .quantity, "selector": labelSelector,
            ]),
            "resource": .object("ResourceMetricSource", [
                "name": .string, "targetAverageUtilization": .int32, "targetAverageValue": .quantity,
            ]),
            "containerResource": .object("ContainerResourceMetricSource", [
                "name": .string, "targetAverageUtilization": .int32, "targetAverageValue": .quantity, "container": .string,
            ]),
            "external": .object("ExternalMetricSource", [
                "metricName": .string, "metricSelector": labelSelector, "targetValue": .quantity,
                "targetAverageValue": .quantity,
            ]),
        ])),
    ])

    /// A schema problem at a pointer into the object as written.
    public struct Problem: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case unknownField, wrongType }
        public let kind: Kind
        public let pointer: JSONPointer
        public let message: String
    }

    /// Walks `value` against `schema`; null is accepted everywhere, as Go's decoder accepts it.
    public static func problems(in value: JSONValue, schema: FieldSchema, at pointer: JSONPointer = .root) -> [Problem] {
        var problems: [Problem] = []
        var path = pointer.tokens
        // Room for the deepest HPA field (spec, metrics, 0, object, metric, selector, matchExpressions, 0, values, 0).
        path.reserveCapacity(path.count + 12)
        check(value, schema, &path, &problems)
        return problems
    }

    /// The tokens of the first items of a list: a conversion of an index to text for each item of every HPA's
    /// lists, saved.
    private static let indexTokens = (0..<16).map { String($0) }

    /// Whether `value` is a leaf of `schema` that `check` would find no problem in; false for containers, which
    /// `check` walks.
    private static func isValidLeaf(_ value: JSONValue, _ schema: FieldSchema) -> Bool {
        switch (schema, value) {
        case (_, .null), (.any, _), (.int64, .int), (.string, .string), (.bool, .bool): return true
        case (.int32, .int(let number)): return number >= Int64(Int32.min) && number <= Int64(Int32.max)
        case (.quantity, .int), (.quantity, .double): return Quantity(value) != nil
        case (.quantity, .string(let text)): return Quantity(parsing: text.trimmingSpaces()) != nil
        default: return false
        }
    }

    /// `path` holds the tokens of the pointer to `value`: pushed and popped on the way, so that a pointer is made
    /// only for a problem (the walk visits every field of every reviewed HPA).
    private static func check(
        _ value: JSONValue, _ schema: FieldSchema, _ path: inout [String], _ problems: inout [Problem]
    ) {
        if value.isNull { return }
        func wrong(_ expected: String, _ path: [String]) {
            let pointer = JSONPointer(tokens: path)
            problems.append(Problem(
                kind: .wrongType, pointer: pointer,
                message: "\(pointer.fieldPath) must be \(expected), not \(describe(value)); the API server rejects the object when decoding it"))
        }
        switch schema {
        case .any:
            return
        case .int32:
            guard let number = value.integerValue else { return wrong("an integer", path) }
            if number < Int64(Int32.min) || number > Int64(Int32.max) { wrong("a 32-bit integer", path) }
        case .int64:
            if value.integerValue == nil { wrong("an integer", path) }
        case .string:
            if value.stringValue == nil { wrong("a string", path) }
        case .bool:
            if value.boolValue == nil { wrong("true or false", path) }
        case .quantity:
            switch value {
            case .string, .int, .double:
                if Quantity(value) == nil {
                    let pointer = JSONPointer(tokens: path)
                    problems.append(Problem(
                        kind: .wrongType, pointer: pointer,
                        message: "\(pointer.fieldPath) \(describe(value)) is not a quantity (such as 500m, 2, 1.5k or 1Gi); the API server rejects it"))
                }
            default: wrong("a quantity", path)
            }
        case .stringMap:
            guard case .object(let object) = value else { return wrong("a mapping of strings", path) }
            for member in object where member.value.stringValue == nil && !member.value.isNull {
                let pointer = JSONPointer(tokens: path)
                let memberPointer = pointer / member.key
                problems.append(Problem(
                    kind: .wrongType, pointer: memberPointer,
                    message: "\(pointer.fieldPath)[\(member.key)] must be a string, not \(describe(member.value)); quote it"))
            }
        case .array(let element):
            guard case .array(let items) = value else { return wrong("a list", path) }
            for (index, item) in items.enumerated() {
                path.append(index < indexTokens.count ? indexTokens[index] : String(index))
                check(item, element, &path, &problems)
                path.removeLast()
            }
        case .object(let schema):
            guard case .object(let object) = value else { return wrong("a mapping (\(schema.typeName))", path) }
            // By position: a loop over the members would copy each one, retaining its key and value.
            let members = object.members
            for position in members.indices {
                let fieldSchema = schema.field(members[position].key)
                // A leaf that holds is passed over without a step on the path (most fields of every HPA).
                if let fieldSchema, isValidLeaf(members[position].value, fieldSchema) { continue }
                path.append(members[position].key)
                if let fieldSchema {
                    check(members[position].value, fieldSchema, &path, &problems)
                } else {
                    let memberPointer = JSONPointer(tokens: path)
                    problems.append(Problem(
                        kind: .unknownField, pointer: memberPointer,
                        message: unknownFieldMessage(
                            members[position].key, in: schema.typeName, known: schema.fieldNames, at: memberPointer)))
                }
                path.removeLast()
            }
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "the string \"\(text.prefix(40))\""
        case .int(let number): return "the number \(number)"
        case .double(let number): return "the number \(number)"
        case .bool(let flag): return "the boolean \(flag)"
        default: return "a \(value.typeName)"
        }
    }

    private static func unknownFieldMessage(_ key: String, in typeName: String, known: [String], at pointer: JSONPointer) -> String {
        var message = "unknown field \"\(pointer.fieldPath)\" (\(typeName) has no field \"\(key)\")"
        if let hint = legacyHints[key] {
            message += "; \(hint)"
        } else if let close = known.first(where: { $0.lowercased() == key.lowercased() }) {
            message += "; did you mean \"\(close)\"?"
        }
        return message + ". Strict field validation rejects it; a non-strict apply drops it silently"
    }

    /// Fields of older versions that people write into newer ones.
    private static let legacyHints: [String: String] = [
        "targetAverageUtilization": "that is autoscaling/v2beta1; in v2 write target: {type: Utilization, averageUtilization: N}",
        "targetAverageValue": "that is autoscaling/v2beta1; in v2 write target: {type: AverageValue, averageValue: Q}",
        "targetValue": "that is autoscaling/v2beta1; in v2 write target: {type: Value, value: Q}",
        "metricName": "that is autoscaling/v2beta1; in v2 write metric: {name: ...}",
        "metricSelector": "that is autoscaling/v2beta1; in v2 write metric: {selector: ...}",
        "metrics": "autoscaling/v1 has only targetCPUUtilizationPercentage; use autoscaling/v2 for other metrics",
        "behavior": "autoscaling/v1 has no behavior; use autoscaling/v2",
        "targetCPUUtilizationPercentage": "that is autoscaling/v1; in v2 write a Resource cpu metric",
    ]
}
