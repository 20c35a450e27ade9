// `hpaguard audit`: the HPAs already in a cluster, their spec and how they behave. Reads only.
//
// - One pass of paginated lists (HPAs, their target kinds, PDBs, LimitRanges, KEDA ScaledObjects, KServe
//   InferenceServices, HPA events), a few at a time, each page with its own deadline and the whole read inside the
//   overall deadline: a hung API server costs the deadline, not the process. Lists rather than per-HPA GETs: 5,000
//   HPAs are a few dozen pages, not 20,000 requests.
// - Targets of other kinds (LeaderWorkerSet, Rollout, ...) are read one by one, bounded; when the object itself is
//   forbidden its /scale subresource (which the HPA controller reads too) tells that it exists.
// - The engine then runs on each HPA with the same policy, exemptions and custom rules as lint, from the webhook's
//   vantage (the API server has defaulted the objects), plus the live rules over status and events.
import Cluster
import Engine
import Foundation

/// What `hpaguard audit` is told.
public struct AuditOptions: Sendable {
    /// One namespace, or nil for all of them.
    public var namespace: String?
    /// How far back events count (`--since`), in seconds.
    public var since: Int64 = 3600
    /// The whole read from the API server; what is not read by then is reported as not checked.
    public var deadline: Duration = .seconds(30)
    /// The longest one GET (one page) may take.
    public var requestTimeout: Duration = .seconds(10)
    /// Items per page (`limit`).
    public var pageSize = 500
    /// Requests in flight at once.
    public var concurrency = 6

    public init() {}
}

/// The outcome of one audit.
public struct AuditResult: Sendable {
    /// Sorted by namespace, name, rule, message; `source` is `.cluster`.
    public var findings: [Finding]
    /// HPAs audited.
    public var hpas: Int
    /// One line per list that could not be read, for the log ("LimitRanges: forbidden (403) ...").
    public var notes: [String]
    public var duration: Duration
}

/// The audit cannot start or cannot list HPAs: exit 2, the message on stderr.
public struct AuditError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public struct ClusterAuditor: Sendable {
    let client: KubeClient
    let policy: Policy
    let options: AuditOptions

    public init(client: KubeClient, policy: Policy, options: AuditOptions) {
        self.client = client
        self.policy = policy
        self.options = options
    }

    /// Reads the cluster and audits every HPA in scope.
    ///
    /// - Throws: `AuditError` when the HPAs themselves cannot be listed (nothing to audit).
    public func run(now: Timestamp = Timestamp(seconds: Int64(Date().timeIntervalSince1970))) async throws(AuditError)
        -> AuditResult
    {
        let start = ContinuousClock.now
        let snapshot = await read()
        if let reason = snapshot.failures[.hpas] {
            throw AuditError(
                "cannot list HorizontalPodAutoscalers\(options.namespace.map { " in \($0)" } ?? ""): \(reason)")
        }
        let (findings, hpas) = evaluate(snapshot, now: now)
        let notes = snapshot.failures.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) not read: \($0.value)" }
        return AuditResult(findings: findings, hpas: hpas, notes: notes, duration: ContinuousClock.now - start)
    }

    // MARK: - Reading

    /// Every list, a few at a time, within the deadline; then the targets of other kinds.
    func read() async -> AuditSnapshot {
        let deadline = ContinuousClock.now + options.deadline
        let client = client
        let options = options
        let pageTimeout = options.requestTimeout
        let scope = options.namespace
        let missed = "no answer within the audit's deadline (\(KubeClient.format(options.deadline)))"

        // Lists first, a few at a time; each answer is folded into the snapshot as it comes.
        var snapshot = AuditSnapshot()
        await withTaskGroup(of: (AuditSnapshot.Source, KubeListResult).self) { group in
            var pending = AuditSnapshot.Source.allCases[...]
            func startNext() {
                guard let source = pending.popFirst() else { return }
                let path = ResourcePath.collection(source.apiVersion, source.resource, namespace: scope)
                let remaining = max(.zero, deadline - ContinuousClock.now)
                group.addTask {
                    let result = await withDeadline(remaining, fallback: KubeListResult.failed(missed)) {
                        await client.list(
                            path, kind: source.kind, query: source.query, limit: options.pageSize,
                            pageTimeout: pageTimeout)
                    }
                    return (source, result)
                }
            }
            for _ in 0..<max(1, options.concurrency) { startNext() }
            for await (source, result) in group {
                snapshot.absorb(result, from: source)
                startNext()
            }
        }
        if snapshot.failures[.hpas] != nil { return snapshot }
        snapshot.kubeVersion = await Self.kubeVersion(
            client: client, timeout: min(pageTimeout, max(.zero, deadline - ContinuousClock.now)))

        // Targets of kinds no list covers, read one by one (bounded), within what is left of the deadline.
        let others = Self.otherTargets(snapshot.objects)
        if !others.isEmpty {
            let read = await withTaskGroup(of: (String, ManifestObject?, String?).self) { group in
                var pending = others[...]
                func startNext() {
                    guard let target = pending.popFirst() else { return }
                    group.addTask {
                        let remaining = max(.zero, deadline - ContinuousClock.now)
                        return await withDeadline(remaining, fallback: (target.key, nil, missed)) {
                            await Self.readTarget(target, client: client, timeout: min(pageTimeout, remaining))
                        }
                    }
                }
                for _ in 0..<max(1, options.concurrency) { startNext() }
                var results: [(String, ManifestObject?, String?)] = []
                for await result in group {
                    results.append(result)
                    startNext()
                }
                return results
            }
            for (key, object, failure) in read {
                if let object { snapshot.objects.append(object) }
                if let failure { snapshot.otherTargetFailures[key] = failure }
            }
        }
        return snapshot
    }

    /// The server's version from GET /version (`{"major":"1","minor":"31+"}`); nil when it does not say.
    static func kubeVersion(client: KubeClient, timeout: Duration) async -> KubeVersion? {
        guard timeout > .zero, case .ok(let version) = await client.request("/version", timeout: timeout),
            let major = version["major"]?.stringValue.flatMap({ Int($0.filter(\.isNumber)) }),
            let minor = version["minor"]?.stringValue.flatMap({ Int($0.filter(\.isNumber)) })
        else { return nil }
        return KubeVersion(major: major, minor: minor)
    }

    /// An object from a list or a GET, named `namespace/name` where a file would be.
    static func object(_ value: JSONValue) -> ManifestObject {
        let metadata = value["metadata"]
        let name = [metadata?["namespace"]?.stringValue, metadata?["name"]?.stringValue].compactMap { $0 }.joined(
            separator: "/")
        return ManifestObject(value: value, file: name)
    }

    struct OtherTarget: Sendable {
        let key: String
        let apiVersion: String
        let kind: String
        let namespace: String
        let name: String
    }

    /// The targets of HPAs whose kind is not listed (not apps/v1 Deployment, StatefulSet or ReplicaSet), once each.
    static func otherTargets(_ objects: [ManifestObject]) -> [OtherTarget] {
        var seen: Set<String> = []
        var targets: [OtherTarget] = []
        for object in objects where HPA.isHPA(object) {
            let reference = object.value["spec"]?["scaleTargetRef"]
            let apiVersion = reference?["apiVersion"]?.stringValue ?? ""
            let kind = reference?["kind"]?.stringValue ?? ""
            let name = reference?["name"]?.stringValue ?? ""
            let namespace = object.namespace ?? ""
            guard AuditSnapshot.Source.workload(kind: kind, group: APIVersion(apiVersion).group) == nil, !kind.isEmpty,
                !name.isEmpty
            else { continue }
            let key = "\(namespace)/\(kind)/\(name)"
            if seen.insert(key).inserted {
                targets.append(
                    OtherTarget(key: key, apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
            }
        }
        return targets
    }

    /// The target object; when it may not be read, its /scale (get on */scale is what the HPA controller has too)
    /// stands in for it with the replicas it reports. A 404 is a target that does not exist: not a failure.
    static func readTarget(_ target: OtherTarget, client: KubeClient, timeout: Duration) async -> (
        String, ManifestObject?, String?
    ) {
        guard
            let path = ResourcePath.object(
                apiVersion: target.apiVersion, kind: target.kind, namespace: target.namespace, name: target.name)
        else { return (target.key, nil, nil) }
        switch await client.request(path, timeout: timeout) {
        case .ok(let value):
            return (target.key, object(value), nil)
        case .status(404, _):
            return (target.key, nil, nil)
        case .status(403, let reason):
            guard case .ok(let scale) = await client.request(path + "/scale", timeout: timeout) else {
                return (target.key, nil, reason)
            }
            var stand: JSONValue = [
                "apiVersion": .string(target.apiVersion), "kind": .string(target.kind),
                "metadata": ["name": .string(target.name), "namespace": .string(target.namespace)],
            ]
            if let replicas = scale["spec"]?["replicas"] { stand.set(["replicas": replicas], at: "/spec") }
            return (target.key, object(stand), nil)
        case .status(_, let reason), .failed(let reason):
            return (target.key, nil, reason)
        }
    }

    // MARK: - Evaluating

    /// Findings for every HPA in the snapshot, sorted; and how many HPAs there were.
    func evaluate(_ snapshot: AuditSnapshot, now: Timestamp) -> ([Finding], Int) {
        let engine = Engine(policy: policy, kubeVersion: snapshot.kubeVersion ?? .newestStable, vantage: .admission)
        let resolver = AuditResolver(
            inventory: InventoryResolver(
                objects: snapshot.objects, kinds: policy.settings.workloadKinds, isComplete: true),
            failures: snapshot.failures, otherTargets: snapshot.otherTargetFailures)
        let hpas = snapshot.objects.filter(HPA.isHPA)
        let failures = snapshot.failures.sorted { $0.key < $1.key }
        let results = concurrentMap(batches(of: hpas)) { batch in batch.map { object -> [Finding] in
            let key = object.file
            let reference = object.value["spec"]?["scaleTargetRef"]
            let targetSource = AuditSnapshot.Source.workload(
                kind: reference?["kind"]?.stringValue ?? "",
                group: APIVersion(reference?["apiVersion"]?.stringValue ?? "").group)
            // A failed list of workloads matters to the HPAs that target that kind; the others to every HPA.
            var unread = failures.filter { source, _ in
                source != .hpas
                    && (AuditSnapshot.Source.workload(kind: source.kind, group: "apps") == nil || source == targetSource)
            }.map { source, reason in "\(source.rawValue) (\(reason)); skipped: \(source.skippedChecks)" }
            let targetKind = reference?["kind"]?.stringValue ?? ""
            let targetName = reference?["name"]?.stringValue ?? ""
            if let reason = snapshot.otherTargetFailures["\(object.namespace ?? "")/\(targetKind)/\(targetName)"] {
                unread.append("the target \(targetKind) \(targetName) (\(reason)); skipped: the checks of the target workload")
            }
            var findings = engine.evaluate(object, resolver: resolver)
            if let state = LiveHPAState(
                object: object, events: snapshot.events[key] ?? [], now: now, window: options.since, unread: unread)
            {
                findings += engine.evaluateLive(state, resolver: resolver)
            }
            guard let owner = Self.manager(of: object) else { return findings }
            return findings.map { finding in
                var noted = finding
                noted.message += " (\(owner) manages this HPA and rewrites it: make the change there)"
                return noted
            }
        } }
        let findings = results.flatMap { $0.flatMap { $0 } }.map { finding -> Finding in
            var cluster = finding
            cluster.source = .cluster
            cluster.position = nil
            return cluster
        }
        return (findings.sorted(by: Self.order), hpas.count)
    }

    /// The KServe InferenceService or KEDA ScaledObject that owns `hpa` (its controller reconciles the HPA, so a
    /// fix made to the HPA itself is undone), from the HPA's ownerReferences.
    static func manager(of hpa: ManifestObject) -> String? {
        let owners = hpa.value["metadata"]?["ownerReferences"]?.arrayValue ?? []
        for owner in owners {
            let group = APIVersion(owner["apiVersion"]?.stringValue ?? "").group
            let kind = owner["kind"]?.stringValue ?? ""
            guard let name = owner["name"]?.stringValue,
                (group == "serving.kserve.io" && kind == "InferenceService") || (group == "keda.sh" && kind == "ScaledObject")
            else { continue }
            let fields = kind == "InferenceService"
                ? "spec.predictor minReplicas, maxReplicas, scaleMetric, scaleTarget"
                : "minReplicaCount, maxReplicaCount, triggers, advanced.horizontalPodAutoscalerConfig"
            return "\(kind) \(hpa.namespace ?? "")/\(name) (\(fields))"
        }
        return nil
    }

    /// Namespace, name, rule, message: the order the issue asks for (the object's, then the file's for findings
    /// without one).
    static func order(_ lhs: Finding, _ rhs: Finding) -> Bool {
        let left = (lhs.object?.namespace ?? "", lhs.object?.name ?? lhs.file, lhs.rule, lhs.message)
        let right = (rhs.object?.namespace ?? "", rhs.object?.name ?? rhs.file, rhs.rule, rhs.message)
        return left < right
    }
}
