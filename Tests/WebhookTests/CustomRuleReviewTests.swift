import Cluster
import Engine
import Foundation
import Logging
import Manifests
import Testing

@testable import Webhook

/// Custom rules in a review: what the webhook binds that lint cannot (the request's user, the stored object of an
/// UPDATE, the namespace), and that it reads the namespace and the user only when a rule names them.
@Suite("custom rules in the webhook")
struct CustomRuleReviewTests {
    static let policy = """
        customRules:
          - id: only-platform-lowers-floors
            summary: Only the platform team lowers minReplicas
            validations:
              - expression: >-
                  oldObject == null || object.spec.minReplicas >= oldObject.spec.minReplicas ||
                  'platform' in request.userInfo.groups
                messageExpression: "request.userInfo.username + ' lowered minReplicas from ' + string(oldObject.spec.minReplicas)"
                fieldPath: spec.minReplicas
          - id: tier-from-namespace
            severity: warning
            summary: HPAs in a namespace labelled tier=gold keep two replicas
            validations:
              - expression: >-
                  namespaceObject == null || namespaceObject.metadata.?labels[?'tier'].orValue('') != 'gold' ||
                  object.spec.minReplicas >= 2
                message: gold namespaces keep two replicas
        """

    /// Answers every snapshot with `namespace` as the HPA's Namespace, and counts the snapshots it was asked for.
    struct NamespaceReader: ClusterReader {
        let namespace: JSONValue?

        func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot {
            ClusterSnapshot(namespaceObject: self.namespace)
        }
    }

    static func controller(reader: any ClusterReader) throws -> AdmissionController {
        let engine = Engine(policy: try PolicyLoader.load(text: policy, file: "policy.yaml"), vantage: .admission)
        return AdmissionController(
            engine: engine, cluster: reader, metrics: WebhookMetrics(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func hpa(minReplicas: Int) -> JSONValue {
        [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": ["name": "vllm", "namespace": "ml"],
            "spec": [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "vllm"],
                "minReplicas": .int(Int64(minReplicas)), "maxReplicas": 8,
            ],
        ]
    }

    static func namespace(tier: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "ml", "labels": ["tier": .string(tier)]]]
    }

    static func review(_ controller: AdmissionController, _ body: [UInt8]) async throws -> JSONValue {
        let answer = await controller.review(body, endpoint: .validate)
        #expect(answer.status == 200)
        return try #require(JSONParser.parse(answer.body)["response"])
    }

    @Test func anUpdateThatLowersTheFloorIsDeniedForAnyoneButThePlatformTeam() async throws {
        let controller = try Self.controller(reader: NamespaceReader(namespace: nil))
        let lowered = Reviews.request(
            uid: "u1", operation: "UPDATE", object: Self.hpa(minReplicas: 2), oldObject: Self.hpa(minReplicas: 4))
        let denied = try await Self.review(controller, lowered)
        #expect(denied["allowed"] == false)
        #expect(denied["status"]?["message"]?.stringValue?.contains(
            "[only-platform-lowers-floors] /spec/minReplicas: kubernetes-admin lowered minReplicas from 4") == true, "\(denied)")

        let platform = String(decoding: lowered, as: UTF8.self)
            .replacing(#""groups":["system:masters","system:authenticated"]"#, with: #""groups":["platform"]"#)
        #expect(platform != String(decoding: lowered, as: UTF8.self), "the request names the groups as expected")
        #expect(try await Self.review(controller, Array(platform.utf8))["allowed"] == true)

        let created = Reviews.request(uid: "c1", object: Self.hpa(minReplicas: 2))
        #expect(try await Self.review(controller, created)["allowed"] == true, "a CREATE has no oldObject")
    }

    @Test func theNamespaceObjectIsWhatTheClusterSays() async throws {
        let body = Reviews.request(uid: "n1", object: Self.hpa(minReplicas: 1))
        let gold = try await Self.review(try Self.controller(reader: NamespaceReader(namespace: Self.namespace(tier: "gold"))), body)
        #expect(gold["warnings"]?.arrayValue?.contains { $0.stringValue?.contains("[tier-from-namespace]") == true } == true, "\(gold)")
        let silver = try await Self.review(try Self.controller(reader: NamespaceReader(namespace: Self.namespace(tier: "silver"))), body)
        #expect(silver["warnings"]?.arrayValue?.contains { $0.stringValue?.contains("[tier-from-namespace]") == true } != true, "\(silver)")
    }

    @Test func userInfoIsDecodedOnlyWhenARuleReadsIt() throws {
        let body = Reviews.request(uid: "p", object: Self.hpa(minReplicas: 2))
        #expect(try AdmissionReview.parseRequest(body).userInfo == .null)
        #expect(try AdmissionReview.parseRequest(body, reading: .init(userInfo: true)).userInfo["username"] == "kubernetes-admin")
        let engine = Engine(policy: try PolicyLoader.load(text: Self.policy, file: "policy.yaml"))
        #expect(engine.customRulesReadUserInfo)
        #expect(engine.customRulesReadNamespace)
        #expect(!Engine(policy: try PolicyLoader.defaultPolicy()).customRulesReadNamespace)
        // `oldObject == null` reads the stored object whole, managedFields and all; the object is read by paths.
        let reading = AdmissionReview.Reading(engine: engine)
        #expect(reading.objectParts.isEmpty && reading.oldObjectParts == AdmissionReview.Reading.optionalParts)
        let builtIn = AdmissionReview.Reading(engine: Engine(policy: try PolicyLoader.defaultPolicy()))
        #expect(!builtIn.userInfo && builtIn.objectParts.isEmpty && builtIn.oldObjectParts.isEmpty)
    }

    @Test("managedFields and status are read by a rule whose paths reach them or read a value that holds them")
    func readsOfManagedFields() throws {
        func reads(_ expression: String) throws -> (object: [[String]], oldObject: [[String]]) {
            let policy = """
                customRules:
                  - id: probe
                    summary: a probe
                    validations:
                      - expression: "\(expression)"
                        message: probe
                """
            let reading = AdmissionReview.Reading(
                engine: Engine(policy: try PolicyLoader.load(text: policy, file: "policy.yaml")))
            return (reading.objectParts, reading.oldObjectParts)
        }
        let managedFields = ["metadata", "managedFields"]
        #expect(try reads("has(object.metadata.labels)") == ([], []))
        #expect(try reads("has(object.metadata.managedFields)") == ([managedFields], []))
        #expect(try reads("size(object.metadata) > 0") == ([managedFields], []))
        #expect(try reads("has(oldObject.metadata.managedFields) && has(object.spec)") == ([], [managedFields]))
        #expect(try reads("object.status.currentReplicas > 0") == ([["status"]], []))
    }
}

extension CustomRuleReviewTests {
    /// The webhook leaves managedFields and status unbuilt, as no built-in rule reads them in a review; a custom rule
    /// that does sees them as lint does, in the object and in the stored object.
    @Test func aRuleThatReadsManagedFieldsOrStatusSeesThem() async throws {
        let policy = """
            customRules:
              - id: server-side-apply
                severity: warning
                summary: HPAs are applied server-side
                validations:
                  - expression: "!object.metadata.?managedFields.orValue([]).exists(f, f.manager == 'kubectl-client-side-apply')"
                    message: applied client-side
              - id: owner-kept
                severity: warning
                summary: an update keeps the stored object's field owners
                validations:
                  - expression: >-
                      oldObject == null || oldObject.metadata.?managedFields.orValue([]).size() <=
                      object.metadata.?managedFields.orValue([]).size()
                    message: field owners dropped
              - id: status-read
                severity: warning
                summary: the status a review sees
                validations:
                  - expression: "!has(object.status) || object.status.currentReplicas < 100"
                    message: over a hundred replicas
            """
        let engine = Engine(policy: try PolicyLoader.load(text: policy, file: "policy.yaml"), vantage: .admission)
        let controller = AdmissionController(
            engine: engine, cluster: NamespaceReader(namespace: nil), metrics: WebhookMetrics(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        func managed(by managers: [String]) -> JSONValue {
            var hpa = Self.hpa(minReplicas: 2)
            hpa.set(.array(managers.map { ["manager": .string($0), "operation": "Update"] }), at: "/metadata/managedFields")
            return hpa
        }
        func warnings(_ body: [UInt8]) async throws -> [String] {
            try await Self.review(controller, body)["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let clientSide = try await warnings(Reviews.request(uid: "m1", object: managed(by: ["kubectl-client-side-apply"])))
        #expect(clientSide.contains { $0.contains("[server-side-apply]") }, "\(clientSide)")
        let serverSide = try await warnings(Reviews.request(uid: "m2", object: managed(by: ["kubectl"])))
        #expect(!serverSide.contains { $0.contains("[server-side-apply]") }, "\(serverSide)")
        let dropped = try await warnings(Reviews.request(
            uid: "m3", operation: "UPDATE", object: managed(by: ["kubectl"]), oldObject: managed(by: ["kubectl", "argocd"])))
        #expect(dropped.contains { $0.contains("[owner-kept]") }, "\(dropped)")
        var large = Self.hpa(minReplicas: 2)
        large.set(["currentReplicas": 150, "desiredReplicas": 150], at: "/status")
        let status = try await warnings(Reviews.request(uid: "s1", object: large))
        #expect(status.contains { $0.contains("[status-read]") }, "\(status)")
    }

    @Test func theClusterReaderFetchesTheNamespaceOnlyWhenAskedTo() async throws {
        let pki = try await TestPKI()
        let apiPair = try await pki.leaf("api", serial: 3301)
        let namespace = Self.namespace(tier: "gold")
        let api = FakeKubeAPI(objects: ["/api/v1/namespaces/ml": Array(namespace.serialized().utf8)])
        let port = try await api.start(certificate: apiPair.certificate, key: apiPair.key)
        let kubeconfig = try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:\(port)", ca: pki.caCertificate)
        let client = try KubeClient(config: try KubeConfigLoader.load(kubeconfig: kubeconfig), connectTimeout: .seconds(20))
        let hpa = ManifestObject(value: Self.hpa(minReplicas: 1), file: "<test>")
        let reading = KubernetesClusterReader(client: client, timeout: .seconds(20), readsNamespace: true) {}
        let snapshot = await reading.snapshot(around: hpa, namespace: "ml")
        let skipping = KubernetesClusterReader(client: client, timeout: .seconds(20)) {}
        let without = await skipping.snapshot(around: hpa, namespace: "ml")
        await client.shutdown()
        await api.stop()
        #expect(snapshot.namespaceObject?["metadata"]?["labels"]?["tier"] == "gold")
        #expect(without.namespaceObject == nil)
    }
}
