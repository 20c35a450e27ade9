/// Where a profile choice came from; recorded in the annotation and shown by the linter.
public enum ProfileSource: Sendable, Hashable, CustomStringConvertible {
    case annotation
    case policy(String)
    /// A model server found on the target (its kind and name): the parts, since most plans never print it.
    case detectedServer(String, kind: String, name: String)
    case detectedAccelerator(kind: String, name: String)

    public var description: String {
        switch self {
        case .annotation: return "chosen by the \(MutationAnnotation.profile) annotation"
        case .policy(let rule): return "chosen by the policy selector for \(rule)"
        case .detectedServer(let server, let kind, let name): return "detected from \(server) in \(kind) \(name)"
        case .detectedAccelerator(let kind, let name): return "detected from accelerator requests on \(kind) \(name)"
        }
    }
}

public enum MutationAnnotation {
    /// Names the profile to apply (`none` to opt out) on an HPA.
    public static let profile = "hpaguard.io/profile"
    /// Records what a profile attached, so that GitOps drift is explainable.
    public static let applied = "hpaguard.io/applied-profile"
}

/// What a profile will change on one HPA, and why; or why nothing changes.
public struct MutationPlan: Sendable {
    public enum Outcome: Sendable {
        /// No profile applies (none selected, or opted out); nothing to say.
        case noProfile
        /// Another controller owns the HPA and would revert any change.
        case ownedElsewhere(String)
        /// The object's version or shape rules out a mutation (autoscaling/v1, a spec that is not a mapping).
        case notMutable(String)
        /// The annotation names a profile that does not exist.
        case unknownProfile(String)
        /// The profile applies; `operations` is empty when everything is already set.
        case profile(Profile, source: ProfileSource, loadSeconds: Int64, loadSource: String)
    }

    public var outcome: Outcome
    /// JSON Patch operations against the object as received.
    public var operations: [JSONPatchOperation] = []
    /// Human-readable lines: what each operation sets and why.
    public var explanations: [String] = []
    /// The fields attached, as field paths; the same whether the linter or the webhook planned them.
    public var fields: [String] = []
    /// Metric blocks the profile recommends but never attaches.
    public var suggestions: [Profile.SuggestedMetric] = []

    public var isEmpty: Bool { operations.isEmpty }

    public init(outcome: Outcome) { self.outcome = outcome }

    /// The plan of an object no profile applies to.
    public static let none = MutationPlan(outcome: .noProfile)
}

/// Plans ML-aware mutations. Only fields the user left unset (after the API server's defaulting) are filled; never
/// scaleTargetRef, maxReplicas or metrics; never beyond the API's limits; idempotent.
public struct Mutator: Sendable {
    public let policy: Policy

    /// Whether the caller can tell an absent field from one the API server defaulted. The linter can; the webhook,
    /// which receives defaulted objects, cannot (it leaves minReplicas alone).
    public enum Vantage: Sendable { case manifest, admission }

    public init(policy: Policy) { self.policy = policy }

    public func plan(for object: ManifestObject, resolver: any WorkloadResolver, vantage: Vantage) -> MutationPlan {
        guard let hpa = HPA(object, checkingSchema: false) else { return MutationPlan(outcome: .noProfile) }
        let target = resolver.resolve(hpa.scaleTargetRef, namespace: object.namespace)
        return plan(for: hpa, target: target, vantage: vantage)
    }

    /// The plan for an HPA already converted whose target is already resolved (the engine's: one review converts
    /// and resolves once).
    public func plan(for hpa: HPA, target: TargetResolution, vantage: Vantage) -> MutationPlan {
        let object = hpa.object
        let workload = target.workload
        guard let (profile, source) = selectProfile(hpa: hpa, workload: workload) else {
            if let requested = object.annotation(MutationAnnotation.profile), !Self.optOut.contains(requested),
                policy.profile(named: requested) == nil
            {
                return MutationPlan(outcome: .unknownProfile(requested))
            }
            return MutationPlan(outcome: .noProfile)
        }
        if let owner = Self.owner(of: object) { return MutationPlan(outcome: .ownedElsewhere(owner)) }
        guard hpa.version == "v2" || hpa.version == "v2beta2" else {
            return MutationPlan(outcome: .notMutable(
                "autoscaling/\(hpa.version) carries behavior only in an annotation; write the HPA as autoscaling/v2 to get the \(profile.name) profile"))
        }
        guard object.value["spec"]?.objectValue != nil, object.value["metadata"]?.objectValue != nil else {
            return MutationPlan(outcome: .notMutable("the object has no spec or metadata mapping"))
        }

        let (loadSeconds, loadSource) = modelLoadSeconds(hpa: hpa, workload: workload, profile: profile)
        var plan = MutationPlan(outcome: .profile(profile, source: source, loadSeconds: loadSeconds, loadSource: loadSource))
        let written = object.value
        let window = profile.scaleDownWindow(loadSeconds: loadSeconds)
        // Made only where an operation needs it: most HPAs a lint run plans for already hold what the profile sets.
        func windowReason() -> String { "scale-down waits \(window)s (model load \(loadSeconds)s from \(loadSource))" }

        if written["spec"]?["behavior"] == nil || written["spec"]?["behavior"]?.isNull == true {
            // Without behavior the API server leaves it nil, so the webhook sees the same gap.
            let scaleDown: JSONValue = [
                "stabilizationWindowSeconds": .int(window),
                "selectPolicy": .string(profile.scaleDownSelectPolicy),
                "policies": .array(profile.scaleDownPolicies.map(\.json)),
            ]
            let period = profile.scaleUpPeriodSeconds
            let scaleUp: JSONValue = [
                "stabilizationWindowSeconds": 0,
                "selectPolicy": "Max",
                "policies": [["type": "Pods", "value": .int(profile.scaleUpPodsPerPeriod), "periodSeconds": .int(period)]],
            ]
            let paceReason = "scale-up adds at most \(profile.scaleUpPodsPerPeriod) pod(s) per \(period)s; the controller counts pods still loading as 0, so it does not add pods twice for the same load"
            plan.operations.append(JSONPatchOperation(path: "/spec/behavior", value: ["scaleUp": scaleUp, "scaleDown": scaleDown]))
            plan.explanations += ["spec.behavior.scaleDown: \(windowReason()), \(profile.scaleDownSelectPolicy.lowercased()) of its policies",
                                  "spec.behavior.scaleUp: \(paceReason)"]
            plan.fields.append("spec.behavior")
        } else if written["spec"]?["behavior"]?.objectValue != nil {
            // behavior was written: the API server fills every other field, so only the window is still open.
            if written["spec"]?["behavior"]?["scaleDown"] == nil || written["spec"]?["behavior"]?["scaleDown"]?.isNull == true {
                plan.operations.append(JSONPatchOperation(
                    path: "/spec/behavior/scaleDown", value: ["stabilizationWindowSeconds": .int(window)]))
                plan.explanations.append("spec.behavior.scaleDown.stabilizationWindowSeconds: \(windowReason())")
                plan.fields.append("spec.behavior.scaleDown.stabilizationWindowSeconds")
            } else if written["spec"]?["behavior"]?["scaleDown"]?.objectValue != nil,
                written["spec"]?["behavior"]?["scaleDown"]?["stabilizationWindowSeconds"] == nil
                    || written["spec"]?["behavior"]?["scaleDown"]?["stabilizationWindowSeconds"]?.isNull == true
            {
                plan.operations.append(JSONPatchOperation(
                    path: "/spec/behavior/scaleDown/stabilizationWindowSeconds", value: .int(window)))
                plan.explanations.append("spec.behavior.scaleDown.stabilizationWindowSeconds: \(windowReason())")
                plan.fields.append("spec.behavior.scaleDown.stabilizationWindowSeconds")
            }
        }
        if vantage == .manifest, let floor = profile.minReplicas,
            written["spec"]?["minReplicas"] == nil || written["spec"]?["minReplicas"]?.isNull == true
        {
            let maxReplicas = hpa.maxReplicas ?? floor
            let minReplicas = max(1, min(floor, maxReplicas))
            plan.operations.append(JSONPatchOperation(path: "/spec/minReplicas", value: .int(minReplicas)))
            plan.explanations.append("spec.minReplicas: \(minReplicas), the profile's floor (capped at maxReplicas)")
            plan.fields.append("spec.minReplicas")
        }
        if !plan.operations.isEmpty {
            let record = "\(profile.name), \(source); model load \(loadSeconds)s from \(loadSource); set "
                + plan.fields.joined(separator: ", ")
            if written["metadata"]?["annotations"]?.objectValue == nil {
                plan.operations.append(JSONPatchOperation(
                    path: "/metadata/annotations", value: .object(JSONObject([(MutationAnnotation.applied, .string(record))]))))
            } else {
                plan.operations.append(JSONPatchOperation(
                    path: JSONPointer(tokens: ["metadata", "annotations", MutationAnnotation.applied]), value: .string(record)))
            }
        }
        plan.suggestions = suggestedMetrics(hpa: hpa, workload: workload, profile: profile)
        return plan
    }

    static let optOut: Set<String> = ["none", "off", "false"]

    /// First match wins: the HPA's annotation, the policy's selectors, detection from the target.
    func selectProfile(hpa: HPA, workload: Workload?) -> (Profile, ProfileSource)? {
        if let requested = hpa.annotation(MutationAnnotation.profile) {
            if Self.optOut.contains(requested) { return nil }
            return policy.profile(named: requested).map { ($0, .annotation) }
        }
        for selector in policy.profileSelectors where selector.matches(hpa.object) {
            if let profile = policy.profile(named: selector.profile) { return (profile, .policy(selector.description)) }
        }
        guard policy.detectProfiles, let workload else { return nil }
        let servers = workload.modelServers
        let accelerated = workload.requestsAccelerator
        for profile in policy.profiles where !profile.detect.isEmpty {
            if let server = profile.detect.modelServers.first(where: { ModelServer(rawValue: $0).map(servers.contains) ?? false }) {
                return (profile, .detectedServer(server, kind: workload.object.kind, name: workload.object.name ?? ""))
            }
            if profile.detect.accelerators, accelerated {
                return (profile, .detectedAccelerator(kind: workload.object.kind, name: workload.object.name ?? ""))
            }
        }
        return nil
    }

    /// The annotation on the HPA, then on the target, then the target's startupProbe budget, then the profile.
    func modelLoadSeconds(hpa: HPA, workload: Workload?, profile: Profile) -> (Int64, String) {
        if case .known(let time) = ModelLoadTime.lookup(hpa: hpa, workload: workload, skippingInvalid: true) {
            return (time.seconds, time.source)
        }
        return (profile.defaultModelLoadSeconds, "the profile's default")
    }

    /// Queue metrics for the model servers on the target, when the HPA scales on cpu/memory only.
    func suggestedMetrics(hpa: HPA, workload: Workload?, profile: Profile) -> [Profile.SuggestedMetric] {
        guard let workload else { return [] }
        let resourceOnly = hpa.metrics.allSatisfy { $0.type == "Resource" || $0.type == "ContainerResource" }
        guard resourceOnly else { return [] }
        let servers = workload.modelServers
        return profile.suggestedMetrics.filter { ModelServer(rawValue: $0.modelServer).map(servers.contains) ?? false }
    }

    /// The controller that owns the HPA and would revert a mutation, if any.
    static func owner(of object: ManifestObject) -> String? {
        for reference in object.value["metadata"]?["ownerReferences"]?.arrayValue ?? [] {
            let kind = reference["kind"]?.stringValue ?? ""
            let group = APIVersion(reference["apiVersion"]?.stringValue ?? "").group
            if group == "keda.sh" || group.hasSuffix("kserve.io") || group == "serving.knative.dev" {
                return "\(kind) \(reference["name"]?.stringValue ?? "") (\(group)) owns it and would revert the change"
            }
        }
        if let name = object.name, name.hasPrefix("keda-hpa-") {
            return "KEDA generated it (keda-hpa-*) and would revert the change; configure the ScaledObject's advanced.horizontalPodAutoscalerConfig instead"
        }
        if let manager = object.labels["app.kubernetes.io/managed-by"], ["keda-operator", "kserve"].contains(manager) {
            return "\(manager) manages it and would revert the change"
        }
        return nil
    }
}
