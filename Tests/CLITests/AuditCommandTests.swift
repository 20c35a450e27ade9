import Foundation
import Testing
import TestSupport

/// `hpaguard audit` as users run it: the built binary against bench/kube_stand_in.py serving testdata/audit/cluster
/// (the lists as the API server returns them, in pages), through a kubeconfig.
@Suite("hpaguard audit (the binary)")
struct AuditCommandTests {
    private let now = "--now=2026-01-01T12:00:00Z"

    /// Starts the stand-in on a free port, gives `body` a kubeconfig for it, and stops it afterwards.
    private func withStandIn(_ body: (_ kubeconfig: String, _ folder: URL) async throws -> Void) async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let kubeconfig = folder.appendingPathComponent("kubeconfig").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = [
            "python3", HPAGuardBinary.repositoryRoot.appendingPathComponent("bench/kube_stand_in.py").path, "--dir",
            HPAGuardBinary.testdata.appendingPathComponent("audit/cluster").path, "--kubeconfig", kubeconfig,
        ]
        // Not the test's own output: swift test waits for every holder of its pipes to close them.
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        do {
            // The kubeconfig is renamed into place whole once the socket is bound (connections then queue until it
            // serves).
            let ready = ContinuousClock.now + .seconds(20)
            while !FileManager.default.fileExists(atPath: kubeconfig), ContinuousClock.now < ready {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await body(kubeconfig, folder)
        } catch {
            _ = await server.exited(within: .zero)
            throw error
        }
        _ = await server.exited(within: .zero)
    }

    @Test("findings exit 1, named namespace/name, sorted; the summary counts HPAs")
    func text() async throws {
        try await withStandIn { kubeconfig, _ in
            let result = try await HPAGuardBinary.run([
                "audit", "--kubeconfig", kubeconfig, "--all-namespaces", now, "--page-size", "3",
            ])
            #expect(result.status == 1, "\(result)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("ml/llama: warning [pinned-at-max] at maxReplicas (8) for 2h15m") })
            #expect(
                lines.contains {
                    $0.hasPrefix(
                        "ml/chat-vllm: error [metrics-unavailable] ScalingActive is False (FailedGetResourceMetric)")
                })
            #expect(lines.last == "3 errors, 8 warnings, 2 infos in the cluster (9 HPAs)")
            let places = lines.dropLast().map { $0.prefix { $0 != ":" } }
            #expect(places == places.sorted())
        }
    }

    @Test("--format json: file null, object set, source cluster; --fail-on decides the exit code")
    func json() async throws {
        try await withStandIn { kubeconfig, _ in
            let result = try await HPAGuardBinary.run([
                "audit", "--kubeconfig", kubeconfig, "-n", "ml", "--format", "json", now,
            ])
            #expect(result.status == 1)
            let report = try result.json()
            let findings = try #require(report["findings"] as? [[String: Any]])
            #expect(findings.count == 13)
            for finding in findings {
                #expect(finding["file"] is NSNull)
                #expect(finding["line"] is NSNull)
                #expect(finding["source"] as? String == "cluster")
                let object = try #require(finding["object"] as? [String: Any])
                #expect(object["namespace"] as? String == "ml")
            }
            let summary = try #require(report["summary"] as? [String: Any])
            #expect(summary["objects"] as? Int == 8)
            #expect(summary["files"] as? Int == 0)

            let healthy = try await HPAGuardBinary.run(["audit", "--kubeconfig", kubeconfig, "--namespace", "team-b", now])
            #expect(healthy.status == 0, "\(healthy)")
            #expect(healthy.stdout == "0 errors, 0 warnings, 0 infos in the cluster (1 HPA)\n")
            let strict = try await HPAGuardBinary.run([
                "audit", "--kubeconfig", kubeconfig, "--namespace", "ml", "--fail-on", "warning", now, "--format",
                "github",
            ])
            #expect(strict.status == 1)
            #expect(strict.stdout.contains("::warning title=[pinned-at-max]::at maxReplicas (8)"))
        }
    }

    @Test("--format sarif validates against the SARIF 2.1.0 schema: results with a logical location, no artifact")
    func sarif() async throws {
        try await withStandIn { kubeconfig, _ in
            let result = try await HPAGuardBinary.run(["audit", "--kubeconfig", kubeconfig, "-A", now, "--format", "sarif"])
            #expect(result.status == 1)
            try await SARIFSchemaTests.validate(result.stdoutData)
            let runs = try #require(try result.json()["runs"] as? [[String: Any]])
            let results = try #require(runs.first?["results"] as? [[String: Any]])
            #expect(results.count == 13)
            for item in results {
                let location = try #require((item["locations"] as? [[String: Any]])?.first)
                #expect(location["physicalLocation"] == nil)
                #expect(location["logicalLocations"] != nil)
            }
        }
    }

    @Test("usage and connection errors exit 2")
    func errors() async throws {
        try await withStandIn { kubeconfig, folder in
            let both = try await HPAGuardBinary.run([
                "audit", "--kubeconfig", kubeconfig, "--namespace", "ml", "--all-namespaces",
            ])
            #expect(both.status == 2)
            let missing = try await HPAGuardBinary.run(["audit", "--kubeconfig", folder.appendingPathComponent("nope").path])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("cannot read the kubeconfig"))
            let context = try await HPAGuardBinary.run(["audit", "--kubeconfig", kubeconfig, "--context", "prod"])
            #expect(context.status == 2)
            #expect(context.stderr.contains("context \"prod\" is not among its contexts"))
            let closed = folder.appendingPathComponent("closed").path
            try
                "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: \"http://127.0.0.1:9\"}}]\nusers: [{name: u, user: {token: t}}]\n"
                .write(toFile: closed, atomically: true, encoding: .utf8)
            let unreachable = try await HPAGuardBinary.run(["audit", "--kubeconfig", closed, "--timeout", "2s"])
            #expect(unreachable.status == 2, "\(unreachable)")
            #expect(unreachable.stderr.contains("cannot list HorizontalPodAutoscalers in default"))
        }
    }
}
