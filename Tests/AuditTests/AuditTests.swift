import Audit
import Cluster
import Engine
import Foundation
import Manifests
import Testing

/// The recorded cluster is observed at the live rules' example time.
private let now = LiveHPAState.exampleNow

/// The bounds are generous where a test is not about them: the whole suite shares two cores with subprocesses, and
/// a test here may wait seconds for a thread.
private func audit(
    port: Int, namespace: String? = nil, pageSize: Int = 500, deadline: Duration = .seconds(60)
) async throws -> AuditResult {
    var config = KubeAPIConfig(server: "http://127.0.0.1:\(port)", source: "test")
    config.token = StandInKubeAPI.token
    let client = try KubeClient(config: config, connectTimeout: .seconds(20), userAgent: "hpaguard-audit")
    var options = AuditOptions()
    options.namespace = namespace
    options.pageSize = pageSize
    options.deadline = deadline
    options.requestTimeout = min(deadline, .seconds(30))
    do {
        let result = try await ClusterAuditor(
            client: client, policy: try PolicyLoader.defaultPolicy(), options: options
        ).run(now: now)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// `namespace/name rule` of every finding.
private func keys(_ result: AuditResult) -> [String] { result.findings.map { "\($0.file) \($0.rule)" } }

@Suite("hpaguard audit against a stand-in API server")
struct AuditTests {
    @Test("the recorded cluster: each live rule fires on its HPA and nowhere else; spec rules run with live targets")
    func recordedCluster() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        let result = try await withStandIn(api) { try await audit(port: $0) }
        #expect(result.hpas == 9)
        let found = Set(keys(result))
        let live: [(String, String)] = [
            ("ml/chat-vllm", "metrics-unavailable"), ("ml/embed", "cannot-scale"), ("ml/llama", "pinned-at-max"),
            ("ml/rerank", "scale-up-throttled"), ("ml/tgi", "flapping"), ("ml/whisper", "replicas-mismatch"),
            ("ml/sdxl", "never-scaled"),
        ]
        let liveIDs = Set(live.map(\.1))
        for (object, rule) in live {
            #expect(found.contains("\(object) \(rule)"), "\(rule) on \(object)")
            // Each live rule fires only where its state is.
            #expect(result.findings.filter { $0.rule == rule }.map(\.file) == [object], "\(rule) only on \(object)")
        }
        for healthy in ["ml/healthy", "team-b/web"] {
            #expect(
                !result.findings.contains { $0.file == healthy && liveIDs.contains($0.rule) }, "\(healthy) is healthy")
        }
        // The engine's spec rules see the live target: the sidecar without a CPU request, the missing Deployment.
        #expect(
            result.findings.contains {
                $0.rule == "target-missing-request" && $0.file == "ml/chat-vllm" && $0.message.contains("log-shipper")
            })
        #expect(found.contains("ml/embed target-not-found"))
        // Sorted by namespace, name, rule; every finding is a cluster finding without a line.
        let order = result.findings.map { [$0.object?.namespace ?? "", $0.object?.name ?? "", $0.rule] }
        #expect(order == order.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(result.findings.allSatisfy { $0.source == .cluster && $0.position == nil })
        #expect(
            !found.contains { $0.hasSuffix("audit-incomplete") },
            "KEDA and KServe absent (404) is not an incomplete audit")
    }

    @Test("the messages say what, why and since when")
    func messages() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        let result = try await withStandIn(api) { try await audit(port: $0) }
        func message(_ rule: String) -> String { result.findings.first { $0.rule == rule }?.message ?? "" }
        #expect(message("metrics-unavailable").contains("FailedGetResourceMetric"))
        #expect(message("metrics-unavailable").contains("container log-shipper"))
        #expect(message("metrics-unavailable").contains("has no request for the resource"))
        #expect(message("cannot-scale").contains("FailedGetScale"))
        #expect(message("pinned-at-max").contains("at maxReplicas (8) for 2h15m"))
        #expect(message("scale-up-throttled").contains("1 pod per 300s"))
        #expect(message("flapping").contains("rescaled 6 times"), "the rescale of yesterday is outside --since 1h")
        #expect(message("replicas-mismatch").contains("desiredReplicas is 6 but currentReplicas is 4, 40m"))
        #expect(message("never-scaled").contains("4 GPU-requesting pods (1 nvidia.com/gpu each)"))
    }

    @Test("lists are read in pages: limit is sent, continue is followed to the last page")
    func pagination() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        let paged = try await withStandIn(api) { try await audit(port: $0, pageSize: 2) }
        let hpaPages = api.requests.filter { $0.hasPrefix("/apis/autoscaling/v2/horizontalpodautoscalers?") }
        #expect(hpaPages.count == 5, "9 HPAs in pages of 2")
        #expect(hpaPages.allSatisfy { $0.contains("limit=2") })
        #expect(hpaPages.dropFirst().allSatisfy { $0.contains("continue=page-") })
        #expect(
            api.requests.contains {
                $0.hasPrefix("/api/v1/events?")
                    && $0.contains("fieldSelector=involvedObject.kind%3DHorizontalPodAutoscaler")
            })
        let whole = try await withStandIn(StandInKubeAPI(lists: try AuditFixtures.cluster())) {
            try await audit(port: $0)
        }
        #expect(keys(paged) == keys(whole), "paging changes nothing")
    }

    @Test("one namespace: only its HPAs, its lists")
    func oneNamespace() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        let result = try await withStandIn(api) { try await audit(port: $0, namespace: "team-b") }
        #expect(result.hpas == 1)
        #expect(result.findings.allSatisfy { $0.object?.namespace == "team-b" })
        #expect(api.requests.filter { $0.contains("/namespaces/") }.count >= 7)
        #expect(!api.requests.contains { $0.hasPrefix("/apis/autoscaling/v2/horizontalpodautoscalers") })
    }

    @Test("KEDA and KServe installed: their lists are read; a ScaledObject beside an HPA is duplicate-scalers")
    func optionalAPIsPresent() async throws {
        var lists = try AuditFixtures.cluster()
        let scaledObject: JSONValue = [
            "metadata": ["name": "whisper", "namespace": "ml"],
            "spec": ["scaleTargetRef": ["name": "whisper"], "minReplicaCount": 1, "maxReplicaCount": 4],
        ]
        lists[.init(apiVersion: "keda.sh/v1alpha1", resource: "scaledobjects")] = [scaledObject]
        lists[.init(apiVersion: "serving.kserve.io/v1beta1", resource: "inferenceservices")] = []
        let result = try await withStandIn(StandInKubeAPI(lists: lists)) { try await audit(port: $0) }
        #expect(keys(result).contains("ml/whisper duplicate-scalers"))
    }

    @Test("a 403 on one kind: the audit goes on and each HPA says which checks it skipped")
    func forbiddenKind() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        api.set(.forbid, for: .init(apiVersion: "v1", resource: "limitranges"))
        let result = try await withStandIn(api) { try await audit(port: $0) }
        let incomplete = result.findings.filter { $0.rule == "audit-incomplete" }
        #expect(incomplete.count == 9, "one per HPA")
        #expect(
            incomplete.allSatisfy {
                $0.message.contains("LimitRanges (forbidden (403)") && $0.message.contains("target-missing-request")
            })
        #expect(incomplete.allSatisfy { $0.severity == .info })
        #expect(result.notes == ["LimitRanges not read: forbidden (403): RBAC does not allow get/list here"])
        #expect(keys(result).contains("ml/llama pinned-at-max"), "the other checks still run")
    }

    @Test("a 403 on the HPAs themselves is an error, not an empty audit")
    func forbiddenHPAs() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        api.set(.forbid, for: .init(apiVersion: "autoscaling/v2", resource: "horizontalpodautoscalers"))
        await #expect(throws: AuditError.self) {
            try await withStandIn(api) { try await audit(port: $0) }
        }
    }

    @Test("an API that hangs: the deadline holds, and what was not read is said")
    func hangingAPI() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        api.set(.hang, for: .init(apiVersion: "apps/v1", resource: "deployments"))
        // Long enough that the lists that answer do so on a machine busy with the rest of the suite (at 1 s the HPA
        // list itself missed it there), short enough to show that the hung one does not hold the audit.
        let deadline = Duration.seconds(6)
        let (result, took) = try await withStandIn(api) { port in
            let started = ContinuousClock.now
            let result = try await audit(port: port, deadline: deadline)
            return (result, ContinuousClock.now - started)
        }
        // The read stops at the deadline, not when the hung list answers (it would after 300 s). How long after the
        // deadline is the machine's business: with the whole suite on two cores, the audit's tasks have waited 12 s
        // for a thread.
        #expect(result.duration >= deadline, "\(result.duration)")
        #expect(result.duration < .seconds(60) && took < .seconds(60), "\(result.duration), \(took)")
        #expect(result.hpas == 9)
        let incomplete = result.findings.filter { $0.rule == "audit-incomplete" }
        // Every HPA here targets a Deployment. (On a loaded machine another list may miss the deadline too.)
        let deploymentsUnread = incomplete.filter {
            // The page's own deadline or the audit's, whichever the clock reaches first: both are 6 s here.
            $0.message.contains("Deployments (no answer within")
        }
        #expect(deploymentsUnread.count == 9, "\(incomplete.map(\.message))")
        let unread = result.findings.first { $0.file == "ml/embed" && $0.rule == "target-not-found" }?.message ?? ""
        #expect(
            unread.contains("could not look up Deployment embed-server: cannot list Deployments"), "unread, not missing"
        )
        #expect(keys(result).contains("ml/llama pinned-at-max"))
    }

    @Test("a cluster with no HPAs: nothing to say, no error")
    func noHPAs() async throws {
        var lists = try AuditFixtures.cluster()
        lists[.init(apiVersion: "autoscaling/v2", resource: "horizontalpodautoscalers")] = []
        let result = try await withStandIn(StandInKubeAPI(lists: lists)) { try await audit(port: $0) }
        #expect(result.hpas == 0)
        #expect(result.findings.isEmpty)
    }

    @Test("a target of another kind is read by name; when it is forbidden, its /scale stands in for it")
    func otherKindTargets() async throws {
        var lists = try AuditFixtures.cluster()
        func hpa(_ name: String) -> JSONValue {
            [
                "metadata": ["name": .string(name), "namespace": "ml"],
                "spec": [
                    "scaleTargetRef": [
                        "apiVersion": "leaderworkerset.x-k8s.io/v1", "kind": "LeaderWorkerSet", "name": .string(name),
                    ],
                    "minReplicas": 1, "maxReplicas": 4,
                ],
                "status": ["currentReplicas": 1, "desiredReplicas": 1],
            ]
        }
        lists[.init(apiVersion: "autoscaling/v2", resource: "horizontalpodautoscalers")]? += [
            hpa("llama-lws"), hpa("gone-lws"),
        ]
        let scale: JSONValue = [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": ["name": "llama-lws", "namespace": "ml"],
            "spec": ["replicas": 1],
            "status": ["replicas": 1, "selector": "leaderworkerset.sigs.k8s.io/name=llama-lws"],
        ]
        let path = "/apis/leaderworkerset.x-k8s.io/v1/namespaces/ml/leaderworkersets/"
        let api = StandInKubeAPI(
            lists: lists, objects: [path + "llama-lws/scale": scale], forbidden: [path + "llama-lws"])
        let result = try await withStandIn(api) { try await audit(port: $0) }
        #expect(api.requests.contains(path + "llama-lws/scale"))
        #expect(
            !keys(result).contains {
                $0.hasPrefix("ml/llama-lws ") && ($0.hasSuffix("target-not-found") || $0.hasSuffix("audit-incomplete"))
            })
        #expect(keys(result).contains("ml/gone-lws target-not-found"), "a 404 on the object: it does not exist")
    }
}

@Suite("Cluster: paginated lists")
struct ClusterListTests {
    @Test("KubeClient.list follows continue and gives every item with its apiVersion and kind")
    func list() async throws {
        let api = StandInKubeAPI(lists: try AuditFixtures.cluster())
        let items = try await withStandIn(api) { port -> [JSONValue] in
            var config = KubeAPIConfig(server: "http://127.0.0.1:\(port)", source: "test")
            config.token = StandInKubeAPI.token
            let client = try KubeClient(config: config, connectTimeout: .seconds(20))
            let result = await client.list(
                "/apis/apps/v1/deployments", kind: "Deployment", limit: 3, pageTimeout: .seconds(30))
            await client.shutdown()
            guard case .items(let items) = result else { throw AuditTestFailure("\(result)") }
            return items
        }
        #expect(items.count == 8)
        #expect(
            items.allSatisfy { $0["kind"]?.stringValue == "Deployment" && $0["apiVersion"]?.stringValue == "apps/v1" })
        #expect(api.requests.filter { $0.hasPrefix("/apis/apps/v1/deployments") }.count == 3)
    }
}
