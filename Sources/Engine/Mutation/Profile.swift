/// An ML scaling profile: data (policies/profiles/*.yaml) that says which scaling behavior to attach to an HPA
/// whose user left it unset.
public struct Profile: Sendable, Hashable {
    public struct Detection: Sendable, Hashable {
        /// Model servers (vllm, tgi, triton, ...) any of which, found on the target, selects the profile.
        public var modelServers: [String] = []
        /// True: a target that requests an accelerator selects the profile.
        public var accelerators: Bool = false

        public var isEmpty: Bool { modelServers.isEmpty && !accelerators }
    }

    public struct ScalingPolicy: Sendable, Hashable {
        public var type: String
        public var value: Int64
        public var periodSeconds: Int64

        var json: JSONValue { ["type": .string(type), "value": .int(value), "periodSeconds": .int(periodSeconds)] }
    }

    /// A metric the profile recommends for a model server; reported, never attached (it depends on the adapter).
    public struct SuggestedMetric: Sendable, Hashable {
        public var modelServer: String
        public var name: String
        public var averageValue: String
    }

    public var name: String
    public var summary: String
    public var detect: Detection
    /// Used when neither the annotation nor the target's startupProbe says how long the model takes to load.
    public var defaultModelLoadSeconds: Int64
    /// The linter fills a missing minReplicas with this floor (the webhook cannot tell it was missing).
    public var minReplicas: Int64?
    /// window = clamp(factor × load, minWindowSeconds, 3600).
    public var scaleDownWindowFactor: Double
    public var scaleDownMinWindowSeconds: Int64
    public var scaleDownPolicies: [ScalingPolicy]
    public var scaleDownSelectPolicy: String
    /// Pods added per `scaleUpPeriodSeconds`.
    public var scaleUpPodsPerPeriod: Int64
    /// The scale-up policy's period (`scaleUp.minPeriodSeconds` in the file; 1 to 1800, checked on load), whatever
    /// the model load time: the controller already counts pods that are still loading (no metrics yet) as 0 on
    /// scale-up, so it does not pile pods on while they load, and pacing by the load time only delays the pods a
    /// spike needs (docs/simulate.md measures it).
    public var scaleUpPeriodSeconds: Int64
    public var suggestedMetrics: [SuggestedMetric]

    /// The API server's limits (validation.go: MaxStabilizationWindowSeconds, MaxPeriodSeconds).
    public static let maxStabilizationWindowSeconds: Int64 = 3600
    public static let maxPeriodSeconds: Int64 = 1800

    public func scaleDownWindow(loadSeconds: Int64) -> Int64 {
        // Clamped before it becomes an integer: a load time written as any Int64 (the annotation) times the factor
        // can exceed Int64, and the window is capped far below that anyway.
        let derived = (scaleDownWindowFactor * Double(loadSeconds)).rounded(.up)
        let window = min(max(derived, Double(scaleDownMinWindowSeconds)), Double(Profile.maxStabilizationWindowSeconds))
        return Int64(window)
    }
}

/// Why a profile file was refused; names the file, line and key like `PolicyError`.
public typealias ProfileError = PolicyError

extension Profile {
    /// Reads a profile document; every key is checked, so a typo is an error rather than a silent default.
    public init(_ value: JSONValue, file: String, locator: (any SourceLocating)? = nil) throws(ProfileError) {
        func fail(_ pointer: JSONPointer, _ message: String) -> ProfileError {
            PolicyError(file: file, position: locator?.position(of: pointer), key: pointer.fieldPath, message: message)
        }
        guard case .object(let root) = value else { throw fail(.root, "a profile is a mapping") }
        let known: Set<String> = [
            "apiVersion", "kind", "name", "summary", "detect", "modelLoadSeconds", "minReplicas", "scaleDown", "scaleUp",
            "suggestedMetrics",
        ]
        for member in root where !known.contains(member.key) {
            throw fail(JSONPointer.root / member.key, "unknown key (expected one of \(known.sorted().joined(separator: ", ")))")
        }
        if let kind = root["kind"], kind.stringValue != "Profile" { throw fail("/kind", "expected kind: Profile") }
        guard let name = root["name"]?.stringValue, !name.isEmpty else { throw fail("/name", "a profile needs a name") }

        func integer(_ pointer: JSONPointer, in range: ClosedRange<Int64>, default fallback: Int64? = nil) throws(ProfileError) -> Int64 {
            guard let raw = value[pointer], !raw.isNull else {
                if let fallback { return fallback }
                throw fail(pointer, "required")
            }
            guard let number = raw.integerValue, range.contains(number) else {
                throw fail(pointer, "expected an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        func object(_ pointer: JSONPointer, keys: Set<String>) throws(ProfileError) -> JSONObject {
            guard let raw = value[pointer], !raw.isNull else { return JSONObject() }
            guard case .object(let fields) = raw else { throw fail(pointer, "expected a mapping") }
            for field in fields where !keys.contains(field.key) {
                throw fail(pointer / field.key, "unknown key (expected one of \(keys.sorted().joined(separator: ", ")))")
            }
            return fields
        }

        let detectFields = try object("/detect", keys: ["modelServers", "accelerators"])
        var detect = Detection()
        if let servers = detectFields["modelServers"] {
            guard case .array(let items) = servers, items.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("/detect/modelServers", "expected a list of model server names")
            }
            detect.modelServers = items.compactMap(\.stringValue)
            for (index, server) in detect.modelServers.enumerated() where ModelServer(rawValue: server) == nil {
                throw fail(JSONPointer("/detect/modelServers") / index,
                           "unknown model server '\(server)' (known: \(ModelServer.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        if let accelerators = detectFields["accelerators"] {
            guard let flag = accelerators.boolValue else { throw fail("/detect/accelerators", "expected true or false") }
            detect.accelerators = flag
        }

        _ = try object("/scaleDown", keys: ["windowFactor", "minWindowSeconds", "policies", "selectPolicy"])
        _ = try object("/scaleUp", keys: ["podsPerPeriod", "minPeriodSeconds"])

        let factor: Double
        switch value["scaleDown"]?["windowFactor"] {
        case .int(let number)?: factor = Double(number)
        case .double(let number)?: factor = number
        case nil, .null?: factor = 1
        default: throw fail("/scaleDown/windowFactor", "expected a number")
        }
        guard factor > 0, factor <= 100 else { throw fail("/scaleDown/windowFactor", "expected a number above 0 and at most 100") }

        var policies: [ScalingPolicy] = []
        if let list = value["scaleDown"]?["policies"], !list.isNull {
            guard case .array(let items) = list, !items.isEmpty else {
                throw fail("/scaleDown/policies", "expected a non-empty list of {type, value, periodSeconds}")
            }
            for index in items.indices {
                let pointer = JSONPointer("/scaleDown/policies") / index
                _ = try object(pointer, keys: ["type", "value", "periodSeconds"])
                guard let type = value[pointer / "type"]?.stringValue, ["Pods", "Percent"].contains(type) else {
                    throw fail(pointer / "type", "expected Pods or Percent")
                }
                policies.append(ScalingPolicy(
                    type: type, value: try integer(pointer / "value", in: 1...100_000),
                    periodSeconds: try integer(pointer / "periodSeconds", in: 1...Profile.maxPeriodSeconds)))
            }
        }
        let selectPolicy = value["scaleDown"]?["selectPolicy"]?.stringValue ?? "Min"
        guard ["Min", "Max", "Disabled"].contains(selectPolicy) else { throw fail("/scaleDown/selectPolicy", "expected Min, Max or Disabled") }

        var suggestions: [SuggestedMetric] = []
        if let metrics = value["suggestedMetrics"], !metrics.isNull {
            guard case .object(let byServer) = metrics else { throw fail("/suggestedMetrics", "expected a mapping of model server to metric") }
            for entry in byServer {
                let pointer = JSONPointer(tokens: ["suggestedMetrics", entry.key])
                guard ModelServer(rawValue: entry.key) != nil else { throw fail(pointer, "unknown model server '\(entry.key)'") }
                _ = try object(pointer, keys: ["name", "averageValue"])
                guard let metricName = entry.value["name"]?.stringValue, let average = entry.value["averageValue"],
                    let quantity = Quantity(average), quantity.value > 0
                else { throw fail(pointer, "expected {name: METRIC, averageValue: QUANTITY > 0}") }
                suggestions.append(SuggestedMetric(modelServer: entry.key, name: metricName, averageValue: quantity.text))
            }
        }

        self.init(
            name: name, summary: root["summary"]?.stringValue ?? "", detect: detect,
            defaultModelLoadSeconds: try integer("/modelLoadSeconds", in: 1...86_400, default: 60),
            minReplicas: value["minReplicas"] == nil ? nil : try integer("/minReplicas", in: 1...10_000),
            scaleDownWindowFactor: factor,
            scaleDownMinWindowSeconds: try integer("/scaleDown/minWindowSeconds", in: 0...Profile.maxStabilizationWindowSeconds, default: 300),
            scaleDownPolicies: policies.isEmpty ? [ScalingPolicy(type: "Percent", value: 10, periodSeconds: 60)] : policies,
            scaleDownSelectPolicy: selectPolicy,
            scaleUpPodsPerPeriod: try integer("/scaleUp/podsPerPeriod", in: 1...10_000, default: 1),
            scaleUpPeriodSeconds: try integer("/scaleUp/minPeriodSeconds", in: 1...Profile.maxPeriodSeconds, default: 15),
            suggestedMetrics: suggestions)
    }
}
