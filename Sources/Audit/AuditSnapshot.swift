import Cluster
import Engine

/// Everything one audit read from the cluster, and what it could not read.
public struct AuditSnapshot: Sendable {
    /// HPAs (autoscaling/v2, status included), workloads, ScaledObjects, InferenceServices, PDBs and LimitRanges;
    /// each object's `file` is its `namespace/name`.
    public var objects: [ManifestObject] = []
    /// core/v1 Events about HPAs, by the HPA's `namespace/name`.
    public var events: [String: [JSONValue]] = [:]
    /// What could not be read, by what it is.
    public var failures: [Source: String] = [:]
    /// Targets of other kinds that could not be read, by `namespace/kind/name`.
    public var otherTargetFailures: [String: String] = [:]
    /// The cluster's Kubernetes version (GET /version), when it answered.
    public var kubeVersion: KubeVersion?

    public init() {}

    /// Folds one list's answer in.
    mutating func absorb(_ result: KubeListResult, from source: Source) {
        switch result {
        case .items(let items) where source == .events:
            for event in items {
                let involved = event["involvedObject"]
                let key = "\(involved?["namespace"]?.stringValue ?? "")/\(involved?["name"]?.stringValue ?? "")"
                events[key, default: []].append(event)
            }
        case .items(let items):
            objects += items.map(ClusterAuditor.object)
        case .notFound where source.isOptional:
            break  // a CRD's API that is not installed: nothing of that kind to read
        case .notFound:
            failures[source] = "not found (404)"
        case .forbidden(let reason), .failed(let reason):
            failures[source] = reason
        }
    }

    /// One list the audit reads.
    public enum Source: String, Sendable, Hashable, CaseIterable, Comparable {
        case hpas = "HorizontalPodAutoscalers"
        case deployments = "Deployments"
        case statefulSets = "StatefulSets"
        case replicaSets = "ReplicaSets"
        case scaledObjects = "KEDA ScaledObjects"
        case inferenceServices = "KServe InferenceServices"
        case pdbs = "PodDisruptionBudgets"
        case limitRanges = "LimitRanges"
        case events = "Events"

        var apiVersion: String {
            switch self {
            case .hpas: return "autoscaling/v2"
            case .deployments, .statefulSets, .replicaSets: return "apps/v1"
            case .scaledObjects: return "keda.sh/v1alpha1"
            case .inferenceServices: return "serving.kserve.io/v1beta1"
            case .pdbs: return "policy/v1"
            case .limitRanges, .events: return "v1"
            }
        }

        /// The REST resource of `kind`, as the API server names it.
        var resource: String { ResourcePath.plural(of: kind) }

        var kind: String {
            switch self {
            case .hpas: return "HorizontalPodAutoscaler"
            case .deployments: return "Deployment"
            case .statefulSets: return "StatefulSet"
            case .replicaSets: return "ReplicaSet"
            case .scaledObjects: return "ScaledObject"
            case .inferenceServices: return "InferenceService"
            case .pdbs: return "PodDisruptionBudget"
            case .limitRanges: return "LimitRange"
            case .events: return "Event"
            }
        }

        /// A CRD's API: a 404 means it is not installed, not that something is wrong.
        var isOptional: Bool { self == .scaledObjects || self == .inferenceServices }

        /// Only HPA events: the HPA controller's conditions and rescales (a field selector the API server indexes).
        var query: String {
            self == .events
                ? "fieldSelector=" + KubeClient.queryEscaped("involvedObject.kind=HorizontalPodAutoscaler") : ""
        }

        /// What does not run without this list, worded for the `audit-incomplete` finding.
        var skippedChecks: String {
            switch self {
            case .hpas: return "everything"
            case .deployments, .statefulSets, .replicaSets:
                return
                    "the checks of the target workload (target-not-found, target-missing-request, the ML-serving rules)"
            case .scaledObjects: return "duplicate-scalers does not see KEDA ScaledObjects"
            case .inferenceServices: return "none (which HPAs KServe manages comes from their ownerReferences)"
            case .pdbs: return "pdb-blocks-drain-at-min-replicas"
            case .limitRanges: return "target-missing-request does not see LimitRange default requests"
            case .events: return "flapping and never-scaled (no rescale history)"
            }
        }

        /// The kind of workload an HPA names that this list holds.
        static func workload(kind: String, group: String) -> Source? {
            guard group == "apps" else { return nil }
            switch kind {
            case "Deployment": return .deployments
            case "StatefulSet": return .statefulSets
            case "ReplicaSet": return .replicaSets
            default: return nil
            }
        }

        public static func < (lhs: Source, rhs: Source) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }
}

/// The engine's resolver over an audit's snapshot: the objects read, with a target whose kind could not be listed
/// answered as `.unavailable(reason)`.
struct AuditResolver: WorkloadResolver {
    let inventory: InventoryResolver
    let failures: [AuditSnapshot.Source: String]
    /// Targets of other kinds that were read one by one (`namespace/kind/name`), or why they could not be.
    let otherTargets: [String: String]

    func resolve(_ reference: ScaleTargetReference, namespace: String?) -> TargetResolution {
        let group = APIVersion(reference.apiVersion).group
        if let source = AuditSnapshot.Source.workload(kind: reference.kind, group: group), let reason = failures[source]
        {
            return .unavailable("cannot list \(source.rawValue): \(reason)")
        }
        if let reason = otherTargets["\(namespace ?? "")/\(reference.kind)/\(reference.name)"] {
            return .unavailable("cannot read \(reference.kind) \(namespace ?? "")/\(reference.name): \(reason)")
        }
        return inventory.resolve(reference, namespace: namespace)
    }

    func scalers(of reference: ScaleTargetReference, namespace: String?) -> [ScalerReference] {
        inventory.scalers(of: reference, namespace: namespace)
    }

    func disruptionBudgets(namespace: String?) -> [ManifestObject] { inventory.disruptionBudgets(namespace: namespace) }

    func limitRanges(namespace: String?) -> [ManifestObject] { inventory.limitRanges(namespace: namespace) }
}
