import AsyncHTTPClient
import Cluster
import Engine
import Foundation
import Manifests
import Testing

@testable import Webhook

/// Same object, policy and target → same verdict from `hpaguard lint` and from `/validate`.
///
/// Part of the serialized end-to-end suite: it starts a webhook and an API server too, and the timing assertions of
/// the other tests should not share two cores with it.
extension WebhookEndToEndTests {
    static let parityCases: [String] = {
        let directory = Fixtures.path("testdata/webhook/parity")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test("at least 10 parity cases, valid and invalid ones")
    func enoughParityCases() {
        #expect(Self.parityCases.count >= 10)
    }

    @Test("every parity case: allowed/denied and the rule ids agree")
    func parity() async throws {
        let pki = try await TestPKI()
        // The linter gets the target as a file: the same recorded Deployment the test API server serves.
        let target = pki.directory.appendingPathComponent("deployment-vllm.json").path
        try FileManager.default.copyItem(atPath: Fixtures.path("testdata/webhook/deployment-vllm.json"), toPath: target)
        try await Self.withWebhook { webhook, client, _ in
            for name in Self.parityCases {
                let manifest = Fixtures.path("testdata/webhook/parity/" + name)
                let lint = try await runCommand([try Fixtures.binary, "lint", "--format", "json", manifest, target])
                #expect(lint.status == 0 || lint.status == 1, "\(name): lint exited \(lint.status): \(lint.stderr)")
                let report = try JSONParser.parse(lint.stdout)
                let findings = (report["findings"]?.arrayValue ?? []).filter { $0["file"]?.stringValue == manifest }
                let errors = Set(findings.filter { $0["severity"] == "error" }.compactMap { $0["rule"]?.stringValue })
                let reported = Set(findings.filter { $0["severity"] == "error" || $0["severity"] == "warning" }.compactMap { $0["rule"]?.stringValue })

                let uid = "parity-\(name)"
                let body = Reviews.request(uid: uid, object: try Reviews.hpa("parity/" + name))
                let response = try admissionResponse(try await post(client, webhook.url + "/validate", body: body), uid: uid)
                #expect(response["allowed"]?.boolValue == errors.isEmpty, "\(name): lint errors \(errors.sorted()), webhook \(response.serialized())")
                #expect(ruleIDs(response) == reported, "\(name): lint \(reported.sorted()), webhook \(ruleIDs(response).sorted())")
            }
        }
    }
}

extension WebhookEndToEndTests {
    /// The manifests the linter's own tests use (testdata/cli, testdata/examples) that hold HPAs.
    static let linterManifests = [
        "testdata/cli/clean.yaml", "testdata/cli/max-below-min.yaml", "testdata/cli/tree/a.yaml", "testdata/cli/tree/b.yml",
        "testdata/cli/tree/c.json", "testdata/cli/tree/sub/d.yaml", "testdata/examples/common-mistakes.yaml",
        "testdata/examples/source-document.yaml", "testdata/examples/vllm-serving.yaml",
        "testdata/examples/namespace-defaults.yaml",
    ]

    @Test("the linter's own testdata: each HPA gets the same verdict and rule ids from lint and /validate")
    func linterTestdataParity() async throws {
        let checked = try await Self.compareLintAndValidate(Self.linterManifests, serials: 1401)
        #expect(checked >= 8, "HPAs compared: \(checked)")
    }

    @Test("custom rules and the cluster's VAP: lint --policy --vap and serve --policy --vap give the same verdicts")
    func customRuleParity() async throws {
        let options = [
            "--policy", Fixtures.path("testdata/custom-rules/policy.yaml"), "--vap", Fixtures.path("testdata/custom-rules/vap"),
        ]
        let checked = try await Self.compareLintAndValidate(
            ["testdata/custom-rules/hpas.yaml"], serials: 1501, options: options,
            expecting: ["prod-min-replicas", "gpu-budget", "llm-scales-on-queue", "vap:hpa-replica-cap"])
        #expect(checked == 3, "HPAs compared: \(checked)")
    }

    /// Lints each file, then reviews each of its HPAs through a webhook whose API server holds the file's other
    /// objects; `options` go to both. Returns how many HPAs were compared.
    ///
    /// - Parameter expecting: rule ids that must appear among the findings of the files (so that a parity of two
    ///   empty verdicts does not pass for one of custom rules).
    static func compareLintAndValidate(
        _ manifests: [String], serials: Int, options: [String] = [], expecting: Set<String> = []
    ) async throws -> Int {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: serials)
        let apiPair = try await pki.leaf("api", serial: serials + 1000)
        let client = try makeClient(trusting: pki.caCertificate)
        var checked = 0
        var seen: Set<String> = []
        do {
            for relative in manifests {
                let file = Fixtures.path(relative)
                let objects = ManifestLoader.load(try Fixtures.bytes(relative), file: file).objects
                let hpas = objects.filter(HPA.isHPA)
                guard !hpas.isEmpty else { continue }
                // The API server holds the file's other objects, where the linter finds them: in the same file.
                var served: [String: [UInt8]] = [:]
                var lists: [String: [JSONValue]] = [:]
                for object in objects {
                    let namespace = object.namespace ?? "default"
                    if HPA.isHPA(object) {
                        lists["/apis/autoscaling/v2/namespaces/\(namespace)/horizontalpodautoscalers", default: []].append(object.value)
                    } else if object.kind == "PodDisruptionBudget" {
                        lists["/apis/policy/v1/namespaces/\(namespace)/poddisruptionbudgets", default: []].append(object.value)
                    } else if object.kind == "LimitRange" {
                        lists["/api/v1/namespaces/\(namespace)/limitranges", default: []].append(object.value)
                    } else if let path = ResourcePath.object(
                        apiVersion: object.apiVersion, kind: object.kind, namespace: namespace, name: object.name ?? "")
                    {
                        served[path] = Array(object.value.serialized().utf8)
                    }
                }
                for (path, items) in lists {
                    served[path] = Array(JSONValue.object(JSONObject([("kind", "List"), ("apiVersion", "v1"), ("items", .array(items))])).serialized().utf8)
                }
                let api = FakeKubeAPI(objects: served)
                let port = try await api.start(certificate: apiPair.certificate, key: apiPair.key)
                let kubeconfig = try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:\(port)", ca: pki.caCertificate)
                let webhook: WebhookProcess
                do {
                    webhook = try await WebhookProcess.start(
                        certificate: serving.certificate, key: serving.key, arguments: ["--kubeconfig", kubeconfig] + options)
                } catch {
                    await api.stop()
                    throw error
                }
                do {
                    let lint = try await runCommand([try Fixtures.binary, "lint", "--format", "json"] + options + [file])
                    let findings = try JSONParser.parse(lint.stdout)["findings"]?.arrayValue ?? []
                    seen.formUnion(findings.compactMap { $0["rule"]?.stringValue })
                    for hpa in hpas {
                        // Findings on this HPA, and those its rules place in its target's lines (the message names
                        // the HPA when the file has several). target-replicas-set is the linter's alone: the live
                        // target always has spec.replicas, so the engine skips it at the admission vantage.
                        let mine = findings.filter { finding in
                            guard finding["file"]?.stringValue == file else { return false }
                            if finding["object"]?["kind"] == "HorizontalPodAutoscaler" {
                                return finding["object"]?["name"]?.stringValue == hpa.name
                            }
                            return finding["rule"] != "target-replicas-set"
                                && (hpas.count == 1
                                    || finding["message"]?.stringValue?.contains("HorizontalPodAutoscaler \(hpa.name ?? "")") == true)
                        }
                        let errors = Set(mine.filter { $0["severity"] == "error" }.compactMap { $0["rule"]?.stringValue })
                        let reported = Set(mine.filter { $0["severity"] == "error" || $0["severity"] == "warning" }.compactMap { $0["rule"]?.stringValue })
                        let uid = "\(relative)#\(hpa.name ?? "")"
                        let body = Reviews.request(uid: uid, object: hpa.value, namespace: hpa.namespace ?? "default")
                        let response = try admissionResponse(try await post(client, webhook.url + "/validate", body: body), uid: uid)
                        #expect(response["allowed"]?.boolValue == errors.isEmpty, "\(uid): lint errors \(errors.sorted())")
                        #expect(ruleIDs(response) == reported, "\(uid): lint \(reported.sorted()), webhook \(ruleIDs(response).sorted())")
                        checked += 1
                    }
                } catch {
                    await webhook.stop()
                    await api.stop()
                    throw error
                }
                await webhook.stop()
                await api.stop()
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(expecting.isSubset(of: seen), "rules that never fired: \(expecting.subtracting(seen).sorted())")
        return checked
    }
}

/// deploy/ renders with `kubectl kustomize` and every object passes `kubernetes-validate` (the Kubernetes schemas).
@Suite("deploy manifests")
struct DeployTests {
    @Test("kubectl kustomize deploy renders every object the webhook needs")
    func renders() async throws {
        let rendered = try await runCommand(["kubectl", "kustomize", Fixtures.path("deploy")])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        for kind in [
            "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service",
            "PodDisruptionBudget", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "Issuer", "Certificate",
        ] {
            #expect(rendered.stdout.contains("\nkind: \(kind)\n"), "\(kind) missing")
        }
        #expect(rendered.stdout.contains("cert-manager.io/inject-ca-from: hpaguard-system/hpaguard-serving"))
        #expect(!rendered.stdout.contains("verbs:\n  - create"), "read-only RBAC")
    }

    @Test("every rendered object validates against the Kubernetes schemas (kubernetes-validate)")
    func validates() async throws {
        let probe = try await runCommand(["python3", "-c", "import kubernetes_validate"])
        try #require(probe.status == 0, """
            kubernetes-validate is not installed: python3 -m pip install kubernetes-validate \
            (scripts/install-test-tools.sh does)
            """)
        let rendered = try await runCommand(["kubectl", "kustomize", Fixtures.path("deploy")])
        try #require(rendered.status == 0)
        let directory = try Fixtures.temporaryDirectory()
        let file = directory.appendingPathComponent("rendered.yaml").path
        try rendered.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        // --strict: unknown fields are errors. cert-manager's Issuer and Certificate have no built-in schema (a
        // warning); every other object must pass.
        let result = try await runCommand(["python3", "-m", "kubernetes_validate", "--strict", file], timeout: 300)
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "\(output)")
        #expect(!output.contains("ERROR"), "\(output)")
        let passed = output.split(separator: "\n").filter { $0.contains(" passed for resource ") }.count
        #expect(passed == 9, "9 built-in objects validated, got \(passed): \(output)")
    }
}
