struct MinEqualsMaxRule: HPARule {
    static let description = RuleDescription(
        id: "min-equals-max",
        summary: "minReplicas equals maxReplicas, so the HPA never changes the replica count",
        rationale: """
            With minReplicas equal to maxReplicas the HPA can only hold the count where it is: it costs a controller \
            loop and suggests autoscaling that does not happen. KServe creates such HPAs by default (1 and 1) for \
            every predictor. Sometimes it is deliberate, to pin a workload during an incident, hence info.
            """,
        remediation: "Raise maxReplicas above minReplicas, or delete the HPA and set the workload's replicas.",
        category: .bestPractice,
        defaultSeverity: .info,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, minReplicas: 2, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: sklearn-predictor}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: sklearn-predictor}
                  ↓maxReplicas: 1
                """),
        ]
    )

    static func message(_ replicas: Int64) -> String {
        "minReplicas and maxReplicas are both \(replicas): the HPA never scales"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let min = hpa.minReplicas, let max = hpa.maxReplicas, min == max else { return [] }
        return [Violation(Self.message(max), at: "/spec/maxReplicas")]
    }
}
