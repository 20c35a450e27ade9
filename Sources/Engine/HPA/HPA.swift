/// A HorizontalPodAutoscaler in the API server's internal (autoscaling/v2) form, after its defaulting, with the
/// way back to the pointers of the version the user wrote.
///
/// Every served and removed `autoscaling` version is converted the way the API server converts it, so that a
/// rule written against v2 paths holds for all of them and the linter and the webhook see the same object.
public struct HPA: Sendable {
    /// The object as written (or as received by the webhook).
    public let object: ManifestObject
    /// The version it was written in: v1, v2, v2beta2 or v2beta1.
    public let version: String
    /// The internal spec: v2 shape, API-server defaults applied.
    public let spec: JSONValue
    /// Internal pointers the API server's defaulting filled in (absent from what the user wrote).
    public let defaulted: Set<JSONPointer>
    /// Problems the conversion itself found (an annotation that does not parse), reported by `conversion-annotation`.
    public let conversionNotes: [ConversionNote]
    /// Unknown fields and wrong types in the object as written, against its version's schema: walked once for
    /// `unknown-field` and `invalid-type`.
    public let schemaProblems: [HPASchema.Problem]
    let pointerMap: PointerMap

    public struct ConversionNote: Sendable, Hashable {
        public let pointer: JSONPointer
        public let message: String
    }

    public var metadata: JSONValue { object.value["metadata"] ?? .null }

    /// The object as the API server holds it after defaulting, in autoscaling/v2: what a webhook registered for
    /// v2 receives (status and the v1 round-trip annotations aside).
    public var defaultedObject: JSONValue { Self.defaulted(object.value, spec: spec) }

    /// The apiVersion of `defaultedObject`.
    static let defaultedAPIVersion = "autoscaling/v2"

    /// `object` as written with the converted, defaulted `spec` and the v2 apiVersion in place: `defaultedObject`
    /// from its parts.
    static func defaulted(_ object: JSONValue, spec: JSONValue) -> JSONValue {
        var value = object
        value.set(.string(defaultedAPIVersion), at: "/apiVersion")
        value.set(spec, at: "/spec")
        return value
    }
    public var name: String? { object.name }
    public var namespace: String? { object.namespace }
    public var annotations: [String: String] { object.annotations }
    /// `annotations[key]`, without building the dictionary.
    public func annotation(_ key: String) -> String? { object.annotation(key) }

    /// The pointer into the object as written that corresponds to an internal pointer.
    public func originalPointer(for internalPointer: JSONPointer) -> JSONPointer {
        pointerMap.original(for: internalPointer)
    }

    /// True when the user wrote the field, false when defaulting supplied it or it is absent.
    public func isWritten(_ internalPointer: JSONPointer) -> Bool {
        guard spec[internalPointer.droppingSpecPrefix] != nil else { return false }
        return !defaulted.contains { internalPointer.hasPrefix($0) }
    }

    // MARK: - Typed accessors over the internal spec

    /// `spec.minReplicas`, `spec.maxReplicas` and `spec.scaleTargetRef`, read once at conversion: most rules read
    /// them, several times per review.
    public let minReplicas: Int64?

    /// An integer field of the spec as Go's decoder leaves it: 0 when absent or null, nil when it is not an
    /// integer at all (then decoding fails, which `invalid-type` reports).
    public func decodedInteger(_ key: String) -> Int64? {
        guard let value = spec[key], !value.isNull else { return 0 }
        return value.integerValue
    }
    public let maxReplicas: Int64?
    public let scaleTargetRef: ScaleTargetReference

    /// `spec.metrics`, read once at conversion (most rules go through them).
    public let metrics: [Metric]

    public var behavior: JSONValue? {
        guard let behavior = spec["behavior"], !behavior.isNull else { return nil }
        return behavior
    }

    /// One entry of `spec.metrics`.
    ///
    /// What most rules read of it (its type, the block that type names, that block's target, the blocks set) is read
    /// once here: a dozen rules read them for every metric of every review. A class, so that a rule's loop over the
    /// metrics retains one reference per metric, not each of these fields.
    public final class Metric: Sendable {
        public let index: Int
        public let value: JSONValue
        /// `type` as written ("" when absent), and the source it names when it is one.
        public let type: String
        public let sourceType: MetricSourceType?
        /// The source block that matches `type` (`resource` for Resource, ...), and its `target`.
        public let source: JSONValue?
        public let target: JSONValue?
        /// The source blocks that are set (present, not null), in the API server's validation order.
        let populatedSources: [MetricSourceType]
        /// The name of a Pods, Object or External metric, as the ML rules compare it.
        let name: MetricName?

        init(index: Int, value: JSONValue) {
            self.index = index
            self.value = value
            type = value["type"]?.stringValue ?? ""
            sourceType = MetricSourceType(rawValue: type)
            source = sourceType.flatMap { value[$0.blockKey] }
            target = source?["target"]
            populatedSources = MetricSourceType.validationOrder.filter { value[$0.blockKey].isSet }
            name = (source?["metric"]?["name"]?.stringValue).map(MetricName.init)
        }

        public var pointer: JSONPointer { JSONPointer(tokens: ["spec", "metrics", String(index)]) }
        public var sourceKey: String? { sourceType?.blockKey }

        /// The resource name of a Resource or ContainerResource metric.
        public var resourceName: String? { source?["name"]?.stringValue }
        /// The metric name of a Pods, Object or External metric.
        public var metricName: String? { name?.written }
        public var container: String? { value["containerResource"]?["container"]?.stringValue }
    }
}

public enum MetricSourceType: String, Sendable, CaseIterable {
    case object = "Object"
    case pods = "Pods"
    case resource = "Resource"
    case containerResource = "ContainerResource"
    case external = "External"

    public var blockKey: String {
        switch self {
        case .object: return "object"
        case .pods: return "pods"
        case .resource: return "resource"
        case .containerResource: return "containerResource"
        case .external: return "external"
        }
    }

    /// The order in which the API server looks for a populated block.
    public static let validationOrder: [MetricSourceType] = [.object, .external, .pods, .resource, .containerResource]
}

/// `spec.scaleTargetRef`.
public struct ScaleTargetReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String

    public init(apiVersion: String, kind: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }

    /// The reference as written at `reference` (a `scaleTargetRef`); a field that is absent or not a string reads as
    /// its default.
    public init(_ reference: JSONValue?, defaultAPIVersion: String = "", defaultKind: String = "") {
        self.init(
            apiVersion: reference?["apiVersion"]?.stringValue ?? defaultAPIVersion,
            kind: reference?["kind"]?.stringValue ?? defaultKind, name: reference?["name"]?.stringValue ?? "")
    }

    public var group: String { APIVersion(apiVersion).group }
}

extension JSONPointer {
    /// Internal pointers start at the object root (`/spec/...`); the spec value itself starts below `spec`.
    var droppingSpecPrefix: JSONPointer {
        tokens.first == "spec" ? JSONPointer(tokens: Array(tokens.dropFirst())) : self
    }
}

/// Internal pointer → pointer as written. Entries name whole subtrees: a mapped prefix either keeps the rest of
/// the path (`keepsRest`, where the shapes agree) or stands for the whole subtree (an annotation, a v1 field).
struct PointerMap: Sendable {
    struct Entry: Sendable {
        let original: JSONPointer
        let keepsRest: Bool
    }

    var entries: [JSONPointer: Entry] = [:]

    mutating func map(_ internalPointer: JSONPointer, to original: JSONPointer, keepsRest: Bool = false) {
        entries[internalPointer] = Entry(original: original, keepsRest: keepsRest)
    }

    func original(for internalPointer: JSONPointer) -> JSONPointer {
        var prefix = internalPointer.tokens
        while true {
            if let entry = entries[JSONPointer(tokens: prefix)] {
                guard entry.keepsRest else { return entry.original }
                return entry.original.appending(JSONPointer(tokens: Array(internalPointer.tokens.dropFirst(prefix.count))))
            }
            if prefix.isEmpty { return internalPointer }
            prefix.removeLast()
        }
    }
}
