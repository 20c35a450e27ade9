struct MaxReplicasRangeRule: HPARule {
    static let notSet = "spec.maxReplicas is required: must be set and greater than 0"

    static func negative(_ value: Int64) -> String {
        "spec.maxReplicas \(value) is invalid: must be greater than or equal to 1"
    }

    static let description = RuleDescription(
        id: "max-replicas-range",
        summary: "maxReplicas is missing, zero or negative",
        rationale: """
            maxReplicas is the one field an HPA must set: the API server rejects an HPA without it, or with 0 \
            ("must be set and greater than 0"; older releases say "must be greater than 0"), and a negative value \
            ("must be greater than or equal to 1"). An omitted maxReplicas decodes as 0. There is no upper bound \
            besides int32.
            """,
        remediation: "Set maxReplicas to the most replicas the model server may run, at least minReplicas.",
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 1}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                ↓spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 1
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  ↓maxReplicas: -3
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, ↓maxReplicas: 0}
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let maximum = hpa.decodedInteger("maxReplicas") else { return [] }
        if maximum == 0 { return [Violation(Self.notSet, at: "/spec/maxReplicas")] }
        if maximum < 0 { return [Violation(Self.negative(maximum), at: "/spec/maxReplicas")] }
        return []
    }
}
