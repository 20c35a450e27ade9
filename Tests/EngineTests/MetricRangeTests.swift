@testable import Engine
import Manifests
import Testing
import TestSupport

/// The metric-range table `metric-target-out-of-range` and `simulate` read, its policy entries, and the table of
/// removed API versions `scale-target-group-removed` shares with `removed-api-version`.
@Suite("Metric ranges")
struct MetricRangeTests {
    @Test(arguments: [
        "vllm:kv_cache_usage_perc", "vllm_kv_cache_usage_perc", "VLLM:KV_CACHE_USAGE_PERC",
        "prometheus.googleapis.com|vllm:kv_cache_usage_perc|gauge",
    ])
    func everySpellingFindsTheSameRange(_ name: String) throws {
        let range = try #require(MetricRange.lookup(name))
        #expect(range.name == "vllm:kv_cache_usage_perc")
        #expect(range.scale == .fraction && range.maximum == 1 && !range.perAccelerator)
    }

    @Test func percentagesCountsAndUnknownNames() throws {
        let util = try #require(MetricRange.lookup("prometheus.googleapis.com|DCGM_FI_DEV_GPU_UTIL|gauge"))
        #expect(util.scale == .percent && util.perAccelerator)
        let duty = try #require(MetricRange.lookup("kubernetes.io|container|accelerator|duty_cycle"))
        #expect(duty.scale == .percent)
        let waiting = try #require(MetricRange.lookup("vllm_num_requests_waiting"))
        #expect(waiting.scale == .count && waiting.maximum == nil)
        #expect(MetricRange.lookup("gpu_utilization_percent") == nil, "an adapter's own name is not guessed")
        #expect(MetricRange.builtIn.allSatisfy { !$0.source.isEmpty }, "every built-in range names its source")
    }

    @Test func aPolicyEntryAddsOrReplacesARange() throws {
        let policy = try PolicyLoader.load(
            text: """
                rules:
                  metric-target-out-of-range: {parameters: {ranges: ["vllm:kv_cache_usage_perc:0:", "my:ratio:0:1"]}}
                """,
            file: "policy.yaml")
        let mine = try #require(MetricRange.lookup("my_ratio", policy: policy))
        #expect(mine.scale == .fraction)
        let replaced = try #require(MetricRange.lookup("vllm:kv_cache_usage_perc", policy: policy))
        #expect(replaced.maximum == nil)
        #expect(MetricRange.lookup("DCGM_FI_DEV_GPU_UTIL", policy: policy)?.scale == .percent)
    }

    @Test(arguments: ["no_bounds", "name:0:1:x", ":0:1", "ratio:1:0", "ratio:low:1"])
    func aMalformedPolicyEntryIsAPolicyError(_ entry: String) {
        let text = "rules: {metric-target-out-of-range: {parameters: {ranges: [\"\(entry)\"]}}}"
        #expect(throws: PolicyError.self) { try PolicyLoader.load(text: text, file: "policy.yaml") }
    }

    @Test func aSwitchedRangeStopsTheFinding() throws {
        let hpa = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: vllm}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
              maxReplicas: 4
              metrics:
                - type: Pods
                  pods: {metric: {name: vllm:kv_cache_usage_perc}, target: {type: AverageValue, averageValue: "40"}}
            """
        let rule = "metric-target-out-of-range"
        #expect(try RuleVerifier.lint(hpa).contains { $0.rule == rule })
        let policy = "rules: {\(rule): {parameters: {ranges: [\"vllm:kv_cache_usage_perc:0:100\"]}}}"
        #expect(try !RuleVerifier.lint(hpa, policy: policy).contains { $0.rule == rule })
    }

    @Test func quantitiesAreWrittenTheWayKubernetesWritesThem() {
        #expect(MetricTargetOutOfRangeRule.quantity(0.4) == "400m")
        #expect(MetricTargetOutOfRangeRule.quantity(80) == "80")
        #expect(MetricTargetOutOfRangeRule.quantity(0.0125) == "0.0125")
        #expect(MetricTargetOutOfRangeRule.decimal(0.8) == "0.8")
        #expect(MetricTargetOutOfRangeRule.decimal(1.25) == "1.25")
    }

    @Test func onlyAGroupThatServesTheKindNoMoreIsRemoved() throws {
        let extensions = try #require(RemovedAPI.groupRemoved("extensions", kind: "Deployment"))
        #expect(extensions.removedIn == KubeVersion(major: 1, minor: 16) && extensions.replacement == "apps/v1")
        #expect(RemovedAPI.groupRemoved("apps", kind: "Deployment") == nil, "apps/v1 still serves Deployments")
        #expect(RemovedAPI.groupRemoved("extensions", kind: "Ingress") == nil, "not in the table")
        #expect(RemovedAPI.groupRemoved("extensions", kind: "HorizontalPodAutoscaler")?.removedIn == KubeVersion(major: 1, minor: 6))
        #expect(RemovedAPI.groupRemoved("autoscaling", kind: "HorizontalPodAutoscaler") == nil, "autoscaling/v2 serves HPAs")
        #expect(RemovedAPI.entry(apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler")?.removedIn
            == KubeVersion(major: 1, minor: 26))
    }
}
