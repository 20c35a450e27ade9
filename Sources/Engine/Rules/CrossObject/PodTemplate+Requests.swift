/// What the HPA controller needs from a pod template to compute a Utilization target
/// (kubernetes/kubernetes `pkg/controller/podautoscaler/replica_calculator.go`, `calculatePodRequests`).
extension PodTemplate {
    /// Pod-level requests (`spec.resources`, KEP-2837) replace the per-container sum for a Resource metric from the
    /// release where PodLevelResources is on by default.
    static let podLevelRequestsSince = KubeVersion(major: 1, minor: 34)

    /// The pod-level request for `resource`, or the pod-level limit the API server defaults it from.
    func podLevelRequest(for resource: String) -> Quantity? {
        let resources = value["spec"]?["resources"]
        return (resources?["requests"]?[resource]).flatMap(Quantity.init)
            ?? (resources?["limits"]?[resource]).flatMap(Quantity.init)
    }

    /// The containers whose missing `resource` request makes the controller fail with "missing request for
    /// <resource> in container <name>": app containers and sidecars, unless a pod-level request covers the pod.
    func containersMissingRequest(for resource: String, kubeVersion: KubeVersion) -> [Container] {
        if kubeVersion >= Self.podLevelRequestsSince, podLevelRequest(for: resource) != nil { return [] }
        return servingContainers.filter { $0.request(for: resource) == nil }
    }
}

// MARK: - How messages name things

extension Container {
    /// `"envoy" (sidecar)` or `"vllm"`, the way messages name a container.
    var quotedName: String { isSidecar ? "\"\(name)\" (sidecar)" : "\"\(name)\"" }
}

extension HPA.Metric {
    /// True when the target is a percentage of the pods' requests, the only target type that needs them.
    var targetsUtilization: Bool { target?["type"]?.stringValue == "Utilization" }
}

extension ObjectReference {
    /// "Deployment web", without the namespace the HPA shares.
    var kindAndName: String { "\(kind) \(name ?? "")" }
}
