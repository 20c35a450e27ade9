struct MinReplicasRangeRule: HPARule {
    static func tooLow(_ value: Int64, bound: Int64, scaleToZero: Bool) -> String {
        let gate =
            scaleToZero
            ? ""
            : "; 0 needs the HPAScaleToZero gate (alpha, off by default), then settings.scaleToZero in the policy"
        return "spec.minReplicas \(value) is invalid: must be greater than or equal to \(bound)\(gate)"
    }

    static let description = RuleDescription(
        id: "min-replicas-range",
        summary: "minReplicas is below the API server's lower bound",
        rationale: """
            The API server rejects minReplicas below 1 ("must be greater than or equal to 1"). Only with the \
            HPAScaleToZero feature gate (alpha since 1.16 and off by default through 1.37) does the bound drop to 0; \
            hpaguard follows the policy setting settings.scaleToZero for that. Scaling an idle model server to zero \
            is tempting, which is why this shows up in ML manifests.
            """,
        remediation: """
            Set minReplicas to 1 or more, or leave it out (it defaults to 1). If the cluster enables HPAScaleToZero, \
            set settings.scaleToZero: true in the policy.
            """,
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, minReplicas: 1, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 0
                  maxReplicas: 4
                  metrics:
                  - type: External
                    external:
                      metric: {name: queue_depth}
                      target: {type: AverageValue, averageValue: "5"}
                """, policy: "settings: {scaleToZero: true}"),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  ↓minReplicas: 0
                  maxReplicas: 4
                  metrics:
                  - type: External
                    external:
                      metric: {name: queue_depth}
                      target: {type: AverageValue, averageValue: "5"}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  ↓minReplicas: -1
                  maxReplicas: 4
                """, policy: "settings: {scaleToZero: true}"),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let bound: Int64 = context.settings.scaleToZero ? 0 : 1
        guard let minimum = hpa.minReplicas, minimum < bound else { return [] }
        return [Violation(
            Self.tooLow(minimum, bound: bound, scaleToZero: context.settings.scaleToZero), at: "/spec/minReplicas")]
    }
}
