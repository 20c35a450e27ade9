/// At maxReplicas with the metrics asking for more (`ScalingLimited=True`, `TooManyReplicas`), for a while.
struct PinnedAtMaxRule: LiveRule {
    static let description = RuleDescription(
        id: "pinned-at-max",
        summary: "The HPA has been at maxReplicas with its metrics asking for more",
        rationale: """
            ScalingLimited=True with reason TooManyReplicas means the controller computed a count above \
            maxReplicas and clamped it: demand is higher than the HPA may serve. For a model server that is \
            requests queueing and latency climbing while the HPA reports nothing wrong. kubernetes-mixin's \
            KubeHpaMaxedOut alert says only that the count sits at max; the condition says the metrics want more, \
            and its lastTransitionTime says for how long.
            """,
        remediation: """
            Raise maxReplicas if the cluster (GPUs, quota) can hold more replicas; otherwise add capacity, or make \
            each replica serve more (batching, a smaller model). If the metric's target is wrong, fix the target \
            rather than the maximum.
            """,
        category: .live,
        defaultSeverity: .warning,
        parameters: [
            RuleParameter(
                "minimumSeconds", .integer, default: 900, "How long TooManyReplicas must have held (seconds).")
        ],
        validExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 2
                  maxReplicas: 8
                status:
                  currentReplicas: 8
                  desiredReplicas: 8
                  conditions:
                  - type: ScalingLimited
                    status: "True"
                    reason: TooManyReplicas
                    message: the desired replica count is more than the maximum replica count
                    lastTransitionTime: "2026-01-01T11:55:00Z"
                """)
        ],
        invalidExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 2
                  ↓maxReplicas: 8
                status:
                  currentReplicas: 8
                  desiredReplicas: 8
                  conditions:
                  - type: ScalingLimited
                    status: "True"
                    reason: TooManyReplicas
                    message: the desired replica count is more than the maximum replica count
                    lastTransitionTime: "2026-01-01T09:45:00Z"
                """)
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        guard let max = state.hpa.maxReplicas, state.status.currentReplicas == max,
            let condition = state.condition("ScalingLimited"), condition.isTrue, condition.reason == "TooManyReplicas",
            let age = state.age(of: condition), age >= context.parameters.integer("minimumSeconds")
        else { return [] }
        let message =
            "at maxReplicas (\(max)) for \(Timestamp.describe(age)) (ScalingLimited=True, TooManyReplicas since "
            + "\(condition.lastTransitionTime.map(String.init(describing:)) ?? "?")): the metrics ask for more replicas "
            + "than maxReplicas allows, so load beyond \(max) replicas queues"
        return [Violation(message, atWritten: "/spec/maxReplicas")]
    }
}
