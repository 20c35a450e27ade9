struct GPUUtilizationMetricRule: HPARule {
    /// Duty-cycle gauges: the DCGM exporter's and Triton's.
    static let utilizationMetrics: Set<String> = ["dcgm_fi_dev_gpu_util", "nv_gpu_utilization"]

    static let description = RuleDescription(
        id: "gpu-utilization-metric",
        summary: "GPU utilization is the only workload metric of the HPA",
        rationale: """
            DCGM_FI_DEV_GPU_UTIL (and Triton's nv_gpu_utilization) measure the share of time the GPU was busy, not \
            how much work it did: a server batching one request or sixty shows the same figure, so it maps poorly to \
            latency or throughput (GKE's inference autoscaling guidance). It can work as a coarse signal, which is \
            why this is only information.
            """,
        remediation: """
            Add or switch to the server's queue size (vllm:num_requests_waiting, tgi_queue_size), or batch size \
            (vllm:num_requests_running, tgi_batch_current_size) for tighter latency targets.
            """,
        category: .mlServing,
        defaultSeverity: .info,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                    - type: External
                      external: {metric: {name: DCGM_FI_DEV_GPU_UTIL}, target: {type: AverageValue, averageValue: "90"}}
                    - type: Pods
                      pods: {metric: {name: vllm:num_requests_waiting}, target: {type: AverageValue, averageValue: "5"}}
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
                      pods: {metric: {name: "prometheus.googleapis.com|DCGM_FI_DEV_GPU_UTIL|gauge"}, target: {type: AverageValue, averageValue: "80"}}
                """),
        ]
    )

    static func message(_ name: MetricName) -> String {
        "\(name.written) measures how often the GPU is busy, not how much work waits; the HPA has no queue or batch "
            + "metric to go by"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let named = hpa.metrics.compactMap { metric in metric.name.map { (metric, $0) } }
        let utilization = named.filter { Self.utilizationMetrics.contains($0.1.base) }
        guard !utilization.isEmpty, utilization.count == named.count else { return [] }
        return utilization.map { Violation(Self.message($0.1), at: $0.0.pointer) }
    }
}
