struct ScaleToZeroMetricsRule: HPARule {
    static let forbidden = """
        minReplicas is 0 but no metric is of type Object or External: must specify at least one Object or External \
        metric to support scaling to zero replicas
        """

    static let description = RuleDescription(
        id: "scale-to-zero-metrics",
        summary: "minReplicas is 0 without an Object or External metric",
        rationale: """
            With zero replicas there are no pods to read Resource, ContainerResource or Pods metrics from, so \
            nothing could ever scale the workload up again. The API server forbids minReplicas 0 unless a metric of \
            type Object or External is set, and checks this even when the HPAScaleToZero gate is off (you then get \
            min-replicas-range as well).
            """,
        remediation: """
            Add an External metric (a queue length from the serving gateway, say) or an Object metric, or raise \
            minReplicas to 1.
            """,
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 0
                  maxReplicas: 4
                  metrics:
                  - type: Object
                    object:
                      describedObject: {apiVersion: v1, kind: Service, name: vllm}
                      metric: {name: requests_waiting}
                      target: {type: Value, value: "10"}
                """, policy: "settings: {scaleToZero: true}"),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 0
                  maxReplicas: 4
                  ↓metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """, policy: "settings: {scaleToZero: true}"),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 0
                  maxReplicas: 4
                  ↓targetCPUUtilizationPercentage: 70
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard hpa.minReplicas == 0 else { return [] }
        let types = hpa.metrics.map(\.type)
        guard !types.contains(MetricSourceType.object.rawValue), !types.contains(MetricSourceType.external.rawValue)
        else { return [] }
        return [Violation(Self.forbidden, at: "/spec/metrics")]
    }
}
