/// Annotation names of the autoscaling/v1 round trip (pkg/apis/autoscaling/annotations.go).
public enum AutoscalingAnnotation {
    public static let metrics = "autoscaling.alpha.kubernetes.io/metrics"
    public static let behavior = "autoscaling.alpha.kubernetes.io/behavior"
    /// autoscaling/v2beta2 has no `tolerance`: its conversion carries `behavior.scaleUp.tolerance` and
    /// `behavior.scaleDown.tolerance` in these (pkg/apis/autoscaling/v2beta2/conversion.go).
    public static let scaleUpTolerance = "autoscaling.alpha.kubernetes.io/scale-up-tolerance"
    public static let scaleDownTolerance = "autoscaling.alpha.kubernetes.io/scale-down-tolerance"
}

extension HPA {
    /// True for `HorizontalPodAutoscaler` in the `autoscaling` group, any version.
    public static func isHPA(_ object: ManifestObject) -> Bool {
        object.kind == "HorizontalPodAutoscaler" && object.group == "autoscaling"
    }

    /// Converts an autoscaling object to the internal form and applies the API server's defaults; nil when the
    /// object is not an HPA.
    public init?(_ object: ManifestObject) {
        self.init(object, checkingSchema: true)
    }

    /// As `init(_:)`; without `checkingSchema` the schema is not walked and `schemaProblems` is empty (for callers
    /// that only plan mutations, which never read it).
    init?(_ object: ManifestObject, checkingSchema: Bool) {
        guard HPA.isHPA(object) else { return nil }
        var converter = Converter(object: object)
        let version = APIVersion(object.apiVersion).version
        switch version {
        case "v1": converter.convertV1()
        case "v2beta1": converter.convertV2beta1()
        case "v2beta2": converter.convertV2beta2()
        default: converter.convertV2()
        }
        converter.applyDefaults(behaviorDefaults: version != "v1")
        self.object = object
        self.version = version
        self.spec = .object(converter.spec)
        minReplicas = converter.spec["minReplicas"]?.integerValue
        maxReplicas = converter.spec["maxReplicas"]?.integerValue
        scaleTargetRef = ScaleTargetReference(converter.spec["scaleTargetRef"])
        self.metrics = (converter.spec["metrics"]?.arrayValue ?? []).enumerated().map {
            Metric(index: $0.offset, value: $0.element)
        }
        self.defaulted = converter.defaulted
        self.conversionNotes = converter.notes
        self.schemaProblems =
            checkingSchema
            ? HPASchema.object(version: version).map { HPASchema.problems(in: object.value, schema: $0) } ?? [] : []
        self.pointerMap = converter.map
    }
}

/// Builds the internal spec; mirrors pkg/apis/autoscaling/{v1,v2beta1}/conversion.go and v2/defaults.go.
private struct Converter {
    let object: ManifestObject
    var spec = JSONObject()
    var map = PointerMap()
    var defaulted: Set<JSONPointer> = []
    var notes: [HPA.ConversionNote] = []

    init(object: ManifestObject) { self.object = object }

    private var writtenSpec: JSONObject { object.value["spec"]?.objectValue ?? JSONObject() }

    mutating func convertV2() {
        spec = writtenSpec
    }

    /// v2beta2 is v2 but for `tolerance`, which it round-trips through annotations: a quantity there becomes the
    /// direction's tolerance; one that does not parse fails the conversion, so the API server refuses the object.
    mutating func convertV2beta2() {
        spec = writtenSpec
        let annotations = object.value["metadata"]?["annotations"]
        let annotationsBase = JSONPointer(tokens: ["metadata", "annotations"])
        for (annotation, direction) in [
            (AutoscalingAnnotation.scaleUpTolerance, "scaleUp"), (AutoscalingAnnotation.scaleDownTolerance, "scaleDown"),
        ] {
            guard let text = annotations?[annotation]?.stringValue else { continue }
            let annotationPointer = annotationsBase / annotation
            guard Quantity(parsing: text) != nil else {
                notes.append(.init(
                    pointer: annotationPointer,
                    message: "the \(annotation) annotation (\(text)) is not a quantity; the API server cannot convert the "
                        + "object and refuses it"))
                continue
            }
            var behavior = spec["behavior"]?.objectValue ?? JSONObject()
            var rules = behavior[direction]?.objectValue ?? JSONObject()
            rules["tolerance"] = .string(text)
            behavior[direction] = .object(rules)
            spec["behavior"] = .object(behavior)
            map.map(JSONPointer(tokens: ["spec", "behavior", direction, "tolerance"]), to: annotationPointer)
        }
    }

    mutating func convertV2beta1() {
        spec = writtenSpec
        guard let metrics = writtenSpec["metrics"]?.arrayValue else { return }
        var converted: [JSONValue] = []
        for (index, metric) in metrics.enumerated() {
            let base = JSONPointer(tokens: ["spec", "metrics", String(index)])
            converted.append(convertLegacyMetric(metric, internalBase: base, fieldPointer: { base.appending($0) }))
        }
        spec["metrics"] = .array(converted)
    }

    mutating func convertV1() {
        let written = writtenSpec
        for key in ["scaleTargetRef", "minReplicas", "maxReplicas"] {
            if let value = written[key] { spec[key] = value }
        }
        var metrics: [JSONValue] = []
        let annotations = object.value["metadata"]?["annotations"]
        let annotationsBase = JSONPointer(tokens: ["metadata", "annotations"])

        // v1 has no metrics list: the list as a whole is where its metrics were written, the annotation first.
        var metricsWrittenAt: JSONPointer?
        if let text = annotations?[AutoscalingAnnotation.metrics]?.stringValue {
            let annotationPointer = annotationsBase / AutoscalingAnnotation.metrics
            if let legacy = parseEmbeddedJSON(text)?.arrayValue {
                if !legacy.isEmpty { metricsWrittenAt = annotationPointer }
                for metric in legacy {
                    let base = JSONPointer(tokens: ["spec", "metrics", String(metrics.count)])
                    map.map(base, to: annotationPointer)
                    metrics.append(convertLegacyMetric(metric, internalBase: base, fieldPointer: { _ in annotationPointer }))
                }
            } else {
                notes.append(.init(
                    pointer: annotationPointer,
                    message: "the \(AutoscalingAnnotation.metrics) annotation is not a JSON array of metrics; the API server ignores it"))
            }
        }
        // A null targetCPUUtilizationPercentage decodes as a nil pointer: no CPU metric, so the default applies.
        if let cpu = written["targetCPUUtilizationPercentage"], !cpu.isNull {
            let base = JSONPointer(tokens: ["spec", "metrics", String(metrics.count)])
            let cpuPointer = JSONPointer(tokens: ["spec", "targetCPUUtilizationPercentage"])
            map.map(base, to: cpuPointer)
            metricsWrittenAt = metricsWrittenAt ?? cpuPointer
            metrics.append(cpuMetric(utilization: cpu))
        }
        if !metrics.isEmpty { spec["metrics"] = .array(metrics) }
        if let metricsWrittenAt { map.map(JSONPointer(tokens: ["spec", "metrics"]), to: metricsWrittenAt) }

        if let text = annotations?[AutoscalingAnnotation.behavior]?.stringValue {
            let annotationPointer = annotationsBase / AutoscalingAnnotation.behavior
            if let behavior = parseEmbeddedJSON(text), case .object(let fields) = behavior {
                if !fields.isEmpty {
                    spec["behavior"] = lowercasingGoFieldNames(behavior)
                    map.map(JSONPointer(tokens: ["spec", "behavior"]), to: annotationPointer)
                }
            } else {
                notes.append(.init(
                    pointer: annotationPointer,
                    message: "the \(AutoscalingAnnotation.behavior) annotation is not a JSON object; the API server ignores it"))
            }
        }
    }

    /// v2 defaulting (SetDefaults_HorizontalPodAutoscaler); v1 gets minReplicas and the CPU metric only.
    mutating func applyDefaults(behaviorDefaults: Bool) {
        // Pointers and writes only for what is defaulted: most HPAs that write behavior write all of it, and an
        // unchanged spec is not copied.
        func internalPointer(_ tokens: String...) -> JSONPointer { JSONPointer(tokens: ["spec"] + tokens) }
        if spec["minReplicas"] == nil || spec["minReplicas"] == .null {
            spec["minReplicas"] = 1
            defaulted.insert(internalPointer("minReplicas"))
            map.map(internalPointer("minReplicas"), to: internalPointer())
        }
        let metrics = spec["metrics"]?.arrayValue ?? []
        if metrics.isEmpty, spec["metrics"] == nil || spec["metrics"]?.isNull == true || spec["metrics"]?.arrayValue != nil {
            spec["metrics"] = .array([cpuMetric(utilization: 80)])
            defaulted.insert(internalPointer("metrics"))
            map.map(internalPointer("metrics"), to: internalPointer())
        }
        guard behaviorDefaults, case .object(var behavior)? = spec["behavior"] else { return }
        var behaviorChanged = false
        for direction in ["scaleUp", "scaleDown"] {
            var rules: JSONObject
            var rulesChanged = false
            if case .object(let written)? = behavior[direction] {
                rules = written
            } else {
                rules = JSONObject()
                defaulted.insert(internalPointer("behavior", direction))
                rulesChanged = true
            }
            // The default is built only when it is used.
            func fill(_ key: String, _ value: @autoclosure () -> JSONValue) {
                guard rules[key] == nil || rules[key] == .null else { return }
                rules[key] = value()
                defaulted.insert(internalPointer("behavior", direction, key))
                rulesChanged = true
            }
            if direction == "scaleUp" {
                fill("stabilizationWindowSeconds", 0)
                fill("selectPolicy", "Max")
                fill("policies", [
                    ["type": "Pods", "value": 4, "periodSeconds": 15],
                    ["type": "Percent", "value": 100, "periodSeconds": 15],
                ])
            } else {
                // stabilizationWindowSeconds stays nil: the controller's --horizontal-pod-autoscaler-downscale-stabilization
                // (default 5m) must be able to override it.
                fill("selectPolicy", "Max")
                fill("policies", [["type": "Percent", "value": 100, "periodSeconds": 15]])
            }
            if rulesChanged {
                behavior[direction] = .object(rules)
                behaviorChanged = true
            }
        }
        if behaviorChanged { spec["behavior"] = .object(behavior) }
    }

    private func cpuMetric(utilization: JSONValue) -> JSONValue {
        [
            "type": "Resource",
            "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": utilization]],
        ]
    }

    /// v2beta1 (and v1 annotation) MetricSpec → internal MetricSpec.
    private mutating func convertLegacyMetric(
        _ metric: JSONValue, internalBase: JSONPointer, fieldPointer: (JSONPointer) -> JSONPointer
    ) -> JSONValue {
        guard case .object(let fields) = metric else { return metric }
        var out = JSONObject()
        if let type = fields["type"] { out["type"] = type }

        func note(_ internalRelative: JSONPointer, _ writtenRelative: JSONPointer) {
            map.map(internalBase.appending(internalRelative), to: fieldPointer(writtenRelative))
        }
        note("/type", "/type")

        for (key, block) in fields.members.map({ ($0.key, $0.value) }) where key != "type" {
            guard case .object(let source) = block else {
                out[key] = block
                continue
            }
            var converted = JSONObject()
            var target = JSONObject()
            let blockPointer = JSONPointer(tokens: [key])
            note(blockPointer, blockPointer)
            switch key {
            case "resource", "containerResource":
                if let name = source["name"] { converted["name"] = name; note(blockPointer / "name", blockPointer / "name") }
                if let container = source["container"] {
                    converted["container"] = container
                    note(blockPointer / "container", blockPointer / "container")
                }
                let utilization = source["targetAverageUtilization"]
                target["type"] = utilization == nil ? "AverageValue" : "Utilization"
                if let utilization {
                    target["averageUtilization"] = utilization
                    note(blockPointer / "target" / "averageUtilization", blockPointer / "targetAverageUtilization")
                }
                if let average = source["targetAverageValue"] {
                    target["averageValue"] = average
                    note(blockPointer / "target" / "averageValue", blockPointer / "targetAverageValue")
                }
            case "pods":
                converted["metric"] = identifier(source["metricName"], source["selector"])
                note(blockPointer / "metric" / "name", blockPointer / "metricName")
                note(blockPointer / "metric" / "selector", blockPointer / "selector")
                target["type"] = "AverageValue"
                if let average = source["targetAverageValue"] {
                    target["averageValue"] = average
                    note(blockPointer / "target" / "averageValue", blockPointer / "targetAverageValue")
                }
            case "object":
                if let described = source["target"] {
                    converted["describedObject"] = described
                    map.map(internalBase.appending(blockPointer / "describedObject"), to: fieldPointer(blockPointer / "target"),
                            keepsRest: true)
                }
                converted["metric"] = identifier(source["metricName"], source["selector"])
                note(blockPointer / "metric" / "name", blockPointer / "metricName")
                note(blockPointer / "metric" / "selector", blockPointer / "selector")
                target["type"] = source["averageValue"] == nil ? "Value" : "AverageValue"
                // targetValue is not a pointer in v2beta1, so the internal object always carries a value.
                target["value"] = source["targetValue"] ?? "0"
                note(blockPointer / "target" / "value", blockPointer / "targetValue")
                if let average = source["averageValue"] {
                    target["averageValue"] = average
                    note(blockPointer / "target" / "averageValue", blockPointer / "averageValue")
                }
            case "external":
                converted["metric"] = identifier(source["metricName"], source["metricSelector"])
                note(blockPointer / "metric" / "name", blockPointer / "metricName")
                note(blockPointer / "metric" / "selector", blockPointer / "metricSelector")
                target["type"] = source["targetValue"] == nil ? "AverageValue" : "Value"
                if let value = source["targetValue"] {
                    target["value"] = value
                    note(blockPointer / "target" / "value", blockPointer / "targetValue")
                }
                if let average = source["targetAverageValue"] {
                    target["averageValue"] = average
                    note(blockPointer / "target" / "averageValue", blockPointer / "targetAverageValue")
                }
            default:
                out[key] = block
                continue
            }
            note(blockPointer / "target", blockPointer)
            converted["target"] = .object(target)
            out[key] = .object(converted)
        }
        return .object(out)
    }

    private func identifier(_ name: JSONValue?, _ selector: JSONValue?) -> JSONValue {
        var metric = JSONObject()
        if let name { metric["name"] = name }
        if let selector { metric["selector"] = selector }
        return .object(metric)
    }
}

/// The behavior annotation is the internal Go struct marshalled without json tags: `ScaleUp`, `PeriodSeconds`, ...
private func lowercasingGoFieldNames(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
        var out = JSONObject()
        for member in object {
            let key = member.key.prefix(1).lowercased() + member.key.dropFirst()
            out.append(key: key, value: lowercasingGoFieldNames(member.value))
        }
        return .object(out)
    case .array(let items):
        return .array(items.map(lowercasingGoFieldNames))
    default:
        return value
    }
}
