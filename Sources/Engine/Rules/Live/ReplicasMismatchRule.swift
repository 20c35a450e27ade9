/// The workload does not reach the count the HPA set, long after it set it.
struct ReplicasMismatchRule: LiveRule {
    static let description = RuleDescription(
        id: "replicas-mismatch",
        summary: "desiredReplicas differs from currentReplicas long after the last rescale",
        rationale: """
            The HPA sets the target's replicas; currentReplicas is what the target reports back. When they stay \
            apart between minReplicas and maxReplicas well after lastScaleTime, the workload cannot reach the count: \
            pods Pending for GPUs, nodes or quota, a rollout whose surge inflates the count, or another controller \
            writing replicas. kubernetes-mixin's KubeHpaReplicasMismatch alert fires on the same state; the finding \
            says since when.
            """,
        remediation: """
            Look at the target's pods (kubectl get pods, events of the Pending ones): add GPU nodes or quota, let \
            the cluster autoscaler scale the right node pool, finish or fix the rollout, and make sure only the HPA \
            writes the target's replicas (duplicate-scalers, target-replicas-set).
            """,
        category: .live,
        defaultSeverity: .warning,
        parameters: [
            RuleParameter(
                "minimumSeconds", .integer, default: 900, "How long after lastScaleTime the mismatch counts (seconds).")
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
                  currentReplicas: 4
                  desiredReplicas: 6
                  lastScaleTime: "2026-01-01T11:58:00Z"
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
                  maxReplicas: 8
                status:
                  ↓currentReplicas: 4
                  desiredReplicas: 6
                  lastScaleTime: "2026-01-01T11:20:00Z"
                """)
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        let min = state.hpa.minReplicas ?? 1
        guard let max = state.hpa.maxReplicas, let current = state.status.currentReplicas,
            let desired = state.status.desiredReplicas, current != desired,
            (min...Swift.max(min, max)).contains(desired),
            let last = state.status.lastScaleTime
        else { return [] }
        let age = state.now.seconds - last.seconds
        guard age >= context.parameters.integer("minimumSeconds") else { return [] }
        let why =
            current < desired
            ? "pods that cannot start (Pending for GPUs, nodes or quota) or another controller writing replicas"
            : "a rollout's surge or another controller writing replicas"
        let message =
            "desiredReplicas is \(desired) but currentReplicas is \(current), \(Timestamp.describe(age)) after "
            + "the last rescale (lastScaleTime \(last)): the workload does not reach the count the HPA sets; likely \(why)"
        return [Violation(message, atWritten: "/status/currentReplicas")]
    }
}
