struct CounterAsGaugeRule: HPARule {
    static let defaultSuffixes: [String] = ["_total", "_bucket", "_seconds_count", "_seconds_sum", "_duration_us"]
    static let defaultNames: [String] = [
        "tgi_request_count", "tgi_request_success", "tgi_request_failure",
        "nv_inference_request_success", "nv_inference_request_failure", "nv_inference_count", "nv_inference_exec_count",
    ]

    static let description = RuleDescription(
        id: "counter-as-gauge",
        summary: "A metric that is a cumulative counter is used as if it were a current value",
        rationale: """
            Counters only grow: vLLM's *_total metrics, histogram _bucket/_sum/_count series, TGI's \
            tgi_request_count, and every Triton nv_inference_*_duration_us metric and request count. Compared with \
            an AverageValue or Value target their value exceeds any threshold sooner or later, so the HPA ratchets \
            up to maxReplicas and stays there. An adapter can serve a rate under another name (prometheus-adapter \
            rules typically rename *_total to *_per_second); a name still ending in _total means the raw counter \
            reaches the HPA. GKE's pipe-delimited names of kind counter are served as rates and are not flagged.
            """,
        remediation: """
            Scale on a gauge (queue size, batch size), or expose the counter's rate through the adapter \
            (rate(vllm:request_success_total[1m]) in prometheus-adapter's metricsQuery or a KEDA query) under its \
            own name.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        parameters: [
            RuleParameter(
                "counterSuffixes", .stringList, default: .array(defaultSuffixes.map(JSONValue.string)),
                "Metric name endings that mark a cumulative counter (case-insensitive)."),
            RuleParameter(
                "counterNames", .stringList, default: .array(defaultNames.map(JSONValue.string)),
                "Counters named like gauges (no telling suffix), matched whole and case-insensitively."),
        ],
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: triton}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
                  maxReplicas: 4
                  metrics:
                    - type: Pods
                      pods: {metric: {name: nv_inference_pending_request_count}, target: {type: AverageValue, averageValue: "8"}}
                    - type: External
                      external: {metric: {name: "prometheus.googleapis.com|vllm:request_success_total|counter"}, target: {type: Value, value: "40"}}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: triton}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
                  maxReplicas: 4
                  metrics:
                    - ↓type: Pods
                      pods: {metric: {name: nv_inference_queue_duration_us}, target: {type: AverageValue, averageValue: "5000"}}
                    - ↓type: Object
                      object:
                        describedObject: {apiVersion: v1, kind: Service, name: tgi}
                        metric: {name: tgi_request_count}
                        target: {type: Value, value: "100"}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                    - ↓type: External
                      external: {metric: {name: vllm_prompt_tokens_total}, target: {type: AverageValue, averageValue: "1k"}}
                """),
        ]
    )

    static func message(_ name: MetricName) -> String {
        "\(name.written) is a cumulative counter: it only grows, so the HPA ratchets up to maxReplicas; scale on a "
            + "gauge or on the counter's rate"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let suffixes = context.parameters.lowercasedStrings("counterSuffixes")
        let names = context.parameters.lowercasedStrings("counterNames")
        return hpa.metrics.compactMap { metric in
            guard let name = metric.name, name.kind != "counter",
                names.contains(name.base) || suffixes.contains(where: { name.base.hasSuffix($0) })
            else { return nil }
            return Violation(Self.message(name), at: metric.pointer)
        }
    }
}
