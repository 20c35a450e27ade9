/// Resolves targets among a set of objects: the linter's view (every file of one run) and the webhook's snapshot.
public struct InventoryResolver: WorkloadResolver {
    private struct Key: Hashable {
        let kind: String
        let name: String
    }

    /// What makes two objects the same object to the API server: group, kind, namespace as written, and name.
    public struct Identity: Hashable, Sendable {
        let group: String
        let kind: String
        let namespace: String?
        let name: String

        public init?(_ object: ManifestObject) {
            guard let name = object.name else { return nil }
            self.init(group: object.group, kind: object.kind, namespace: object.namespace, name: name)
        }

        init(group: String, kind: String, namespace: String?, name: String) {
            self.group = group
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }
    }

    private let workloads: [Key: [ManifestObject]]
    private let scalerIndex: [String: [(target: ScaleTargetReference, scaler: ScalerReference)]]
    private let budgets: [ManifestObject]
    private let limitRanges: [ManifestObject]
    private let kinds: [WorkloadKind]
    /// True when the objects are the whole cluster as far as this run can tell (never for the linter).
    private let isComplete: Bool

    public init(objects: [ManifestObject], kinds: [WorkloadKind] = WorkloadKind.builtIn, isComplete: Bool = false) {
        var workloads: [Key: [ManifestObject]] = [:]
        // Typed as the stored index, labels and all: a dictionary of unlabelled tuples assigned to it would be
        // converted element by element through the runtime's dynamic casts.
        var scalers: [String: [(target: ScaleTargetReference, scaler: ScalerReference)]] = [:]
        var budgets: [ManifestObject] = []
        var limitRanges: [ManifestObject] = []
        for object in objects {
            guard let name = object.name else { continue }
            if HPA.isHPA(object) {
                let target = ScaleTargetReference(object.value["spec"]?["scaleTargetRef"])
                scalers[target.name, default: []].append((target, ScalerReference(object: object.reference, file: object.file)))
            } else if object.kind == "ScaledObject", object.group == "keda.sh" {
                // KEDA defaults the target to apps/v1 Deployment.
                let target = ScaleTargetReference(
                    object.value["spec"]?["scaleTargetRef"], defaultAPIVersion: "apps/v1", defaultKind: "Deployment")
                scalers[target.name, default: []].append((target, ScalerReference(object: object.reference, file: object.file)))
            } else if object.kind == "PodDisruptionBudget", object.group == "policy" {
                budgets.append(object)
            } else if object.kind == "LimitRange", object.group.isEmpty {
                limitRanges.append(object)
            } else {
                workloads[Key(kind: object.kind, name: name), default: []].append(object)
            }
        }
        self.workloads = workloads
        self.scalerIndex = scalers
        self.budgets = budgets
        self.limitRanges = limitRanges
        self.kinds = kinds
        self.isComplete = isComplete
    }

    public func resolve(_ reference: ScaleTargetReference, namespace: String?) -> TargetResolution {
        let sameName = workloads[Key(kind: reference.kind, name: reference.name)] ?? []
        let candidates = sameName.filter { $0.group == reference.group }
        // The object in the HPA's own written namespace first, then one applied to whatever namespace is current.
        if let match = candidates.first(where: { $0.namespace == namespace })
            ?? candidates.first(where: { sameNamespace($0.namespace, namespace) })
        {
            let twins = candidates.count { $0.namespace == match.namespace }
            if twins > 1 { return .ambiguous(count: twins) }
            let kind = kinds.first { $0.kind == match.kind && $0.group == match.group }
            return .found(Workload(object: match, kind: kind))
        }
        if !candidates.isEmpty {
            return .foundInOtherNamespaces(Array(Set(candidates.map { $0.namespace ?? "default" })).sorted())
        }
        if !isComplete, let other = sameName.first(where: { sameNamespace($0.namespace, namespace) }) {
            return .foundInOtherGroup(other.reference, file: other.file)
        }
        return .notFound(complete: isComplete)
    }

    /// Scalers count as competing only in the same written namespace (or both without one): an error must not
    /// rest on a guess about where an unnamespaced manifest is applied.
    public func scalers(of reference: ScaleTargetReference, namespace: String?) -> [ScalerReference] {
        (scalerIndex[reference.name] ?? []).filter {
            $0.target.kind == reference.kind && $0.target.group == reference.group
                && $0.scaler.object.namespace == namespace
        }.map(\.scaler)
    }

    public func disruptionBudgets(namespace: String?) -> [ManifestObject] {
        budgets.filter { sameNamespace($0.namespace, namespace) }
    }

    public func limitRanges(namespace: String?) -> [ManifestObject] {
        limitRanges.filter { sameNamespace($0.namespace, namespace) }
    }

    /// Manifests without a namespace are applied to the same (current) namespace, so nil matches nil; "default"
    /// matches nil too, the namespace kubectl uses without a context namespace.
    private func sameNamespace(_ lhs: String?, _ rhs: String?) -> Bool {
        (lhs ?? "default") == (rhs ?? "default") || lhs == nil || rhs == nil
    }
}
