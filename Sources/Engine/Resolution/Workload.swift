/// A kind that an HPA can scale, and where its pod templates live.
public struct WorkloadKind: Sendable, Hashable {
    public let group: String
    public let kind: String
    /// Pointers to pod templates (`/spec/template`); empty for a scalable kind whose pods hpaguard cannot see.
    /// The first one present is the template of the pods the HPA measures (see `Workload.measuredPodTemplate`).
    public let podTemplatePaths: [JSONPointer]

    public init(group: String, kind: String, podTemplatePaths: [JSONPointer]) {
        self.group = group
        self.kind = kind
        self.podTemplatePaths = podTemplatePaths
    }

    /// The built-in kinds; a policy adds more under `workloadKinds`.
    public static let builtIn: [WorkloadKind] = [
        WorkloadKind(group: "apps", kind: "Deployment", podTemplatePaths: ["/spec/template"]),
        WorkloadKind(group: "apps", kind: "StatefulSet", podTemplatePaths: ["/spec/template"]),
        WorkloadKind(group: "apps", kind: "ReplicaSet", podTemplatePaths: ["/spec/template"]),
        WorkloadKind(group: "", kind: "ReplicationController", podTemplatePaths: ["/spec/template"]),
        WorkloadKind(group: "argoproj.io", kind: "Rollout", podTemplatePaths: ["/spec/template"]),
        WorkloadKind(
            group: "leaderworkerset.x-k8s.io", kind: "LeaderWorkerSet",
            podTemplatePaths: ["/spec/leaderWorkerTemplate/leaderTemplate", "/spec/leaderWorkerTemplate/workerTemplate"]),
    ]
}

/// A container of a pod template, with where it was written.
public struct Container: Sendable {
    public let name: String
    public let value: JSONValue
    /// Pointer relative to the workload object (`/spec/template/spec/containers/0`).
    public let pointer: JSONPointer
    /// True for an init container with `restartPolicy: Always` (a sidecar): it runs beside the app and counts for
    /// the HPA's utilization.
    public let isSidecar: Bool

    public var image: String { value["image"]?.stringValue ?? "" }
    public var args: [String] {
        (value["command"]?.arrayValue ?? []).compactMap(\.stringValue) + (value["args"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// The request the API server ends up with: an explicit request, or the limit it is defaulted from.
    public func request(for resource: String) -> Quantity? {
        let resources = value["resources"]
        if let request = resources?["requests"]?[resource], let quantity = Quantity(request) { return quantity }
        if let limit = resources?["limits"]?[resource], let quantity = Quantity(limit) { return quantity }
        return nil
    }

    public func hasProbe(_ key: String) -> Bool {
        if let probe = value[key], !probe.isNull { return true }
        return false
    }
}

/// A pod template of a workload.
public struct PodTemplate: Sendable {
    public let value: JSONValue
    public let pointer: JSONPointer

    public var labels: [String: String] {
        var labels: [String: String] = [:]
        for member in value["metadata"]?["labels"]?.objectValue ?? JSONObject() {
            if let text = member.value.stringValue { labels[member.key] = text }
        }
        return labels
    }

    /// Containers the HPA controller sums requests over: app containers and sidecars.
    public var servingContainers: [Container] {
        let spec = pointer / "spec"
        var result: [Container] = []
        for (index, container) in (value["spec"]?["containers"]?.arrayValue ?? []).enumerated() {
            result.append(Container(
                name: container["name"]?.stringValue ?? "", value: container,
                pointer: spec / "containers" / index, isSidecar: false))
        }
        for (index, container) in (value["spec"]?["initContainers"]?.arrayValue ?? []).enumerated()
        where container["restartPolicy"]?.stringValue == "Always" {
            result.append(Container(
                name: container["name"]?.stringValue ?? "", value: container,
                pointer: spec / "initContainers" / index, isSidecar: true))
        }
        return result
    }
}

/// A workload an HPA targets.
///
/// A class: a dozen rules read the target of every reviewed HPA, each through a copy of its resolution, and a copy
/// of a reference is one count where a copy of these fields would be a dozen.
public final class Workload: Sendable {
    public let object: ManifestObject
    public let kind: WorkloadKind?
    /// Read once, when the target is resolved: several rules read them for every HPA.
    public let podTemplates: [PodTemplate]
    public let containers: [Container]
    /// Model servers running in any serving container.
    public let modelServers: Set<ModelServer>
    /// What `ModelServer.detect` finds in each of `containers`, in their order.
    private let serversByContainer: [Set<ModelServer>]

    public init(object: ManifestObject, kind: WorkloadKind?) {
        self.object = object
        self.kind = kind
        podTemplates = (kind?.podTemplatePaths ?? []).compactMap { pointer in
            guard let template = object.value[pointer], template.objectValue != nil else { return nil }
            return PodTemplate(value: template, pointer: pointer)
        }
        containers = podTemplates.flatMap(\.servingContainers)
        serversByContainer = containers.map(ModelServer.detect)
        modelServers = serversByContainer.reduce(into: []) { $0.formUnion($1) }
    }

    /// The model servers `container`, one of `containers`, runs.
    public func modelServers(in container: Container) -> Set<ModelServer> {
        containers.firstIndex { $0.pointer == container.pointer }.map { serversByContainer[$0] }
            ?? ModelServer.detect(in: container)
    }

    /// The template of the pods the HPA reads metrics from: the first template present. Every built-in kind has
    /// one template except LeaderWorkerSet, whose scale subresource selects leader pods only; they use the leader
    /// template, or the worker template when there is none (the order of `podTemplatePaths`).
    public var measuredPodTemplate: PodTemplate? { podTemplates.first }

    public var annotations: [String: String] { object.annotations }
}

/// What became of looking up an HPA's `scaleTargetRef`.
public enum TargetResolution: Sendable {
    case found(Workload)
    /// Objects of that kind and name exist, but in other namespaces than the HPA's.
    case foundInOtherNamespaces([String])
    /// Not among the objects the resolver knows; `complete` says whether that set is the whole cluster.
    case notFound(complete: Bool)
    /// The lookup itself failed (the API server is slow or down); the reason names what went wrong.
    case unavailable(String)
    /// Several objects share the target's API group, kind, namespace and name (`duplicate-object` reports each):
    /// which one the cluster ends up with depends on the order they are applied in, so none is checked.
    case ambiguous(count: Int)
    /// Not in the reference's API group, but an object of that kind and name is there in another group (an
    /// `extensions/v1beta1` Deployment for an `apps/v1` reference): the controller looks a target up by group and
    /// kind, so it does not count.
    case foundInOtherGroup(ObjectReference, file: String)

    /// The workload, when it was found.
    public var workload: Workload? {
        if case .found(let workload) = self { workload } else { nil }
    }
}

/// Another autoscaler of a workload: an HPA or a KEDA ScaledObject.
public struct ScalerReference: Sendable, Hashable {
    public let object: ObjectReference
    public let file: String

    public init(object: ObjectReference, file: String) {
        self.object = object
        self.file = file
    }
}

/// Answers "what does this HPA target?" — from the files given (linter) or from the Kubernetes API (webhook).
///
/// Resolvers are synchronous snapshots: the webhook fetches what it needs first, with a deadline, then evaluates.
public protocol WorkloadResolver: Sendable {
    func resolve(_ reference: ScaleTargetReference, namespace: String?) -> TargetResolution
    /// Every HPA and ScaledObject that scales the workload `reference` names in `namespace`.
    func scalers(of reference: ScaleTargetReference, namespace: String?) -> [ScalerReference]
    /// PodDisruptionBudgets in `namespace`.
    func disruptionBudgets(namespace: String?) -> [ManifestObject]
    /// LimitRanges in `namespace`: they fill in requests for containers that set none.
    func limitRanges(namespace: String?) -> [ManifestObject]
}
