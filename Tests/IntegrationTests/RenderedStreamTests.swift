import Foundation
import Testing

/// `kubectl kustomize DIR | hpaguard lint -`, Helm-style streams and Pulumi's rendered YAML and preview JSON: the
/// findings name the rendered object, `<stdin>` with its line in the stream, and the source the stream records.
@Suite("Rendered manifests: kustomize, Helm, Pulumi")
struct RenderedStreamTests {
    // MARK: - kustomize

    @Test("kubectl kustomize overlay | hpaguard lint - fails on the patched HPA and names the rendered object")
    func kustomizeOverlay() async throws {
        try await Shell.requireTool("kubectl", install: "apt-get install -y kubectl, or the kubectl binary on PATH")
        let rendered = try await Shell.bash("kubectl kustomize testdata/kustomize/overlays/prod")
        try #require(rendered.status == 0, "\(rendered)")
        let result = try await Shell.bash("kubectl kustomize testdata/kustomize/overlays/prod | hpaguard lint -")
        #expect(result.status == 1, "\(result)")
        let finding = try #require(result.stdout.split(separator: "\n").first { $0.contains("[max-below-min]") }, "\(result)")
        // The line in the rendered stream: where `maxReplicas` of the prefixed HPA is.
        let lines = rendered.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let hpaStart = try #require(lines.firstIndex { $0 == "kind: HorizontalPodAutoscaler" })
        let maxLine = try #require(lines[hpaStart...].firstIndex { $0 == "  maxReplicas: 3" }) + 1
        #expect(finding == """
            <stdin>:\(maxLine):3: error [max-below-min] maxReplicas (3) must be greater than or equal to minReplicas (4) \
            (HorizontalPodAutoscaler ml/prod-model-server)
            """)
        #expect(result.stdout.hasSuffix("1 error, 0 warnings, 0 infos in 1 file (2 objects)\n"), "\(result)")
    }

    @Test("with buildMetadata originAnnotations, the finding names the file the HPA came from")
    func kustomizeOrigin() async throws {
        try await Shell.requireTool("kubectl", install: "apt-get install -y kubectl, or the kubectl binary on PATH")
        let result = try await Shell.bash(
            "kubectl kustomize testdata/kustomize/overlays/prod-origins | hpaguard lint --format json -")
        #expect(result.status == 1, "\(result)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = try #require(report?["findings"] as? [[String: Any]], "\(result)")
        let finding = try #require(findings.first { $0["rule"] as? String == "max-below-min" }, "\(result)")
        #expect(finding["file"] as? String == "<stdin>")
        #expect((finding["line"] as? Int ?? 0) > 0)
        #expect(finding["path"] as? String == "/spec/maxReplicas")
        #expect(finding["message"] as? String
            == "maxReplicas (3) must be greater than or equal to minReplicas (4) (source: ../../base/hpa.yaml)")
        let object = try #require(finding["object"] as? [String: Any])
        #expect(object["kind"] as? String == "HorizontalPodAutoscaler")
        #expect(object["namespace"] as? String == "ml")
        #expect(object["name"] as? String == "prod-model-server")
    }

    @Test("the base alone renders the example HPA (v1, min 1, max 10, CPU 80%) on a Deployment with CPU requests")
    func kustomizeBase() async throws {
        try await Shell.requireTool("kubectl", install: "apt-get install -y kubectl, or the kubectl binary on PATH")
        let result = try await Shell.bash("kubectl kustomize testdata/kustomize/base | hpaguard lint -")
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains(": error ["), "\(result)")
        #expect(result.stdout.hasSuffix("in 1 file (2 objects)\n"), "\(result)")
    }

    @Test("deploy/ renders through kubectl kustomize and lints clean")
    func deployFolder() async throws {
        let deploy = Shell.repositoryRoot.appendingPathComponent("deploy")
        guard FileManager.default.fileExists(atPath: deploy.path) else {
            // deploy/ comes with the webhook's install (issue 3); without it there is nothing to render yet.
            return
        }
        #expect(FileManager.default.fileExists(atPath: deploy.appendingPathComponent("kustomization.yaml").path),
                "deploy/ exists but has no kustomization.yaml: `kubectl kustomize deploy` cannot render it")
        try await Shell.requireTool("kubectl", install: "apt-get install -y kubectl, or the kubectl binary on PATH")
        let result = try await Shell.bash("kubectl kustomize deploy | hpaguard lint -")
        #expect(result.status == 0, "kubectl kustomize deploy | hpaguard lint - must pass:\n\(result)")
        #expect(result.stdout.contains("0 errors"), "\(result)")
    }

    // MARK: - Helm-style streams

    @Test("a helm template stream: each finding names its document's # Source: path")
    func helmSourceComments() async throws {
        // What `helm template` prints: documents opened by `---` and `# Source: CHART/templates/FILE`.
        let stream = """
            ---
            # Source: model-server/templates/service.yaml
            apiVersion: v1
            kind: Service
            metadata:
              name: release-model-server
            spec:
              ports:
                - port: 80
            ---
            # Source: model-server/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: release-model-server
            spec:
              selector:
                matchLabels: {app: model-server}
              template:
                metadata:
                  labels: {app: model-server}
                spec:
                  containers:
                    - name: server
                      image: registry.example.com/ml/model-server:1.4.2
                      readinessProbe:
                        httpGet: {path: /healthz, port: 8080}
            ---
            # Source: model-server/templates/hpa.yaml
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata:
              name: release-model-server
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: release-model-server
              minReplicas: 2
              maxReplicas: 10
              targetCPUUtilizationPercentage: 80

            """
        let result = try await Shell.bash("hpaguard lint -", stdin: stream)
        #expect(result.status == 1, "\(result)")
        let findings = result.stdout.split(separator: "\n").filter { $0.hasPrefix("<stdin>:") }
        let missingRequest = try #require(findings.first { $0.contains("[target-missing-request]") }, "\(result)")
        // The finding points into the Deployment's document (its container), or at the HPA's metric: either way the
        // message names the template of the document it points into.
        let line = try #require(Int(missingRequest.split(separator: ":")[1]))
        let template = line < 30 ? "deployment.yaml" : "hpa.yaml"
        #expect(missingRequest.contains("(source: model-server/templates/\(template))"), "\(result)")
        #expect(missingRequest.contains("(HorizontalPodAutoscaler release-model-server)"), "\(result)")
        #expect(!result.stdout.contains("templates/service.yaml"), "no finding is about the Service:\n\(result)")
    }

    @Test("a syntax error in a helm stream names the template of the broken document")
    func helmSyntaxError() async throws {
        let stream = """
            ---
            # Source: model-server/templates/hpa.yaml
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web
            ---
            # Source: model-server/templates/service.yaml
            apiVersion: v1
            kind: Service
            metadata: {name: web}

            """
        let result = try await Shell.bash("hpaguard lint -", stdin: stream)
        #expect(result.status == 1, "\(result)")
        let syntax = try #require(result.stdout.split(separator: "\n").first { $0.contains("[syntax-error]") }, "\(result)")
        #expect(syntax.hasSuffix("(source: model-server/templates/hpa.yaml)"), "\(result)")
    }

    // MARK: - Pulumi

    @Test("Pulumi's renderYamlToDirectory layout (0-crd/, 1-manifest/) lints as a directory")
    func pulumiRenderedDirectory() async throws {
        let result = try await Shell.bash("hpaguard lint testdata/pulumi/rendered")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix("0 errors, 1 warning, 0 infos in 3 files (3 objects)\n"), "\(result)")

        // The same layout with the Deployment's CPU request removed: the HPA's CPU target cannot work.
        let copy = try Shell.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: copy) }
        let broken = try await Shell.bash("""
            cp -R testdata/pulumi/rendered \(Shell.quote(copy.path))/rendered
            sed -i '/cpu: "2"/d' \(Shell.quote(copy.path))/rendered/1-manifest/apps_v1-deployment-ml-model-server-6f2b9c1d.yaml
            cd \(Shell.quote(copy.path)) && hpaguard lint rendered
            """)
        #expect(broken.status == 1, "\(broken)")
        #expect(broken.stdout.contains("rendered/1-manifest/"), "\(broken)")
        #expect(broken.stdout.contains("error [target-missing-request] container \"server\" of Deployment "
            + "model-server-6f2b9c1d has no cpu request"), "\(broken)")
    }

    @Test("pulumi preview --json: findings name the Pulumi resource; deleted resources are not linted")
    func pulumiPreview() async throws {
        let result = try await Shell.bash("hpaguard lint --format json testdata/pulumi/preview.json")
        #expect(result.status == 1, "\(result)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = try #require(report?["findings"] as? [[String: Any]], "\(result)")
        let summary = try #require(report?["summary"] as? [String: Any])
        // The Service, the Deployment and the HPA; not the stack, the provider, or the HPA being deleted.
        #expect(summary["objects"] as? Int == 3, "\(result)")
        let missing = try #require(findings.first { $0["rule"] as? String == "target-missing-request" }, "\(result)")
        #expect(missing["severity"] as? String == "error")
        #expect(missing["file"] as? String == "testdata/pulumi/preview.json")
        #expect((missing["message"] as? String ?? "").hasSuffix("""
            (source: Pulumi resource model-server-hpa, \
            urn:pulumi:dev::ml-serving::kubernetes:autoscaling/v1:HorizontalPodAutoscaler::model-server-hpa)
            """), "\(result)")
        #expect(!result.stdout.contains("legacy"), "the deleted HPA is linted:\n\(result)")

        // The line points into the step's newState.inputs.
        let text = try String(contentsOf: Shell.testdata.appendingPathComponent("pulumi/preview.json"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(missing["line"] as? Int)
        let hpaStep = try #require(lines.firstIndex {
            $0.contains("\"urn\": \"urn:pulumi:dev::ml-serving::kubernetes:autoscaling/v1:HorizontalPodAutoscaler::model-server-hpa\"")
        })
        #expect(line > hpaStep, "line \(line) is not inside the HPA's step (from line \(hpaStep + 1))")
    }

    @Test("pulumi preview --json with CPU requests on the Deployment passes")
    func pulumiPreviewFixed() async throws {
        let url = Shell.testdata.appendingPathComponent("pulumi/preview.json")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var steps = try #require(document["steps"] as? [[String: Any]])
        let index = try #require(steps.firstIndex { ($0["urn"] as? String ?? "").hasSuffix("Deployment::model-server") })
        var state = try #require(steps[index]["newState"] as? [String: Any])
        var inputs = try #require(state["inputs"] as? [String: Any])
        var spec = try #require(inputs["spec"] as? [String: Any])
        var template = try #require(spec["template"] as? [String: Any])
        var podSpec = try #require(template["spec"] as? [String: Any])
        var containers = try #require(podSpec["containers"] as? [[String: Any]])
        containers[0]["resources"] = ["requests": ["cpu": "2", "memory": "4Gi"], "limits": ["memory": "4Gi"]]
        podSpec["containers"] = containers
        template["spec"] = podSpec
        spec["template"] = template
        inputs["spec"] = spec
        state["inputs"] = inputs
        steps[index]["newState"] = state
        document["steps"] = steps
        let fixed = String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]), as: UTF8.self)
        let result = try await Shell.bash("hpaguard lint -", stdin: fixed)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix("0 errors, 1 warning, 0 infos in 1 file (3 objects)\n"), "\(result)")
    }
}
