struct UnknownFieldRule: HPARule {
    static let description = RuleDescription(
        id: "unknown-field",
        summary: "A field does not exist in the HPA's apiVersion",
        rationale: """
            kubectl's default strict field validation rejects unknown fields; a non-strict apply (or an older \
            client) drops them silently. The common case is an autoscaling/v2 HPA written with v2beta1 field names \
            (targetAverageUtilization): the metric then quietly loses its target.
            """,
        remediation: "Use the field names of the declared apiVersion; the message names the right one where it can.",
        category: .schema,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                  metrics:
                  - type: Resource
                    resource:
                      name: cpu
                      ↓targetAverageUtilization: 70
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                  ↓metrics: []
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.schemaProblems
            .filter { $0.kind == .unknownField }
            .map { Violation($0.message, atWritten: $0.pointer) }
    }
}
