struct RenamedVLLMMetricRule: HPARule, ObjectRule {
    struct Retired {
        let name: String
        let replacement: String?
        let why: String
    }

    /// vLLM metrics that V1 renamed or dropped (vllm-project/vllm docs/design/metrics.md), without the prefix.
    static let retired: [Retired] = [
        Retired(name: "gpu_cache_usage_perc", replacement: "kv_cache_usage_perc", why: "renamed in vLLM V1"),
        Retired(
            name: "cpu_cache_usage_perc", replacement: nil,
            why: "gone in vLLM V1, which keeps no KV cache in CPU memory"),
        Retired(name: "num_requests_swapped", replacement: nil, why: "gone in vLLM V1, which no longer swaps requests"),
    ]

    static let description = RuleDescription(
        id: "renamed-vllm-metric",
        summary: "The HPA or a KEDA trigger uses a vLLM metric that vLLM V1 renamed or removed",
        rationale: """
            vLLM V1 renamed vllm:gpu_cache_usage_perc to vllm:kv_cache_usage_perc (the old name only comes back \
            behind --show-hidden-metrics-for-version) and dropped vllm:cpu_cache_usage_perc and \
            vllm:num_requests_swapped. Many guides still use the old names. A metric that is no longer exported \
            leaves the HPA with <unknown>, and a scaler that cannot read one of its metrics does not scale down. \
            The vllm_ spelling that prometheus-adapter exposes is recognised too, and so are Prometheus queries of \
            KEDA ScaledObjects.
            """,
        remediation: """
            Use vllm:kv_cache_usage_perc (vllm_kv_cache_usage_perc through prometheus-adapter), or the queue \
            gauge vllm:num_requests_waiting.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics: [{type: Pods, pods: {metric: {name: vllm_kv_cache_usage_perc}, target: {type: AverageValue, averageValue: 800m}}}]
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                    - ↓type: Pods
                      pods: {metric: {name: "vllm:gpu_cache_usage_perc"}, target: {type: AverageValue, averageValue: 800m}}
                """),
            Example("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {name: vllm}
                  triggers:
                    - type: prometheus
                      metadata:
                        serverAddress: http://prometheus.monitoring:9090
                        ↓query: max(vllm:num_requests_swapped{model_name="llama"})
                        threshold: "1"
                """),
        ]
    )

    static func message(_ written: String, _ retired: Retired, prefix: String) -> String {
        let advice = retired.replacement.map { "use \(prefix)\($0)" } ?? "scale on \(prefix)num_requests_waiting"
        return "\(written) is \(retired.why); \(advice)"
    }

    /// The retired metric a name or query mentions, with the prefix style it uses (`vllm:` or `vllm_`).
    static func retiredMetric(in text: String, wholeName: Bool) -> (Retired, prefix: String)? {
        let lowered = text.lowercasedIfNeeded()
        for spelling in spellings where wholeName ? lowered == spelling.full : lowered.contains(spelling.full) {
            return (spelling.retired, spelling.prefix)
        }
        return nil
    }

    /// Every retired metric with each prefix, in the order `retiredMetric` tries them: made once.
    private static let spellings: [(retired: Retired, prefix: String, full: String)] = retired.flatMap { retired in
        ["vllm:", "vllm_"].map { prefix in (retired, prefix, prefix + retired.name) }
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.metrics.compactMap { metric in
            guard let name = metric.name, let (retired, prefix) = Self.retiredMetric(in: name.base, wholeName: true)
            else { return nil }
            return Violation(Self.message(name.written, retired, prefix: prefix), at: metric.pointer)
        }
    }

    func check(object: ManifestObject) -> [Violation] {
        guard object.kind == "ScaledObject", object.group == "keda.sh" else { return [] }
        let triggers = object.value["spec"]?["triggers"]?.arrayValue ?? []
        return triggers.enumerated().compactMap { index, trigger in
            guard trigger["type"]?.stringValue == "prometheus", let query = trigger["metadata"]?["query"]?.stringValue,
                let (retired, prefix) = Self.retiredMetric(in: query, wholeName: false)
            else { return nil }
            return Violation(
                Self.message(prefix + retired.name, retired, prefix: prefix),
                atWritten: JSONPointer(tokens: ["spec", "triggers", String(index), "metadata", "query"]))
        }
    }
}
