import Engine
import Foundation

/// What the webhook knows of the cluster around one HPA: its target, the namespace's other scalers and its
/// PodDisruptionBudgets, and what could not be read.
public struct ClusterSnapshot: Sendable {
    public var objects: [ManifestObject] = []
    /// Set when the target could not be looked up: the engine sees `.unavailable(reason)`.
    public var targetUnavailable: String?
    /// What could not be checked, worded for the user (each becomes an admission warning).
    public var warnings: [String] = []

    public init(objects: [ManifestObject] = [], targetUnavailable: String? = nil, warnings: [String] = []) {
        self.objects = objects
        self.targetUnavailable = targetUnavailable
        self.warnings = warnings
    }
}

/// Reads the cluster around an HPA; the webhook's source of cross-object facts.
public protocol ClusterReader: Sendable {
    func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot
    /// Lookup failures since start (for `hpaguard_lookup_errors_total`), counted by the caller.
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
}

/// No cluster to ask (outside a cluster, without --kubeconfig): every lookup is skipped with one warning.
public struct NoClusterReader: ClusterReader {
    public static let warning = "hpaguard: target, other scalers and PDBs not checked: no Kubernetes API configured"

    public init() {}

    public func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot {
        ClusterSnapshot(targetUnavailable: "no Kubernetes API is configured", warnings: [Self.warning])
    }
}

/// Reads through a `KubeClient`, with a short-lived, bounded, single-flight cache so that a burst of reviews in one
/// namespace is a handful of API calls, and one deadline for all lookups of a review.
public final class KubernetesClusterReader: ClusterReader {
    private let client: KubeClient
    private let cache: LookupCache
    private let timeout: Duration
    private let onFailure: @Sendable () -> Void

    public init(client: KubeClient, timeout: Duration, cacheTTL: Duration = .seconds(15), onFailure: @escaping @Sendable () -> Void) {
        self.client = client
        self.timeout = timeout
        self.cache = LookupCache(capacity: 1024, successTTL: cacheTTL, failureTTL: .seconds(3))
        self.onFailure = onFailure
    }

    public func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot {
        let reference = hpa.value["spec"]?["scaleTargetRef"]
        let apiVersion = reference?["apiVersion"]?.stringValue ?? ""
        let kind = reference?["kind"]?.stringValue ?? ""
        let name = reference?["name"]?.stringValue ?? ""
        let targetPath = ResourcePath.object(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)

        async let target: KubeResult? = fetchOptional(targetPath)
        async let hpas = fetch(ResourcePath.list("autoscaling/v2", "horizontalpodautoscalers", namespace: namespace))
        async let scaledObjects = fetch(ResourcePath.list("keda.sh/v1alpha1", "scaledobjects", namespace: namespace))
        async let budgets = fetch(ResourcePath.list("policy/v1", "poddisruptionbudgets", namespace: namespace))

        var snapshot = ClusterSnapshot()
        let described = "\(kind) \(namespace)/\(name)"
        switch await target {
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
        for (result, kindName, what, optional) in [
            (await hpas, "HorizontalPodAutoscaler", "other HPAs", false),
            (await scaledObjects, "ScaledObject", "KEDA ScaledObjects", true),
            (await budgets, "PodDisruptionBudget", "PDBs", false),
        ] {
            switch result {
            case .object(let list):
                snapshot.objects += Self.items(of: list, kind: kindName)
            case .notFound:
                if !optional { snapshot.warnings.append("hpaguard: \(what) in \(namespace) not checked: not found (404)") }
            case .failed(let reason):
                snapshot.warnings.append("hpaguard: \(what) in \(namespace) not checked: \(reason)")
            }
        }
        return snapshot
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
        let apiVersion = list["apiVersion"]?.stringValue ?? ""
        return (list["items"]?.arrayValue ?? []).compactMap { item in
            guard case .object(var object) = item else { return nil }
            if object["apiVersion"] == nil { object["apiVersion"] = .string(apiVersion) }
            if object["kind"] == nil { object["kind"] = .string(kind) }
            return ManifestObject(value: .object(object), file: "<cluster>")
        }
    }
}

/// REST paths of the objects the webhook reads.
enum ResourcePath {
    /// `/apis/apps/v1/namespaces/NS/deployments/NAME`, or nil when the reference cannot name an object.
    static func object(apiVersion: String, kind: String, namespace: String, name: String) -> String? {
        let version = APIVersion(apiVersion)
        guard version.isValid, !version.version.isEmpty, !kind.isEmpty, isSegment(name), isSegment(namespace) else {
            return nil
        }
        return collection(apiVersion, plural(of: kind), namespace: namespace) + "/" + name
    }

    static func list(_ apiVersion: String, _ resource: String, namespace: String) -> String {
        collection(apiVersion, resource, namespace: namespace) + "?limit=500"
    }

    private static func collection(_ apiVersion: String, _ resource: String, namespace: String) -> String {
        let version = APIVersion(apiVersion)
        let prefix = version.group.isEmpty ? "/api/\(version.version)" : "/apis/\(version.group)/\(version.version)"
        return "\(prefix)/namespaces/\(namespace)/\(resource)"
    }

    /// The resource name of a kind, as the API server's RESTMapper guesses it (`UnsafeGuessKindToResource`).
    static func plural(of kind: String) -> String {
        let lower = kind.lowercased()
        let irregular: [String: String] = ["endpoints": "endpoints"]
        if let known = irregular[lower] { return known }
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("z") || lower.hasSuffix("ch")
            || lower.hasSuffix("sh")
        {
            return lower + "es"
        }
        if lower.hasSuffix("y"), let beforeY = lower.dropLast().last, !"aeiou".contains(beforeY) {
            return lower.dropLast() + "ies"
        }
        return lower + "s"
    }

    /// A name that is safe as one path segment (the API server rejects the rest anyway).
    private static func isSegment(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253 && text != "." && text != ".."
            && text.unicodeScalars.allSatisfy { ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "-" || $0 == "." }
    }
}

/// Short-lived cache of API answers: single-flight (concurrent reviews share one call), bounded, and failures kept
/// briefly so that a down API server is not hammered by every review.
actor LookupCache {
    private enum Entry {
        case pending(Task<KubeResult, Never>)
        case ready(KubeResult, expires: ContinuousClock.Instant)
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private let capacity: Int
    private let successTTL: Duration
    private let failureTTL: Duration

    init(capacity: Int, successTTL: Duration, failureTTL: Duration) {
        self.capacity = capacity
        self.successTTL = successTTL
        self.failureTTL = failureTTL
    }

    func value(for key: String, fetch: @escaping @Sendable () async -> KubeResult) async -> KubeResult {
        let now = ContinuousClock.now
        switch entries[key] {
        case .ready(let result, let expires)? where expires > now:
            return result
        case .pending(let task)?:
            return await task.value
        default:
            break
        }
        let task = Task { await fetch() }
        store(key, .pending(task))
        let result = await task.value
        let ttl: Duration
        switch result {
        case .object: ttl = successTTL
        case .notFound: ttl = min(successTTL, .seconds(5))  // GitOps creates targets soon after their HPAs
        case .failed: ttl = failureTTL
        }
        store(key, .ready(result, expires: ContinuousClock.now + ttl))
        return result
    }

    private func store(_ key: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: key) == nil { order.append(key) }
        guard entries.count > capacity else { return }
        let now = ContinuousClock.now
        // Expired first, then the oldest; pending lookups stay (their callers hold them).
        var kept: [String] = []
        for candidate in order {
            switch entries[candidate] {
            case .ready(_, let expires)? where expires <= now || entries.count > capacity:
                entries[candidate] = nil
            case nil:
                continue
            default:
                kept.append(candidate)
            }
        }
        order = kept
    }
}
