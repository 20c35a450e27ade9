import Cluster
import Engine
import Foundation
import Logging
import Manifests
import Testing

@testable import Webhook

@Suite("kubeconfig")
struct KubeConfigTests {
    let pki: TestPKI

    init() async throws { pki = try await TestPKI() }

    func parse(_ path: String) throws -> KubeAPIConfig { try KubeConfigLoader.load(kubeconfig: path) }

    @Test("current-context, server, inline token and CA file")
    func tokenAndCAFile() throws {
        let path = try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:6443/", ca: pki.caCertificate)
        let config = try parse(path)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.token == FakeKubeAPI.token)
        #expect(config.certificateAuthorityPEM == Array(try Data(contentsOf: URL(fileURLWithPath: pki.caCertificate))))
        #expect(!config.insecureSkipTLSVerify)
        #expect(config.source.contains("context test"))
    }

    @Test("certificate-authority-data, tokenFile (relative to the kubeconfig) and insecure-skip-tls-verify")
    func dataTokenFileInsecure() throws {
        try "file-token\n".write(to: pki.directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let path = try writeKubeconfig(
            in: pki.directory, server: "https://127.0.0.1:6443", ca: pki.caCertificate, caInline: true, token: nil,
            tokenFile: "token", insecure: true)
        let config = try parse(path)
        #expect(config.certificateAuthorityPEM == Array(try Data(contentsOf: URL(fileURLWithPath: pki.caCertificate))))
        #expect(config.tokenFile == pki.directory.appendingPathComponent("token").path)
        #expect(config.insecureSkipTLSVerify)
        #expect(config.token == nil)
    }

    @Test("client certificate and key, as files and as data")
    func clientCertificate() async throws {
        let pair = try await pki.leaf("client", serial: 7)
        let certificate = try Data(contentsOf: URL(fileURLWithPath: pair.certificate))
        let key = try Data(contentsOf: URL(fileURLWithPath: pair.key))
        let asFiles = """
            current-context: c
            contexts: [{name: c, context: {cluster: k, user: u}}]
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]
            users: [{name: u, user: {client-certificate: \(pair.certificate), client-key: \(pair.key)}}]
            """
        let files = try KubeConfigLoader.parse(Array(asFiles.utf8), file: "k", directory: "/")
        #expect(files.clientCertificatePEM == Array(certificate))
        #expect(files.clientKeyPEM == Array(key))
        let asData = """
            current-context: c
            contexts: [{name: c, context: {cluster: k, user: u}}]
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]
            users: [{name: u, user: {client-certificate-data: \(certificate.base64EncodedString()), client-key-data: \(key.base64EncodedString())}}]
            """
        let data = try KubeConfigLoader.parse(Array(asData.utf8), file: "k", directory: "/")
        #expect(data.clientCertificatePEM == Array(certificate))
        #expect(data.clientKeyPEM == Array(key))
        // A client that uses them builds (the key matches, TLS material parses).
        let client = try KubeClient(config: data, connectTimeout: .seconds(1))
        Task { await client.shutdown() }
    }

    @Test("tls-server-name and proxy-url: http (with credentials) and socks5 proxies; https proxies are an error")
    func serverNameAndProxy() throws {
        func cluster(_ fields: String) throws -> KubeAPIConfig {
            let text = """
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: u}}]
                clusters: [{name: k, cluster: {server: "https://10.0.0.1:6443", \(fields)}}]
                users: [{name: u, user: {token: t}}]
                """
            return try KubeConfigLoader.parse(Array(text.utf8), file: "k", directory: "/")
        }
        #expect(try cluster("tls-server-name: kubernetes.default").tlsServerName == "kubernetes.default")
        #expect(try cluster("proxy-url: \"http://u:p%40ss@proxy.corp:3128\"").proxy
            == .http(host: "proxy.corp", port: 3128, user: "u", password: "p@ss"))
        #expect(try cluster("proxy-url: \"http://proxy.corp\"").proxy == .http(host: "proxy.corp", port: 80, user: nil, password: nil))
        #expect(try cluster("proxy-url: \"socks5://127.0.0.1:1080\"").proxy == .socks5(host: "127.0.0.1", port: 1080))
        for bad in [
            "proxy-url: \"https://proxy.corp:3128\"", "proxy-url: \"socks5://u:p@127.0.0.1:1080\"", "proxy-url: \"not a url\"",
            "proxy-url: \"http://proxy.corp:3128\", tls-server-name: kubernetes.default",
        ] {
            #expect(throws: KubeConfigError.self, "\(bad)") { try cluster(bad) }
        }
        // A refused proxy URL is named in the error without its password.
        #expect {
            try cluster("proxy-url: \"socks5://user:hunter2@127.0.0.1:1080\"")
        } throws: { error in
            "\(error)".contains("socks5://127.0.0.1:1080") && !"\(error)".contains("hunter2")
        }
    }

    @Test("exec plugins, auth-provider, a missing context or a certificate without key are start-up errors")
    func unsupported() throws {
        let exec = try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:6443", token: nil, exec: true)
        #expect(throws: KubeConfigError.self) { try parse(exec) }
        do {
            _ = try parse(exec)
        } catch let error as KubeConfigError {
            #expect(error.description.contains("exec credential plugin"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        let cases = [
            "current-context: nope\ncontexts: []\n",
            "contexts: []\n",
            """
            current-context: c
            contexts: [{name: c, context: {cluster: k, user: u}}]
            clusters: [{name: k, cluster: {server: "https://h"}}]
            users: [{name: u, user: {auth-provider: {name: gcp}}}]
            """,
            """
            current-context: c
            contexts: [{name: c, context: {cluster: k, user: u}}]
            clusters: [{name: k, cluster: {server: "https://h"}}]
            users: [{name: u, user: {client-certificate-data: QQ==}}]
            """,
            "not: [valid",
        ]
        for text in cases {
            #expect(throws: KubeConfigError.self, "\(text)") {
                try KubeConfigLoader.parse(Array(text.utf8), file: "k", directory: "/")
            }
        }
    }

    @Test("in-cluster: service host and port, token file and CA of the service account")
    func inCluster() throws {
        let directory = pki.directory.appendingPathComponent("sa")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "sa-token".write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: pki.caCertificate, toPath: directory.appendingPathComponent("ca.crt").path)
        let config = try KubeConfigLoader.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: directory.path)
        #expect(config?.server == "https://10.96.0.1:443")
        #expect(config?.tokenFile == directory.appendingPathComponent("token").path)
        #expect(config?.certificateAuthorityPEM != nil)
        #expect(try KubeConfigLoader.inCluster(environment: [:], serviceAccountDirectory: directory.path) == nil)
    }
}

@Suite("mutation planning")
struct MutationTests {
    struct SetMaxReplicas: AdmissionMutator {
        var needsTarget: Bool { false }
        func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> AdmissionMutation {
            object.value["spec"]?["maxReplicas"]?.integerValue == 10
                ? AdmissionMutation() : AdmissionMutation(operations: [JSONPatchOperation(op: .replace, path: "/spec/maxReplicas", value: 10)])
        }
    }

    struct Flapping: AdmissionMutator {
        var needsTarget: Bool { false }
        func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> AdmissionMutation {
            let current = object.value["spec"]?["maxReplicas"]?.integerValue ?? 0
            return AdmissionMutation(operations: [JSONPatchOperation(op: .replace, path: "/spec/maxReplicas", value: .int(current + 1))])
        }
    }

    struct Misplaced: AdmissionMutator {
        var needsTarget: Bool { false }
        func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> AdmissionMutation {
            AdmissionMutation(operations: [JSONPatchOperation(path: "/spec/nothing/here", value: 1)])
        }
    }

    let object = ManifestObject(
        value: ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "a"],
                "spec": ["maxReplicas": 3, "metrics": [["type": "Resource"]]]],
        file: "t")
    let resolver = InventoryResolver(objects: [])

    @Test("empty mutation set: unchanged; idempotent mutator: patch; non-idempotent or misplaced: rejected")
    func planning() {
        #expect(MutationPlanner.plan(object: object, mutator: NoMutations(), resolver: resolver) == .unchanged)
        #expect(MutationPlanner.plan(object: object, mutator: SetMaxReplicas(), resolver: resolver)
            == .patch([JSONPatchOperation(op: .replace, path: "/spec/maxReplicas", value: 10)]))
        var mutated = object
        mutated.value.set(10, at: "/spec/maxReplicas")
        #expect(MutationPlanner.plan(object: mutated, mutator: SetMaxReplicas(), resolver: resolver) == .unchanged)
        for mutator in [Flapping() as any AdmissionMutator, Misplaced()] {
            guard case .rejected = MutationPlanner.plan(object: object, mutator: mutator, resolver: resolver) else {
                Issue.record("\(mutator) must not patch")
                continue
            }
        }
    }

    @Test("the mutate endpoint sends the patch base64-encoded with patchType JSONPatch")
    func mutateResponse() async throws {
        let controller = AdmissionController(
            engine: Engine(policy: try PolicyLoader.defaultPolicy()), cluster: NoClusterReader(), mutator: SetMaxReplicas(),
            metrics: WebhookMetrics(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let answer = await controller.review(Reviews.request(uid: "m1", object: object.value), endpoint: .mutate)
        let response = try #require(try JSONParser.parse(answer.body)["response"])
        #expect(response["uid"] == "m1")
        #expect(response["patchType"] == "JSONPatch")
        let patch = try #require(response["patch"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        #expect(String(decoding: patch, as: UTF8.self) == #"[{"op":"replace","path":"/spec/maxReplicas","value":10}]"#)
        // Mutating the mutated object again: no patch at all.
        var mutated = object.value
        mutated.set(10, at: "/spec/maxReplicas")
        let again = await controller.review(Reviews.request(uid: "m2", object: mutated), endpoint: .mutate)
        let second = try #require(try JSONParser.parse(again.body)["response"])
        #expect(second["patch"] == nil && second["patchType"] == nil)
    }

    @Test("a model load time of Int64.max: both endpoints answer, the profile's window is capped at 3600 s")
    func hugeModelLoadTime() async throws {
        // The window was the load time times the profile's factor in Int64: one annotation crashed the webhook.
        let engine = Engine(policy: try PolicyLoader.defaultPolicy(), vantage: .admission)
        let controller = AdmissionController(
            engine: engine, cluster: NoClusterReader(), mutator: ProfileMutations(engine: engine),
            metrics: WebhookMetrics(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let annotations: JSONValue = [
            "hpaguard.io/profile": "llm-inference", "hpaguard.io/model-load-seconds": "9223372036854775807",
        ]
        let metric: JSONValue = [
            "type": "Pods",
            "pods": [
                "metric": ["name": "vllm:num_requests_waiting"], "target": ["type": "AverageValue", "averageValue": "5"],
            ],
        ]
        let hpa: JSONValue = [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": ["name": "llm", "namespace": "ml", "annotations": annotations],
            "spec": [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "llm"], "minReplicas": 2,
                "maxReplicas": 4, "metrics": [metric],
            ],
        ]
        let validated = await controller.review(Reviews.request(uid: "v1", object: hpa), endpoint: .validate)
        #expect(validated.status == 200)
        #expect(try JSONParser.parse(validated.body)["response"]?["uid"] == "v1")
        let mutated = await controller.review(Reviews.request(uid: "m1", object: hpa), endpoint: .mutate)
        let response = try #require(try JSONParser.parse(mutated.body)["response"])
        let patch = try #require(response["patch"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        #expect(String(decoding: patch, as: UTF8.self).contains(#""stabilizationWindowSeconds":3600"#))
    }
}

@Suite("admission messages and paths")
struct AdmissionMessageTests {
    @Test("warnings: 120 characters each, under 4096 in all")
    func warningLimits() {
        let long = Array(repeating: String(repeating: "w", count: 300), count: 100)
        let limited = AdmissionController.limit(long)
        #expect(limited.allSatisfy { $0.count <= 120 })
        #expect(limited.reduce(0) { $0 + $1.utf8.count } < 4096)
        #expect(limited.last?.hasSuffix("more warnings not shown") == true)
        #expect(AdmissionController.limit(["short"]) == ["short"])
        // Characters, not bytes: 150 two-byte characters are cut to 117 and "...", 120 CRLF-separated ones fit.
        let accented = AdmissionController.limit([String(repeating: "é", count: 150)])
        #expect(accented == [String(repeating: "é", count: 117) + "..."])
        let lines = String(repeating: "a\r\n", count: 60)
        #expect(AdmissionController.limit([lines]) == [lines])
        let ascii = AdmissionController.limit([String(repeating: "x", count: 121)])
        #expect(ascii == [String(repeating: "x", count: 117) + "..."])
        // ASCII up to the cut and other text after it: cut by bytes. A combining accent just after the cut belongs
        // to the last character kept.
        let mixed = AdmissionController.limit([String(repeating: "x", count: 130) + " 🚀"])
        #expect(mixed == [String(repeating: "x", count: 117) + "..."])
        let accentAtCut = AdmissionController.limit([String(repeating: "x", count: 116) + "e\u{301}" + String(repeating: "y", count: 10)])
        #expect(accentAtCut == [String(repeating: "x", count: 116) + "e\u{301}..."])
        let carriageReturn = AdmissionController.limit([String(repeating: "x", count: 116) + "\r\n" + String(repeating: "y", count: 10)])
        #expect(carriageReturn == [String(repeating: "x", count: 116) + "\r\n..."])
    }

    @Test("the hand-written answer is valid JSON whatever the strings hold")
    func answerEscaping() throws {
        let odd = "quote \" backslash \\ newline \n tab \t bell \u{07} del \u{7F} é 🚀"
        let body = AdmissionReview.response(
            uid: odd, allowed: false, status: (403, "Forbidden", odd), warnings: [odd, "plain"], patch: Array("[]".utf8))
        let parsed = try JSONParser.parse(body)
        #expect(parsed["response"]?["uid"]?.stringValue == odd)
        #expect(parsed["response"]?["status"]?["message"]?.stringValue == odd)
        #expect(parsed["response"]?["warnings"] == [.string(odd), "plain"])
        #expect(parsed["response"]?["patch"] == "W10=")
    }

    @Test("resource paths for the workload kinds")
    func paths() {
        #expect(ResourcePath.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: "vllm") == "/apis/apps/v1/namespaces/ml/deployments/vllm")
        #expect(ResourcePath.object(apiVersion: "v1", kind: "ReplicationController", namespace: "ml", name: "rc") == "/api/v1/namespaces/ml/replicationcontrollers/rc")
        #expect(ResourcePath.object(apiVersion: "leaderworkerset.x-k8s.io/v1", kind: "LeaderWorkerSet", namespace: "ml", name: "l") == "/apis/leaderworkerset.x-k8s.io/v1/namespaces/ml/leaderworkersets/l")
        #expect(ResourcePath.object(apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", namespace: "ml", name: "r") == "/apis/argoproj.io/v1alpha1/namespaces/ml/rollouts/r")
        #expect(ResourcePath.plural(of: "Policy") == "policies")
        #expect(ResourcePath.plural(of: "Ingress") == "ingresses")
        #expect(ResourcePath.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: "../secrets") == nil)
        #expect(ResourcePath.object(apiVersion: "a/b/c", kind: "Deployment", namespace: "ml", name: "x") == nil)
    }

    @Test("list items get the apiVersion and kind the API server leaves out")
    func listItems() throws {
        let items = KubernetesClusterReader.items(of: try Fixtures.value("testdata/webhook/hpa-list-ml.json"), kind: "HorizontalPodAutoscaler")
        #expect(items.count == 1)
        #expect(items.first?.apiVersion == "autoscaling/v2")
        #expect(HPA.isHPA(try #require(items.first)))
    }

    @Test("parts nothing reads and the stored object are checked like the rest but not built: same errors, same tree less them")
    func unreadMembers() throws {
        let body = try Fixtures.bytes("testdata/webhook/review-update-with-managed-fields.json")
        let unread = [
            ["request", "userInfo"], ["request", "options"], ["request", "resource"], ["request", "requestKind"],
            ["request", "requestResource"], ["request", "requestSubResource"],
            ["request", "object", "metadata", "managedFields"], ["request", "object", "status"], ["request", "oldObject"],
        ]
        func withoutUnread(_ value: JSONValue) -> JSONValue {
            var value = value
            for path in unread { value.remove(at: JSONPointer(tokens: path)) }
            return value
        }
        let full = try JSONParser.parse(body)
        #expect(full["request"]?["oldObject"]?["metadata"]?["managedFields"]?.arrayValue?.count == 2)
        #expect(try JSONParser.parse(body, leavingOut: AdmissionReview.unreadMembers) == withoutUnread(full))
        // The stored object is left out too, but where it is is kept: built on its own, it is what the full parse
        // has there, managedFields aside.
        let stored = try #require(try AdmissionReview.parseRequest(body).oldObject?.decode())
        var expectedStored = try #require(full["request"]?["oldObject"])
        expectedStored.remove(at: "/metadata/managedFields")
        expectedStored.remove(at: "/status")
        #expect(stored == expectedStored && stored["spec"]?["maxReplicas"] == 4)

        // Each byte in turn replaced by one that breaks JSON in its own way (a quote, a backslash, a control byte,
        // invalid UTF-8, a brace): both parses fail with the same message at the same byte, or both succeed.
        var checked = 0
        for position in body.indices where position % 7 == 0 {
            for replacement: UInt8 in [0x22, 0x5C, 0x01, 0xFF, 0x7D] where body[position] != replacement {
                var broken = body
                broken[position] = replacement
                let fullResult = Result { () throws(JSONParser.Error) in try JSONParser.parse(broken) }
                let leanResult = Result { () throws(JSONParser.Error) in
                    try JSONParser.parse(broken, leavingOut: AdmissionReview.unreadMembers)
                }
                switch (fullResult, leanResult) {
                case (.failure(let fullError), .failure(let leanError)):
                    #expect(fullError == leanError, "byte \(position) set to \(replacement)")
                case (.success(let fullValue), .success(let leanValue)):
                    #expect(leanValue == withoutUnread(fullValue), "byte \(position) set to \(replacement)")
                default:
                    Issue.record("byte \(position) set to \(replacement): \(fullResult) but \(leanResult)")
                }
                checked += 1
            }
        }
        #expect(checked > 3000)
    }

    @Test("a list from the API server keeps its items, each without managedFields")
    func unreadMembersOfListItems() throws {
        let review = try JSONParser.parse(Fixtures.bytes("testdata/webhook/review-update-with-managed-fields.json"))
        let items = try [#require(review["request"]?["object"]), #require(review["request"]?["oldObject"])]
        let list: JSONValue = ["kind": "HorizontalPodAutoscalerList", "apiVersion": "autoscaling/v2", "items": .array(items)]
        let lean = try JSONParser.parse(Array(list.serialized().utf8), leavingOut: KubeClient.unreadMembers)
        let leanItems = try #require(lean["items"]?.arrayValue)
        #expect(leanItems.count == 2)
        for (leanItem, item) in zip(leanItems, items) {
            var expected = item
            expected.remove(at: JSONPointer(tokens: ["metadata", "managedFields"]))
            #expect(item["metadata"]?["managedFields"] != nil)
            #expect(leanItem == expected)
        }
        // A single object (GET of the target) loses its own managedFields the same way.
        let target = try Fixtures.bytes("testdata/webhook/deployment-vllm.json")
        var expected = try JSONParser.parse(target)
        #expect(expected["metadata"]?["managedFields"] != nil)
        expected.remove(at: JSONPointer(tokens: ["metadata", "managedFields"]))
        #expect(try JSONParser.parse(target, leavingOut: KubeClient.unreadMembers) == expected)
    }
}

extension JSONValue {
    /// Removes the member at `pointer` (through objects only), if there.
    fileprivate mutating func remove(at pointer: JSONPointer) {
        guard case .object(var object) = self, let first = pointer.tokens.first else { return }
        if pointer.tokens.count == 1 {
            object[first] = nil
        } else if var child = object[first] {
            child.remove(at: JSONPointer(tokens: Array(pointer.tokens.dropFirst())))
            object[first] = child
        }
        self = .object(object)
    }
}

@Suite("log lines")
struct LogLineTests {
    static func written(_ value: Logger.Metadata.Value) -> String {
        var bytes: [UInt8] = []
        JSONLogHandler.append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("metadata values keep their JSON types: numbers and booleans bare, everything else a string")
    func metadataTypes() {
        #expect(Self.written(.stringConvertible(42)) == "42")
        #expect(Self.written(.stringConvertible(-7)) == "-7")
        #expect(Self.written(.stringConvertible(1.25)) == "1.25")
        #expect(Self.written(.stringConvertible(Double.infinity)) == "\"inf\"")
        #expect(Self.written(.stringConvertible(true)) == "true")
        #expect(Self.written(.stringConvertible(Int32(5))) == "\"5\"")  // not an Int: its description, quoted
        #expect(Self.written(.string("say \"hi\"\n")) == #""say \"hi\"\n""#)
        #expect(Self.written(.array([.string("a"), .stringConvertible(false)])) == #"["a",false]"#)
        #expect(Self.written(.dictionary(["b": .stringConvertible(2), "a": .string("x")])) == #"{"a":"x","b":2}"#)
    }

    @Test("the time is RFC 3339 in UTC with milliseconds, each field zero-padded")
    func timestamp() throws {
        var bytes: [UInt8] = []
        JSONLogHandler.appendTimestamp(to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(text)")
        let parsed = try #require(ISO8601DateFormatter.withFractionalSeconds.date(from: text))
        #expect(abs(parsed.timeIntervalSinceNow) < 60)
        for (value, width, expected) in [(0, 3, "000"), (7, 2, "07"), (45, 3, "045"), (2026, 4, "2026"), (123, 2, "123")] {
            var padded: [UInt8] = []
            JSONLogHandler.appendPadded(Int32(value), width: width, to: &padded)
            #expect(String(decoding: padded, as: UTF8.self) == expected)
        }
    }
}

extension ISO8601DateFormatter {
    fileprivate static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
