import Engine
import Manifests
import Testing

/// Targets resolve across every file of one lint run, and the default policy keeps its severity contract.
@Suite("Cross-file resolution")
struct CrossFileResolutionTests {
    static let hpa = """
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 10
          targetCPUUtilizationPercentage: 80
        """

    static func deployment(replicas: String = "", sidecar: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          \(replicas.isEmpty ? "selector: {matchLabels: {app: web}}" : "replicas: \(replicas)")
          template:
            metadata: {labels: {app: web}}
            spec:
              \(sidecar.isEmpty ? "initContainers: []" : "initContainers: [\(sidecar)]")
              containers:
                - name: web
                  image: nginx:1.27
                  resources: {requests: {cpu: 250m}}
                  readinessProbe: {httpGet: {path: /healthz, port: 8080}}
        """
    }

    static func lint(_ files: [(String, String)]) throws -> [Finding] {
        let linter = Linter(engine: Engine(policy: try PolicyLoader.defaultPolicy()))
        return linter.lint(files.map { (name: $0.0, bytes: Array($0.1.utf8)) }).findings
    }

    @Test("the target in another file of the run is found")
    func targetInAnotherFile() throws {
        let findings = try Self.lint([("hpa.yaml", Self.hpa), ("deploy.yaml", Self.deployment())])
        #expect(!findings.contains { $0.rule == "target-not-found" })

        let alone = try Self.lint([("hpa.yaml", Self.hpa)])
        #expect(alone.contains { $0.rule == "target-not-found" && $0.file == "hpa.yaml" })
    }

    @Test("autoscaling/v1, min 1, max 10, CPU 80 % on a Deployment with CPU requests passes --fail-on error")
    func plainCPUHPAPasses() throws {
        let findings = try Self.lint([("hpa.yaml", Self.hpa), ("deploy.yaml", Self.deployment())])
        let failing = findings.filter { $0.severity >= .error }
        #expect(failing.isEmpty, "\(failing.map { "\($0.rule): \($0.message)" })")
        // minReplicas 1 is below the default floor: reported, but only as a warning.
        #expect(findings.map(\.rule) == ["min-replicas-floor"])
        #expect(findings.first?.severity == .warning)
    }

    @Test("a finding about the target points into the target's own file")
    func findingInTargetFile() throws {
        let findings = try Self.lint([("hpa.yaml", Self.hpa), ("deploy.yaml", Self.deployment(replicas: "3"))])
        let replicas = try #require(findings.first { $0.rule == "target-replicas-set" })
        #expect(replicas.file == "deploy.yaml")
        #expect(replicas.position == SourcePosition(line: 5, column: 3))
        #expect(replicas.path == "/spec/replicas")
        #expect(replicas.object?.kind == "Deployment")
    }

    @Test("a sidecar without a request in another file fails the HPA")
    func sidecarWithoutRequest() throws {
        let sidecar = "{name: envoy, image: envoyproxy/envoy:v1.31, restartPolicy: Always}"
        let findings = try Self.lint([("hpa.yaml", Self.hpa), ("deploy.yaml", Self.deployment(sidecar: sidecar))])
        let missing = try #require(findings.first { $0.rule == "target-missing-request" })
        #expect(missing.severity == .error)
        #expect(missing.file == "hpa.yaml")
        #expect(missing.path == "/spec/targetCPUUtilizationPercentage")
        #expect(missing.message.contains("\"envoy\" (sidecar)"))
    }

    @Test("an HPA and its target in different namespaces, in different files")
    func namespaceMismatchAcrossFiles() throws {
        let otherNamespace = Self.hpa.replacing("namespace: shop", with: "namespace: default")
        let findings = try Self.lint([("hpa.yaml", otherNamespace), ("deploy.yaml", Self.deployment())])
        let mismatch = try #require(findings.first { $0.rule == "target-namespace-mismatch" })
        #expect(mismatch.severity == .error)
        #expect(mismatch.message.contains("namespace shop"))
    }

    @Test("a resolver that could not look the target up says why")
    func unavailableTarget() throws {
        struct Unavailable: WorkloadResolver {
            func resolve(_ reference: ScaleTargetReference, namespace: String?) -> TargetResolution {
                .unavailable("the API server did not answer within 2 s")
            }
            func scalers(of reference: ScaleTargetReference, namespace: String?) -> [ScalerReference] { [] }
            func disruptionBudgets(namespace: String?) -> [ManifestObject] { [] }
            func limitRanges(namespace: String?) -> [ManifestObject] { [] }
        }
        let objects = ManifestLoader.load(Array(Self.hpa.utf8), file: "review").objects
        let findings = Engine(policy: try PolicyLoader.defaultPolicy()).evaluate(objects, resolver: Unavailable())
        let finding = try #require(findings.first { $0.rule == "target-not-found" })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("did not answer within 2 s"))
    }
}
