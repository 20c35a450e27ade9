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

    public init(objects: [ManifestObject] = [], targetUnavailable: String? = nil, warnings: [String] = []) {
        self.objects = objects
        self.targetUnavailable = targetUnavailable
        self.warnings = warnings
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

    public init(client: KubeClient, timeout: Duration, cacheTTL: Duration = .seconds(15), onFailure: @escaping @Sendable () -> Void) {
        self.client = client
        self.timeout = timeout
        self.cache = LookupCache(capacity: 1024, successTTL: cacheTTL, failureTTL: .seconds(3))
        self.onFailure = onFailure
    }

    public func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot {
        let lookups = Lookups(hpa, namespace: namespace)
        async let target: KubeResult? = fetchOptional(lookups.target)
        let lists = await withTaskGroup(of: (Int, KubeResult).self) { group in
            for (index, list) in lookups.lists.enumerated() {
                group.addTask { (index, await self.fetch(list.path)) }
            }
            var results = [KubeResult](repeating: .notFound, count: lookups.lists.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        return lookups.snapshot(target: await target, lists: lists)
    }

    public func cachedSnapshot(around hpa: ManifestObject, namespace: String) -> ClusterSnapshot? {
        let lookups = Lookups(hpa, namespace: namespace)
        var target: KubeResult?
        if let path = lookups.target {
            guard let cached = cache.cached(path) else { return nil }
            target = cached
        }
        var lists: [KubeResult] = []
        for list in lookups.lists {
            guard let cached = cache.cached(list.path) else { return nil }
            lists.append(cached)
        }
        return lookups.snapshot(target: target, lists: lists)
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
        let lists: [NamespaceList]

        init(_ hpa: ManifestObject, namespace: String) {
            let reference = hpa.value["spec"]?["scaleTargetRef"]
            let apiVersion = reference?["apiVersion"]?.stringValue ?? ""
            let kind = reference?["kind"]?.stringValue ?? ""
            let name = reference?["name"]?.stringValue ?? ""
            self.namespace = namespace
            described = "\(kind) \(namespace)/\(name)"
            target = ResourcePath.object(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
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
        func snapshot(target: KubeResult?, lists results: [KubeResult]) -> ClusterSnapshot {
            var snapshot = ClusterSnapshot()
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
/// briefly so that a down API server is not hammered by every review. `cached` answers without waiting, which lets a
/// review whose lookups are all cached run straight on the connection's thread.
final class LookupCache: Sendable {
    private enum Entry {
        case pending(Task<KubeResult, Never>)
        case ready(KubeResult, expires: ContinuousClock.Instant)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let successTTL: Duration
    private let failureTTL: Duration

    init(capacity: Int, successTTL: Duration, failureTTL: Duration) {
        self.capacity = capacity
        self.successTTL = successTTL
        self.failureTTL = failureTTL
    }

    /// The answer for `key` if one is cached and fresh.
    func cached(_ key: String) -> KubeResult? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard case .ready(let result, let expires)? = state.entries[key], expires > now else { return nil }
            return result
        }
    }

    func value(for key: String, fetch: @escaping @Sendable () async -> KubeResult) async -> KubeResult {
        enum Step {
            case cached(KubeResult)
            case wait(Task<KubeResult, Never>, owner: Bool)
        }
        let now = ContinuousClock.now
        let step: Step = state.withLock { state in
            switch state.entries[key] {
            case .ready(let result, let expires)? where expires > now:
                return .cached(result)
            case .pending(let task)?:
                return .wait(task, owner: false)
            default:
                let task = Task { await fetch() }
                store(key, .pending(task), in: &state)
                return .wait(task, owner: true)
            }
        }
        switch step {
        case .cached(let result):
            return result
        case .wait(let task, owner: false):
            return await task.value
        case .wait(let task, owner: true):
            let result = await task.value
            let ttl: Duration
            switch result {
            case .object: ttl = successTTL
            case .notFound: ttl = min(successTTL, .seconds(5))  // GitOps creates targets soon after their HPAs
            case .failed: ttl = failureTTL
            }
            let expires = ContinuousClock.now + ttl
            state.withLock { store(key, .ready(result, expires: expires), in: &$0) }
            return result
        }
    }

    private func store(_ key: String, _ entry: Entry, in state: inout State) {
        if state.entries.updateValue(entry, forKey: key) == nil { state.order.append(key) }
        guard state.entries.count > capacity else { return }
        let now = ContinuousClock.now
        // Expired first, then the oldest; pending lookups stay (their callers hold them).
        var kept: [String] = []
        for candidate in state.order {
            switch state.entries[candidate] {
            case .ready(_, let expires)? where expires <= now || state.entries.count > capacity:
                state.entries[candidate] = nil
            case nil:
                continue
            default:
                kept.append(candidate)
            }
        }
        state.order = kept
    }
}
