import AsyncHTTPClient
import Engine
import Foundation
import Testing

/// `hpaguard serve --audit-interval`: the audit of `hpaguard audit --all-namespaces` in the background, against the
/// test Kubernetes API server serving the recorded cluster of testdata/audit/cluster.
@Suite("serve --audit-interval")
struct BackgroundAuditTests {
    @Test("exports hpaguard_audit_findings, logs one line per audit, keeps reviewing, and stops on SIGTERM")
    func backgroundAudit() async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: 3001)
        var objects: [String: [UInt8]] = [:]
        for (path, file) in [
            ("/apis/autoscaling/v2/horizontalpodautoscalers", "hpas"), ("/apis/apps/v1/deployments", "deployments"),
            ("/apis/apps/v1/statefulsets", "statefulsets"), ("/apis/apps/v1/replicasets", "replicasets"),
            ("/api/v1/events", "events"), ("/api/v1/limitranges", "limitranges"),
            ("/apis/policy/v1/poddisruptionbudgets", "pdbs"),
        ] {
            objects[path] = try Fixtures.bytes("testdata/audit/cluster/\(file).json")
        }
        let api = FakeKubeAPI(objects: objects)
        let apiPair = try await pki.leaf("api", serial: 3002)
        let apiPort = try await api.start(certificate: apiPair.certificate, key: apiPair.key)
        let kubeconfig = try writeKubeconfig(
            in: pki.directory, server: "https://127.0.0.1:\(apiPort)", ca: pki.caCertificate)
        let client = try makeClient(trusting: pki.caCertificate)
        let webhook = try await WebhookProcess.start(
            certificate: serving.certificate, key: serving.key,
            arguments: ["--kubeconfig", kubeconfig, "--audit-interval", "10s"])
        do {
            var metrics = ""
            for _ in 0..<300 where !metrics.contains("hpaguard_audit_findings{") {
                try await Task.sleep(for: .milliseconds(50))
                metrics = try await get(client, webhook.metricsURL + "/metrics").text
            }
            #expect(
                metrics.contains(
                    #"hpaguard_audit_findings{namespace="ml",name="llama",rule="pinned-at-max",severity="warning"} 1"#),
                "\(metrics)")
            #expect(
                metrics.contains(
                    #"hpaguard_audit_findings{namespace="ml",name="chat-vllm",rule="metrics-unavailable",severity="error"} 1"#
                ))
            #expect(!metrics.contains(#"name="healthy",rule="pinned-at-max""#))
            let line = try #require(webhook.logLines.first { $0["msg"]?.stringValue == "audit" }, "\(webhook.log)")
            #expect(line["hpas"]?.stringValue == "9" || line["hpas"]?.integerValue == 9, "\(line)")
            #expect(line["errors"] != nil && line["warnings"] != nil && line["duration_ms"] != nil)
            // Reviews are still answered while the audit runs in the background.
            let review = try await post(
                client, webhook.url + "/validate",
                body: Reviews.request(object: try Reviews.hpa("parity/01-valid-v2.yaml")))
            #expect(review.status == 200)
        } catch {
            await webhook.stop()
            await api.stop()
            try? await client.shutdown()
            throw error
        }
        let stopped = await webhook.stop()
        #expect(stopped.status == 0)
        #expect(try await webhook.shutdownMilliseconds() < 5000, "\(webhook.log)")
        await api.stop()
        try await client.shutdown()
    }
}

extension BackgroundAuditTests {
    @Test("SIGTERM while an audit waits on a hung API server: serve stops at once, the audit cancelled")
    func stopsDuringAudit() async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: 3101)
        let api = FakeKubeAPI(objects: [:])
        api.mode.withLock { $0 = .hang }
        let apiPair = try await pki.leaf("api", serial: 3102)
        let apiPort = try await api.start(certificate: apiPair.certificate, key: apiPair.key)
        let kubeconfig = try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:\(apiPort)", ca: pki.caCertificate)
        let webhook = try await WebhookProcess.start(
            certificate: serving.certificate, key: serving.key,
            arguments: ["--kubeconfig", kubeconfig, "--audit-interval", "30s"])
        // The audit's lists are now waiting on the API server (which holds each request up to 15 s).
        for _ in 0..<100 where api.requests.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!api.requests.isEmpty, "the audit started")
        let stopped = await webhook.stop()
        await api.stop()
        #expect(stopped.status == 0, "\(webhook.log)")
        // Long before the API server's 15 s hold would let the audit's lists end on their own.
        #expect(try await webhook.shutdownMilliseconds() < 4000, "\(webhook.log)")
        // Cancelled by the shutdown, the audit did not fail: no warning says it did.
        #expect(!webhook.logLines.contains { $0["msg"]?.stringValue == "audit failed" }, "\(webhook.log)")
    }
}

/// deploy/audit: the audit's own RBAC, read-only, covering every list `hpaguard audit` reads.
extension DeployTests {
    @Test("kubectl kustomize deploy/audit renders a read-only ClusterRole for every kind the audit reads; it validates")
    func auditRBAC() async throws {
        let rendered = try await runCommand(["kubectl", "kustomize", Fixtures.path("deploy/audit")])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        for kind in ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"] {
            #expect(rendered.stdout.contains("\nkind: \(kind)\n"), "\(kind) missing")
        }
        for resource in [
            "horizontalpodautoscalers", "deployments", "statefulsets", "replicasets", "'*/scale'", "limitranges",
            "events",
            "poddisruptionbudgets", "scaledobjects", "inferenceservices",
        ] {
            #expect(rendered.stdout.contains("  - \(resource)\n"), "\(resource) missing")
        }
        // Read-only: every rule's verbs are get and list at most.
        let lines = rendered.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where line.hasSuffix("verbs:") {
            let verbs = lines[(index + 1)...].prefix { $0.hasPrefix("  - ") }.map { $0.dropFirst(4) }
            #expect(!verbs.isEmpty && verbs.allSatisfy { $0 == "get" || $0 == "list" }, "verbs \(verbs)")
        }
        let probe = try await runCommand(["python3", "-c", "import kubernetes_validate"])
        try #require(
            probe.status == 0, "kubernetes-validate is not installed (scripts/install-test-tools.sh installs it)")
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("audit.yaml").path
        try rendered.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await runCommand(["python3", "-m", "kubernetes_validate", "--strict", file], timeout: 300)
        #expect(result.status == 0, "\(result.stdout + result.stderr)")
        #expect(
            (result.stdout + result.stderr).split(separator: "\n").filter { $0.contains(" passed for resource ") }.count
                == 3)
    }
}
