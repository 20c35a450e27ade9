struct MinReplicasFloorRule: HPARule {
    static let description = RuleDescription(
        id: "min-replicas-floor",
        summary: "minReplicas is below the policy's floor",
        rationale: """
            At minReplicas the workload runs on that many pods; with one, a node drain, an eviction or a crash \
            leaves no replica serving, and for a model server the gap lasts a full model load. Polaris, kube-score \
            and kube-linter all ask for at least two (or three). minReplicas defaults to 1 when it is not written. \
            minReplicas 0 is not flagged when the policy enables scale to zero (settings.scaleToZero).
            """,
        remediation: """
            Raise minReplicas to the floor, or lower the floor for namespaces where one replica is fine (rule \
            parameters, or an exemption for dev-* namespaces).
            """,
        category: .bestPractice,
        defaultSeverity: .warning,
        parameters: [RuleParameter("minimum", .integer, default: 2, "The lowest acceptable minReplicas.")],
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, minReplicas: 2, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, minReplicas: 1, maxReplicas: 4}
                """,
                policy: "rules: {min-replicas-floor: {parameters: {minimum: 1}}}"),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  ↓minReplicas: 1
                  maxReplicas: 4
                """),
            // Not written: the API server defaults it to 1.
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                ↓spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, ↓minReplicas: 2, maxReplicas: 4}
                """,
                policy: "rules: {min-replicas-floor: {severity: error, parameters: {minimum: 3}}}"),
        ]
    )

    static func message(minReplicas: Int64, written: Bool, floor: Int64) -> String {
        let value = written ? "minReplicas is \(minReplicas)" : "minReplicas is not set and defaults to \(minReplicas)"
        return "\(value), below the floor of \(floor): one failure or drain leaves too few replicas serving"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let floor = context.parameters.integer("minimum")
        guard let minReplicas = hpa.minReplicas, minReplicas < floor,
            !(minReplicas == 0 && context.settings.scaleToZero)
        else { return [] }
        let pointer: JSONPointer = "/spec/minReplicas"
        return [Violation(
            Self.message(minReplicas: minReplicas, written: hpa.isWritten(pointer), floor: floor), at: pointer)]
    }
}
