/// Suggests the queue metric of the target's model server, with the exact block to add; never attached
/// automatically, because its name depends on the cluster's metrics adapter.
struct QueueMetricSuggestedRule: ProfileRule {
    static let description = RuleDescription(
        id: "queue-metric-suggested",
        summary: "A model server's queue metric would scale better than cpu/memory",
        rationale: """
            For LLM and GPU inference, cpu and memory do not track load (GKE's inference autoscaling guidance): the \
            queue of waiting requests does. vLLM exports vllm:num_requests_waiting, TGI tgi_queue_size, Triton \
            nv_inference_pending_request_count. The metric reaches the HPA through a metrics adapter whose naming \
            differs (prometheus-adapter, GKE's pipe-delimited form, KEDA), so hpaguard suggests the block and never \
            adds it itself.
            """,
        remediation: "Expose the metric through your adapter and add the suggested Pods metric (adjust the name to the adapter's form).",
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
                  - type: Pods
                    pods:
                      metric: {name: "vllm:num_requests_waiting"}
                      target: {type: AverageValue, averageValue: "5"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm}
                spec:
                  template:
                    spec:
                      containers: [{name: server, image: "vllm/vllm-openai:v0.9.0"}]
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
                  ↓metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm}
                spec:
                  template:
                    spec:
                      containers: [{name: server, image: "vllm/vllm-openai:v0.9.0"}]
                """),
        ]
    )

    func check(_ hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation] {
        return plan.suggestions.map { suggestion in
            let block = "{type: Pods, pods: {metric: {name: \"\(suggestion.name)\"}, target: {type: AverageValue, averageValue: \"\(suggestion.averageValue)\"}}}"
            return Violation(
                "\(suggestion.modelServer) serves this target and the HPA scales on cpu/memory only; scale on its queue instead: add to spec.metrics \(block) (the metric name depends on your metrics adapter)",
                at: "/spec/metrics")
        }
    }
}
