struct MaxBelowMinRule: HPARule {
    static let description = RuleDescription(
        id: "max-below-min",
        summary: "maxReplicas is lower than minReplicas",
        rationale: """
            The API server rejects an HPA whose maxReplicas is below minReplicas ("must be greater than or equal to \
            `minReplicas`"). minReplicas defaults to 1, so a missing maxReplicas trips this too. Schema-only \
            validators such as kubeconform do not check it.
            """,
        remediation: "Raise maxReplicas to at least minReplicas.",
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 5}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 5, maxReplicas: 5}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 5
                  ↓maxReplicas: 2
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 3
                  ↓maxReplicas: 1
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let min = hpa.minReplicas, let max = hpa.decodedInteger("maxReplicas"), max < min else { return [] }
        return [Violation(
            "maxReplicas (\(max)) must be greater than or equal to minReplicas (\(min))", at: "/spec/maxReplicas")]
    }
}
