import Engine
import Manifests
import Testing
import TestSupport

/// What hpaguard reports as errors must be what the API server rejects (hpa-api-rules.md §3.1–§3.7, §7), at the
/// same field, for every version a user writes.
@Suite("API-server parity")
struct APIServerParityTests {
    static let ref = "scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}"
    static let v1Metrics = "autoscaling.alpha.kubernetes.io/metrics"
    static let metricsAnnotation = "/metadata/annotations/autoscaling.alpha.kubernetes.io~1metrics"

    /// An HPA of `version` whose spec is `spec` (YAML lines, unindented).
    static func hpa(_ version: String, metadata: String, _ spec: String) -> String {
        let body = spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        return "apiVersion: autoscaling/\(version)\nkind: HorizontalPodAutoscaler\nmetadata: \(metadata)\nspec:\n\(body)\n"
    }

    static func hpa(_ version: String, _ spec: String) -> String { hpa(version, metadata: "{name: vllm}", spec) }

    /// An autoscaling/v1 HPA with the given annotations (a YAML flow mapping body) and spec lines.
    static func v1(annotations: String, _ spec: String = "\(ref)\nmaxReplicas: 4") -> String {
        hpa("v1", metadata: "{name: vllm, annotations: {\(annotations)}}", spec)
    }

    // MARK: - Conversion details the table relies on

    static func converted(_ manifest: String) throws -> HPA {
        let object = try #require(ManifestLoader.load(Array(manifest.utf8), file: "hpa.yaml").objects.first)
        return try #require(HPA(object))
    }

    @Test("autoscaling/v1 has no metrics list: it maps to the CPU target, or to the metrics annotation")
    func v1MetricsListPointer() throws {
        let cpuOnly = try Self.converted(Self.hpa("v1", "\(Self.ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: 50"))
        #expect(cpuOnly.originalPointer(for: "/spec/metrics") == "/spec/targetCPUUtilizationPercentage")
        let annotated = try Self.converted(Self.v1(
            annotations: #"\#(Self.v1Metrics): '[{"type":"Pods","pods":{"metricName":"q","targetAverageValue":"5"}}]'"#,
            "\(Self.ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: 50"))
        #expect(annotated.originalPointer(for: "/spec/metrics") == JSONPointer(Self.metricsAnnotation))
        #expect(annotated.originalPointer(for: "/spec/metrics/1/resource/target") == "/spec/targetCPUUtilizationPercentage")
        let defaulted = try Self.converted(Self.hpa("v1", "\(Self.ref)\nmaxReplicas: 4"))
        #expect(defaulted.originalPointer(for: "/spec/metrics") == "/spec")
    }

    @Test("a null targetCPUUtilizationPercentage is a nil pointer: the CPU default of 80 applies")
    func v1NullCPUTarget() throws {
        let hpa = try Self.converted(Self.hpa("v1", "\(Self.ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: null"))
        #expect(hpa.metrics.count == 1)
        #expect(hpa.metrics.first?.target?["averageUtilization"] == 80)
        #expect(hpa.defaulted.contains("/spec/metrics"))
    }
}
