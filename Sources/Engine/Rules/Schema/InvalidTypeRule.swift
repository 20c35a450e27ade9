struct InvalidTypeRule: HPARule {
    static let description = RuleDescription(
        id: "invalid-type",
        summary: "A field has the wrong JSON type, or a quantity does not parse",
        rationale: """
            The API server decodes the object before validating it: a replica count written as a string \
            ("10"), a percentage with a % sign, or a quantity such as 10rps fails with HTTP 400. Numbers for \
            quantities (averageValue: 20) and strings in the quantity grammar ("500m") are fine, and are read as the \
            API server reads them.
            """,
        remediation: "Write integers unquoted, quantities as Kubernetes quantities (500m, 2, 1Gi), strings quoted where YAML would read a number.",
        category: .schema,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, annotations: {team: "42"}}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                  metrics:
                  - type: Pods
                    pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: 20}}
                  - type: Pods
                    pods: {metric: {name: latency}, target: {type: AverageValue, averageValue: 1500m}}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  ↓maxReplicas: "10"
                  metrics:
                  - type: Pods
                    pods:
                      metric: {name: queue}
                      target:
                        type: AverageValue
                        ↓averageValue: 10rps
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: web
                  annotations:
                    ↓hpaguard.io/model-load-seconds: 300
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.schemaProblems
            .filter { $0.kind == .wrongType }
            .map { Violation($0.message, atWritten: $0.pointer) }
    }
}
