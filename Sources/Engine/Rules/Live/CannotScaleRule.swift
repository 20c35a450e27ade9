/// `AbleToScale=False`: the controller cannot read or write the target's scale.
struct CannotScaleRule: LiveRule {
    static let description = RuleDescription(
        id: "cannot-scale",
        summary: "AbleToScale is False: the HPA cannot read or update its target's scale",
        rationale: """
            The HPA controller reads the target through its /scale subresource and writes the new count there. \
            When it cannot (FailedGetScale: the target is gone, its kind has no scale subresource, or the \
            controller may not get it; FailedUpdateScale: an admission webhook, a quota or RBAC rejects the update) \
            it sets AbleToScale=False and the replica count stays where it is, whatever the metrics say.
            """,
        remediation: """
            FailedGetScale: check that scaleTargetRef names an existing object of a kind with a scale subresource \
            (kubectl get --raw .../scale). FailedUpdateScale: read the message for the webhook, quota or RBAC that \
            refused the update, and let the horizontal-pod-autoscaler service account update */scale.
            """,
        category: .live,
        defaultSeverity: .error,
        validExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 8
                status:
                  currentReplicas: 3
                  desiredReplicas: 4
                  conditions:
                  - type: AbleToScale
                    status: "True"
                    reason: SucceededRescale
                    message: the HPA controller was able to update the target scale to 4
                    lastTransitionTime: "2026-01-01T11:59:00Z"
                """)
        ],
        invalidExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: llama, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: leaderworkerset.x-k8s.io/v1, kind: LeaderWorkerSet, name: llama}
                  maxReplicas: 4
                status:
                  currentReplicas: 0
                  desiredReplicas: 0
                  conditions:
                  - ↓type: AbleToScale
                    status: "False"
                    reason: FailedGetScale
                    message: "the HPA controller was unable to get the target's current scale: leaderworkersets.leaderworkerset.x-k8s.io \\"llama\\" not found"
                    lastTransitionTime: "2026-01-01T08:00:00Z"
                """)
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        guard let condition = state.condition("AbleToScale"), condition.isFalse else { return [] }
        var message =
            "AbleToScale is False (\(condition.reason))\(state.duration(of: condition)), so the replica count cannot change"
        if !condition.message.isEmpty { message += ": \(condition.message)" }
        switch condition.reason {
        case "FailedGetScale":
            message += "; the target does not exist, has no scale subresource, or the controller may not read it"
        case "FailedUpdateScale":
            message += "; an admission webhook, a quota or RBAC refuses the controller's update of the target's scale"
        default:
            break
        }
        return [Violation(message, atWritten: condition.pointer)]
    }
}
