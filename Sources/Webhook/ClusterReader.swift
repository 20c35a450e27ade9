import Cluster
import Engine
import Foundation
import Synchronization

/// What the webhook knows of the cluster around one HPA: its target, the namespace's other scalers, its
/// PodDisruptionBudgets and LimitRanges, and what could not be read.
public struct ClusterSnapshot: Sendable {
    public var objects: [ManifestObject] = []
    /// Set when the target could not be looked up: the engine sees `.unavailable(reason)`.
    public var targetUnavailable: String?
    /// What could not be checked, worded for the user (each becomes an admission warning).
    public var warnings: [String] = []
    /// The HPA's Namespace, read only when a custom rule reads `namespaceObject`.
    public var namespaceObject: JSONValue?

    public init(
        objects: [ManifestObject] = [], targetUnavailable: String? = nil, warnings: [String] = [],
        namespaceObject: JSONValue? = nil
    ) {
        self.objects = objects
        self.targetUnavailable = targetUnavailable
        self.warnings = warnings
        self.namespaceObject = namespaceObject
    }
}

/// Reads the cluster around an HPA; the webhook's source of cross-object facts.
public protocol ClusterReader: Sendable {
    func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot
    /// The snapshot, when it can be had without waiting (nothing to ask, or every answer cached); else nil.
    func cachedSnapshot(around hpa: ManifestObject, namespace: String) -> ClusterSnapshot?
}

extension ClusterReader {
    public func cachedSnapshot(around hpa: ManifestObject, namespace: String) -> ClusterSnapshot? { nil }
}

/// The resolver the engine gets in the webhook: the snapshot's objects, with the target lookup's failure passed
/// through as `.unavailable(reason)` so that whichever rule handles targets reports it.
public struct SnapshotResolver: WorkloadResolver {
    let inventory: InventoryResolver
    let targetUnavailable: String?

    public init(snapshot: ClusterSnapshot, reviewed: ManifestObject, kinds: [WorkloadKind]) {
        // The stored copy of the reviewed HPA (an UPDATE) is replaced by the object under review.
        let others = snapshot.objects.filter {
            !(HPA.isHPA($0) && $0.name == reviewed.name && $0.namespace == reviewed.namespace)
        }
        inventory = InventoryResolver(objects: others + [reviewed], kinds: kinds, isComplete: snapshot.targetUnavailable == nil)
        targetUnavailable = snapshot.targetUnavailable
    }

    public func resolve(_ reference: ScaleTargetReference, namespace: String?) -> TargetResolution {
        if let targetUnavailable { return .unavailable(targetUnavailable) }
        return inventory.resolve(reference, namespace: namespace)
    }

    public func scalers(of reference: ScaleTargetReference, namespace: String?) -> [ScalerReference] {
        inventory.scalers(of: reference, namespace: namespace)
    }

    public func disruptionBudgets(namespace: String?) -> [ManifestObject] {
        inventory.disruptionBudgets(namespace: namespace)
    }

    public func limitRanges(namespace: String?) -> [ManifestObject] {
        inventory.limitRanges(namespace: namespace)
    }
}

/// No cluster to ask (outside a cluster, without --kubeconfig): every lookup is skipped with one warning.
public struct NoClusterReader: ClusterReader {
    public static let warning =
        "hpaguard: target, other scalers, PDBs and LimitRanges not checked: no Kubernetes API configured"

    public init() {}

    public func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot {
        Self.snapshot
    }

    public func cachedSnapshot(around hpa: ManifestObject, namespace: String) -> ClusterSnapshot? { Self.snapshot }

    private static let snapshot = ClusterSnapshot(targetUnavailable: "no Kubernetes API is configured", warnings: [warning])
}

/// Reads through a `KubeClient`, with a short-lived, bounded, single-flight cache so that a burst of reviews in one
/// namespace is a handful of API calls, and one deadline for all lookups of a review.
public final class KubernetesClusterReader: ClusterReader {
    private let client: KubeClient
    private let cache: LookupCache
    private let timeout: Duration
    private let onFailure: @Sendable () -> Void
    /// Whether a review reads the HPA's Namespace too (a custom rule reads `namespaceObject`).
    private let readsNamespace: Bool

    public init(
        client: KubeClient, timeout: Duration, cacheTTL: Duration = .seconds(15), readsNamespace: Bool = false,
        onFailure: @escaping @Sendable () -> Void
    ) {
        self.client = client
        self.timeout = timeout
        self.readsNamespace = readsNamespace
        self.cache = LookupCache(capacity: 1024, successTTL: cacheTTL, failureTTL: .seconds(3))
        self.onFailure = onFailure
    }

    public func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot {
        let lookups = Lookups(hpa, namespace: namespace, readsNamespace: readsNamespace)
        async let target: KubeResult? = fetchOptional(lookups.target)
        async let namespaceObject: KubeResult? = fetchOptional(lookups.namespaceObject)
        let lists = await withTaskGroup(of: (Int, KubeResult).self) { group in
            for (index, list) in lookups.lists.enumerated() {
                group.addTask { (index, await self.fetch(list.path)) }
            }
            var results = [KubeResult](repeating: .notFound, count: lookups.lists.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        return lookups.snapshot(target: await target, namespaceObject: await namespaceObject, lists: lists)
    }

    public func cachedSnapshot(around hpa: ManifestObject, namespace: String) -> ClusterSnapshot? {
        let lookups = Lookups(hpa, namespace: namespace, readsNamespace: readsNamespace)
        var target: KubeResult?
        if let path = lookups.target {
            guard let cached = cache.cached(path) else { return nil }
            target = cached
        }
        var namespaceObject: KubeResult?
        if let path = lookups.namespaceObject {
            guard let cached = cache.cached(path) else { return nil }
            namespaceObject = cached
        }
        var lists: [KubeResult] = []
        for list in lookups.lists {
            guard let cached = cache.cached(list.path) else { return nil }
            lists.append(cached)
        }
        return lookups.snapshot(target: target, namespaceObject: namespaceObject, lists: lists)
    }

    /// The API paths one review reads, and how their answers become a snapshot.
    private struct Lookups {
        /// A list of the namespace's objects that the rules compare the HPA with.
        struct NamespaceList {
            let path: String
            /// The kind of its items (list items leave it out).
            let kind: String
            /// How warnings name it.
            let what: String
            /// A 404 means the API is not installed (KEDA), not a problem worth a warning.
            let optional: Bool
        }

        let namespace: String
        let described: String
        let target: String?
        let namespaceObject: String?
        let lists: [NamespaceList]

        init(_ hpa: ManifestObject, namespace: String, readsNamespace: Bool) {
            let reference = hpa.value["spec"]?["scaleTargetRef"]
            let apiVersion = reference?["apiVersion"]?.stringValue ?? ""
            let kind = reference?["kind"]?.stringValue ?? ""
            let name = reference?["name"]?.stringValue ?? ""
            self.namespace = namespace
            described = "\(kind) \(namespace)/\(name)"
            target = ResourcePath.object(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
            // A namespace that cannot be one path segment is not looked up (the API server has no such namespace).
            namespaceObject = readsNamespace && ResourcePath.isSegment(namespace)
                ? ResourcePath.collection("v1", "namespaces", namespace: nil) + "/" + namespace : nil
            func list(_ apiVersion: String, _ resource: String, _ kind: String, _ what: String, optional: Bool = false)
                -> NamespaceList
            {
                NamespaceList(
                    path: ResourcePath.list(apiVersion, resource, namespace: namespace), kind: kind, what: what,
                    optional: optional)
            }
            lists = [
                list("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", "other HPAs"),
                list("keda.sh/v1alpha1", "scaledobjects", "ScaledObject", "KEDA ScaledObjects", optional: true),
                list("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", "PDBs"),
                list("v1", "limitranges", "LimitRange", "LimitRanges"),
            ]
        }

        /// `lists` holds the answer for each of `self.lists`, in order.
        func snapshot(target: KubeResult?, namespaceObject: KubeResult?, lists results: [KubeResult]) -> ClusterSnapshot {
            var snapshot = ClusterSnapshot()
            switch namespaceObject {
            case .object(let value)?: snapshot.namespaceObject = value
            case .notFound?: snapshot.warnings.append("hpaguard: namespace \(namespace) not found: custom rules see namespaceObject as null")
            case .failed(let reason)?:
                snapshot.warnings.append("hpaguard: namespace \(namespace) not read (\(reason)): custom rules see namespaceObject as null")
            case nil: break
            }
            switch target {
            case .object(let value)?:
                snapshot.objects.append(ManifestObject(value: value, file: "<cluster>"))
            case .notFound?:
                snapshot.warnings.append("hpaguard: target \(described) does not exist (yet); target checks skipped")
            case .failed(let reason)?:
                snapshot.targetUnavailable = "cannot read \(described): \(reason)"
                snapshot.warnings.append("hpaguard: target \(described) not checked: \(reason)")
            case nil:
                break  // no usable scaleTargetRef: the schema rules report it
            }
            for (list, result) in zip(lists, results) {
                switch result {
                case .object(let value):
                    snapshot.objects += KubernetesClusterReader.items(of: value, kind: list.kind)
                case .notFound:
                    if !list.optional {
                        snapshot.warnings.append("hpaguard: \(list.what) in \(namespace) not checked: not found (404)")
                    }
                case .failed(let reason):
                    snapshot.warnings.append("hpaguard: \(list.what) in \(namespace) not checked: \(reason)")
                }
            }
            return snapshot
        }
    }

    private func fetchOptional(_ path: String?) async -> KubeResult? {
        guard let path else { return nil }
        return await fetch(path)
    }

    private func fetch(_ path: String) async -> KubeResult {
        let client = client
        let timeout = timeout
        let onFailure = onFailure
        return await withDeadline(timeout + .milliseconds(50), fallback: .failed("no answer within \(KubeClient.format(timeout))")) {
            await self.cache.value(for: path) {
                let result = await withDeadline(timeout, fallback: .failed("no answer within \(KubeClient.format(timeout))")) {
                    await client.get(path, timeout: timeout)
                }
                if case .failed = result { onFailure() }
                return result
            }
        }
    }

    /// The items of a List, with the `apiVersion` and `kind` the API server leaves out of list items.
    static func items(of list: JSONValue, kind: String) -> [ManifestObject] {
        KubeList.items(of: list, kind: kind).map { ManifestObject(value: $0, file: "<cluster>") }
    }
}
