import Engine
import Foundation
import Logging
import Manifests
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import Webhook

/// `serve`'s routes called in-process, request in and answer out, with the policy, vantage and mutator `serve` uses.
/// What only a socket shows (TLS, the body limit, timeouts, connection limits, shutdown) is in WebhookEndToEndTests.
@Suite("webhook routes")
struct WebhookRoutesTests {
    /// The objects the end-to-end tests' recorded API server holds: Deployment ml/vllm and the HPAs, PDBs and
    /// LimitRanges of ml. Never cached, so a review of an HPA takes the waiting path through the limiter.
    struct RecordedCluster: ClusterReader {
        let objects: [ManifestObject]

        init() throws {
            let lists = [
                ("hpa-list-ml.json", "HorizontalPodAutoscaler"), ("pdb-list-ml.json", "PodDisruptionBudget"),
                ("limitrange-list-ml.json", "LimitRange"),
            ]
            let target = try Fixtures.value("testdata/webhook/deployment-vllm.json")
            objects = [ManifestObject(value: target, file: "<cluster>")]
                + (try lists.flatMap { file, kind in
                    KubernetesClusterReader.items(of: try Fixtures.value("testdata/webhook/" + file), kind: kind)
                })
        }

        func snapshot(around hpa: ManifestObject, namespace: String) async -> ClusterSnapshot {
            ClusterSnapshot(objects: objects)
        }
    }

    /// The metadata of every line logged, in order.
    final class LogLines: Sendable {
        private let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])

        var all: [(message: String, metadata: Logger.Metadata)] { lines.withLock { $0 } }

        var logger: Logger {
            Logger(label: "test") { _ in Handler(lines: self) }
        }

        private struct Handler: LogHandler {
            let lines: LogLines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                let merged = metadata.merging(event.metadata ?? [:]) { $1 }
                lines.lines.withLock { $0.append((event.message.description, merged)) }
            }
        }
    }

    let metrics = WebhookMetrics()
    let readiness = Readiness()
    let log = LogLines()

    /// Routes as `serve` builds them, over `cluster`.
    func routes(
        cluster: any ClusterReader = NoClusterReader(),
        limiter: ConcurrencyLimiter = ConcurrencyLimiter(limit: 4, queueLimit: 16)
    ) throws -> WebhookRoutes {
        let engine = Engine(policy: try PolicyLoader.defaultPolicy(), vantage: .admission)
        let controller = AdmissionController(
            engine: engine, cluster: cluster, mutator: ProfileMutations(engine: engine), metrics: metrics,
            logger: log.logger)
        return WebhookRoutes(controller: controller, limiter: limiter, readiness: readiness, metrics: metrics)
    }

    /// The `decision` of the review line logged for `uid`.
    func loggedDecision(_ uid: String) -> String? {
        let line = log.all.last { $0.message == "review" && $0.metadata["uid"] == .string(uid) }
        return line?.metadata["decision"].map { "\($0)" }
    }

    // MARK: - Reviews

    @Test("POST /validate: a valid HPA with its target found is allowed with its uid, no warnings and no patch")
    func validHPA() async throws {
        let routes = try routes(cluster: try RecordedCluster())
        let uid = "0c7e1d7c-9f5e-4c3a-a1b2-000000000001"
        let body = Reviews.request(uid: uid, object: try Reviews.hpa("parity/01-valid-v2.yaml"))
        let answer = await routes.post("/validate", body: body)
        #expect(answer.contentType == "application/json")
        let response = try admissionResponse(answer.received, uid: uid)
        #expect(response["allowed"]?.boolValue == true)
        #expect(response["status"] == nil)
        #expect(response["patch"] == nil && response["patchType"] == nil)
        #expect(warnings(response).isEmpty, "\(warnings(response))")
        #expect(loggedDecision(uid) == "allowed")

        let mutated = try admissionResponse(await routes.post("/mutate", body: body).received, uid: uid)
        #expect(mutated["allowed"]?.boolValue == true)
        #expect(mutated["patch"] == nil && mutated["patchType"] == nil, "nothing to change: no patch")
        #expect(loggedDecision(uid) == "unchanged")
    }

    @Test("POST /mutate: the ML profile's patch for a vLLM target, base64 JSON Patch; the patched object gets none")
    func mutateWithProfile() async throws {
        let routes = try routes(cluster: try RecordedCluster())
        let object = try Reviews.hpa("mutate-no-behavior.yaml")
        let first = try await routes.response("/mutate", uid: "p1", object: object)
        #expect(first["allowed"]?.boolValue == true)
        #expect(first["patchType"]?.stringValue == "JSONPatch")
        #expect(loggedDecision("p1") == "patched")
        let patchText = try #require(first["patch"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        let patch = try JSONParser.parse(Array(patchText))
        let operations = (patch.arrayValue ?? []).compactMap { item -> JSONPatchOperation? in
            guard let path = item["path"]?.stringValue, let value = item["value"] else { return nil }
            return JSONPatchOperation(
                op: item["op"]?.stringValue == "replace" ? .replace : .add, path: JSONPointer(path), value: value)
        }
        #expect(operations.contains { $0.path.description.hasPrefix("/spec/behavior") }, "\(patch.serialized())")
        // As the API server would: apply, then call again (reinvocation); an idempotent webhook sends nothing.
        let patched = try JSONPatch.apply(operations, to: object)
        let second = try await routes.response("/mutate", uid: "p2", object: patched)
        #expect(second["patch"] == nil && second["patchType"] == nil)
        // The patched object still validates.
        let validated = try await routes.response("/validate", uid: "p3", object: patched)
        #expect(validated["allowed"]?.boolValue == true)
    }

    @Test("error findings deny with 403 and each finding as [rule] path: text; dryRun gets the same verdict")
    func denial() async throws {
        let routes = try routes(cluster: try RecordedCluster())
        let object = try Reviews.hpa("parity/07-two-errors.yaml")
        for dryRun in [false, true] {
            let uid = "deny-\(dryRun)"
            let response = try await routes.response("/validate", uid: uid, object: object, dryRun: dryRun)
            #expect(response["allowed"]?.boolValue == false)
            #expect(response["status"]?["code"]?.integerValue == 403)
            let message = response["status"]?["message"]?.stringValue ?? ""
            #expect(message.contains("[max-below-min] /spec/"), "\(message)")
            #expect(message.contains("[unknown-field] /spec/metricz:"), "\(message)")
            #expect(message.hasPrefix("hpaguard: HorizontalPodAutoscaler ml/vllm: 2 errors: "), "\(message)")
            #expect(loggedDecision(uid) == "denied")
        }
    }

    @Test("DELETE and CONNECT are allowed untouched; UPDATE is judged with its oldObject")
    func operations() async throws {
        let routes = try routes(cluster: try RecordedCluster())
        let invalid = try Reviews.hpa("parity/03-max-below-min.yaml")
        let valid = try Reviews.hpa("parity/01-valid-v2.yaml")
        func validate(
            _ uid: String, _ operation: String, _ object: JSONValue?, stored: JSONValue
        ) async throws -> JSONValue {
            try await routes.response("/validate", uid: uid, operation: operation, object: object, oldObject: stored)
        }
        for operation in ["DELETE", "CONNECT"] {
            let response = try await validate(operation, operation, nil, stored: invalid)
            #expect(response["allowed"]?.boolValue == true)
            #expect(response["warnings"] == nil && response["patch"] == nil)
            #expect(loggedDecision(operation) == "allowed")
        }
        // An UPDATE that breaks a valid HPA is denied...
        let breaking = try await validate("u1", "UPDATE", invalid, stored: valid)
        #expect(breaking["allowed"]?.boolValue == false)
        // ...one that keeps an error the stored object already has (relabelling an old HPA) is allowed, with it as
        // a warning.
        var relabelled = invalid
        relabelled.set(["team": "genai"], at: "/metadata/labels")
        let kept = try await validate("u2", "UPDATE", relabelled, stored: invalid)
        #expect(kept["allowed"]?.boolValue == true)
        #expect(warnings(kept).contains { $0.hasPrefix("(already stored) [max-below-min]") }, "\(warnings(kept))")
        // An object on its way out (finalizers) always passes.
        var deleting = invalid
        deleting.set("2025-03-02T10:15:04Z", at: "/metadata/deletionTimestamp")
        let leaving = try await validate("u3", "UPDATE", deleting, stored: valid)
        #expect(leaving["allowed"]?.boolValue == true)
    }

    @Test("autoscaling/v1 objects are judged after conversion, pointers as written")
    func autoscalingV1() async throws {
        let routes = try routes(cluster: try RecordedCluster())
        let valid = try await routes.response(
            "/validate", uid: "v1a", object: try Reviews.hpa("parity/02-valid-v1.yaml"))
        #expect(valid["allowed"]?.boolValue == true)
        let invalid = try await routes.response(
            "/validate", uid: "v1b", object: try Reviews.hpa("parity/08-v1-max-below-min.yaml"))
        #expect(invalid["allowed"]?.boolValue == false)
        #expect(invalid["status"]?["message"]?.stringValue?.contains("[max-below-min]") == true)
    }

    // MARK: - Bodies that are not reviews

    @Test("malformed and mistyped bodies get 400 and 415 as a metav1 Status")
    func badBodies() async throws {
        let routes = try routes()
        let malformed = await routes.post("/validate", body: Array("{\"kind\": \"AdmissionReview\", ".utf8)).received
        #expect(malformed.status == 400)
        #expect(malformed.json?["message"]?.stringValue?.contains("not valid JSON") == true, "\(malformed.text)")
        #expect(malformed.json?["kind"]?.stringValue == "Status" && malformed.json?["code"]?.integerValue == 400)
        let v1beta1Body = #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1beta1","request":{"uid":"x"}}"#
        let v1beta1 = await routes.post("/validate", body: Array(v1beta1Body.utf8)).received
        #expect(v1beta1.status == 400)
        #expect(v1beta1.text.contains("admission.k8s.io/v1"))
        let noUIDBody = #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"operation":"CREATE"}}"#
        let noUID = await routes.post("/mutate", body: Array(noUIDBody.utf8))
        #expect(noUID.status == .badRequest)
        let deep = await routes.post("/validate", body: Array(String(repeating: "[", count: 100_000).utf8))
        #expect(deep.status == .badRequest)
        let text = await routes.post("/validate", body: Array("{}".utf8), contentType: "text/plain")
        #expect(text.status == .unsupportedMediaType)
        #expect(text.received.json?["reason"]?.stringValue == "UnsupportedMediaType")
        let none = await routes.post("/validate", body: Array("{}".utf8), contentType: nil)
        #expect(none.status == .unsupportedMediaType)
        let withCharset = await routes.post(
            "/validate", body: Reviews.request(uid: "charset", object: try Reviews.hpa("parity/01-valid-v2.yaml")),
            contentType: "Application/JSON; charset=utf-8")
        #expect(try admissionResponse(withCharset.received, uid: "charset")["allowed"]?.boolValue == true)
        for (contentType, isJSON) in [
            ("application/json", true), (" application/json\t;charset=utf-8", true), ("APPLICATION/JSON", true),
            ("application/jsonx", false), ("application/json-patch+json", false), ("application/jso", false),
            ("application\u{0F}json", false), ("", false), (";application/json", false),
        ] {
            #expect(WebhookRoutes.namesJSON(contentType) == isJSON, "\(contentType)")
        }
    }

    @Test("every body gets an answer: random bytes, truncations and wrong shapes are 400, never a crash")
    func fuzzedBodies() async throws {
        let routes = try routes()
        let valid = Reviews.request(uid: "f", object: try Reviews.hpa("parity/01-valid-v2.yaml"))
        var generator = SystemRandomNumberGenerator()
        var bodies: [[UInt8]] = (0..<50).map { _ in (0..<Int.random(in: 0..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        bodies += stride(from: 0, to: valid.count, by: max(1, valid.count / 60)).map { Array(valid[..<$0]) }
        bodies += [
            #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"x","operation":"CREATE","object":[]}}"#,
            #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"x","operation":"UPDATE","object":{"kind":7}}}"#,
            #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"x","operation":"CREATE","object":{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","spec":{"scaleTargetRef":[],"metrics":{"a":1},"minReplicas":1e308}}}}"#,
            "null", "[]", "\"x\"",
        ].map { Array($0.utf8) }
        for body in bodies {
            let answer = await routes.post("/validate", body: body)
            #expect(answer.status == .ok || answer.status == .badRequest)
            #expect(answer.contentType == "application/json")
            #expect((try? JSONParser.parse(answer.body)) != nil)
        }
    }

    @Test("a review past the limiter's queue gets 503 with Retry-After")
    func busy() async throws {
        let routes = try routes(cluster: try RecordedCluster(), limiter: ConcurrencyLimiter(limit: 0, queueLimit: 0))
        let body = Reviews.request(uid: "busy", object: try Reviews.hpa("parity/01-valid-v2.yaml"))
        let answer = await routes.post("/validate", body: body)
        #expect(answer.status == .serviceUnavailable)
        #expect(answer.extraHeaders.map { "\($0.0): \($0.1)" } == ["retry-after: 1"])
        #expect(answer.received.json?["reason"]?.stringValue == "ServiceUnavailable")
    }

    // MARK: - Probes, metrics, unknown paths and methods

    @Test(
        "GET /healthz and /readyz answer ok on both ports; /readyz is 503 once shutdown begins",
        arguments: [WebhookRoutes.Port.webhook, .metrics])
    func probes(port: WebhookRoutes.Port) async throws {
        let routes = try routes()
        for path: Substring in ["/healthz", "/readyz"] {
            let answer = await routes.respond(to: HTTPRequest(method: .GET, path: path), on: port)
            #expect(answer.status == .ok)
            #expect(answer.contentType == "text/plain; charset=utf-8")
            #expect(answer.received.text == "ok\n")
        }
        readiness.shutDown()
        let notReady = await routes.respond(to: HTTPRequest(method: .GET, path: "/readyz"), on: port)
        #expect(notReady.status == .serviceUnavailable)
        #expect(notReady.received.text == "shutting down\n")
        #expect(await routes.respond(to: HTTPRequest(method: .GET, path: "/healthz"), on: port).status == .ok)
    }

    @Test("a path a port does not serve is 404; another method on one it serves is 405 with Allow")
    func unknownPathsAndMethods() async throws {
        let routes = try routes()
        let notFound: [(HTTPMethod, Substring, WebhookRoutes.Port)] = [
            (.GET, "/", .webhook), (.POST, "/validate/", .webhook), (.GET, "/metrics", .webhook),
            (.POST, "/validate", .metrics), (.GET, "/nope", .metrics),
        ]
        for (method, path, port) in notFound {
            let answer = await routes.respond(to: HTTPRequest(method: method, path: path), on: port)
            #expect(answer.status == .notFound, "\(method) \(path) on \(port)")
            #expect(answer.received.text == "not found\n")
            #expect(answer.extraHeaders.isEmpty)
        }
        let notAllowed: [(HTTPMethod, Substring, WebhookRoutes.Port, String)] = [
            (.GET, "/validate", .webhook, "POST"), (.PUT, "/mutate", .webhook, "POST"),
            (.POST, "/healthz", .webhook, "GET"),
            (.DELETE, "/readyz", .metrics, "GET"), (.POST, "/metrics", .metrics, "GET"),
        ]
        for (method, path, port, allowed) in notAllowed {
            let answer = await routes.respond(to: HTTPRequest(method: method, path: path), on: port)
            #expect(answer.status == .methodNotAllowed, "\(method) \(path) on \(port)")
            #expect(answer.received.text == "method not allowed\n")
            #expect(answer.extraHeaders.map { "\($0.0): \($0.1)" } == ["allow: \(allowed)"], "\(method) \(path)")
        }
    }

    @Test("GET /metrics on the metrics port: the five metrics, requests labelled by endpoint, operation and decision")
    func metricsExposition() async throws {
        let routes = try routes(cluster: try RecordedCluster())
        _ = try await routes.response("/validate", uid: "m1", object: try Reviews.hpa("parity/03-max-below-min.yaml"))
        _ = try await routes.response("/mutate", uid: "m2", object: try Reviews.hpa("mutate-no-behavior.yaml"))
        _ = try await routes.response("/mutate", uid: "m3", object: try Reviews.hpa("parity/01-valid-v2.yaml"))
        _ = await routes.post("/validate", body: Array("{}".utf8))
        let answer = await routes.respond(to: HTTPRequest(method: .GET, path: "/metrics"), on: .metrics)
        #expect(answer.status == .ok)
        #expect(answer.contentType == "text/plain; version=0.0.4; charset=utf-8")
        let text = answer.received.text
        for name in [
            "hpaguard_admission_requests_total{", "hpaguard_admission_duration_seconds_bucket",
            "hpaguard_findings_total{", "hpaguard_lookup_errors_total", "hpaguard_certificate_expiry_timestamp_seconds",
        ] {
            #expect(text.contains(name), "\(name) missing")
        }
        for series in [
            #"hpaguard_admission_requests_total{endpoint="validate",operation="CREATE",decision="denied"} 1"#,
            #"hpaguard_admission_requests_total{endpoint="mutate",operation="CREATE",decision="patched"} 1"#,
            #"hpaguard_admission_requests_total{endpoint="mutate",operation="CREATE",decision="unchanged"} 1"#,
            #"hpaguard_admission_requests_total{endpoint="validate",operation="UNKNOWN",decision="invalid"} 1"#,
            #"hpaguard_findings_total{rule="max-below-min",severity="error"} 1"#,
        ] {
            #expect(text.contains(series), "\(series) missing from\n\(text)")
        }
    }
}

extension WebhookRoutes {
    /// POSTs `body` to the webhook port as the API server does.
    fileprivate func post(
        _ path: Substring, body: [UInt8], contentType: String? = "application/json"
    ) async -> Webhook.HTTPAnswer {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        let request = HTTPRequest(method: .POST, path: path, headers: headers, body: ByteBuffer(bytes: body))
        return await respond(to: request, on: .webhook)
    }

    /// The `response` of the answer to a review of `object` (`Reviews.request`), checked for the envelope and `uid`.
    fileprivate func response(
        _ path: Substring, uid: String, operation: String = "CREATE", object: JSONValue?, oldObject: JSONValue? = nil,
        dryRun: Bool = false
    ) async throws -> JSONValue {
        let body = Reviews.request(uid: uid, operation: operation, object: object, oldObject: oldObject, dryRun: dryRun)
        return try admissionResponse(await post(path, body: body).received, uid: uid)
    }
}

extension Webhook.HTTPAnswer {
    /// Status and body as a client reads them, for the helpers the end-to-end tests share.
    fileprivate var received: HTTPAnswer { HTTPAnswer(status: Int(status.code), body: body) }
}
