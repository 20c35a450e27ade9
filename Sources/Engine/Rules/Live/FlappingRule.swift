/// Rescales back and forth within the window: scale-down undoes scale-up (and again).
struct FlappingRule: LiveRule {
    static let description = RuleDescription(
        id: "flapping",
        summary: "The HPA rescales back and forth: more rescales than the limit, changing direction",
        rationale: """
            Each SuccessfulRescale event ("New size: N; reason: ...") is a rescale. Many of them within the \
            window, with the count going up, then down, then up again, mean scale-down undoes scale-up before \
            the load has settled: for model servers each scale-up pays a model load (minutes of GPU time serving \
            nothing) and each scale-down throws it away. The usual causes are a scale-down stabilization window \
            shorter than the load's period, a tolerance too tight for a noisy metric, or a metric that drops as \
            soon as replicas are added.
            """,
        remediation: """
            Lengthen behavior.scaleDown.stabilizationWindowSeconds (the default is 300; longer than the model's \
            load time and the load's dips), cap scale-down with a policy (one pod per few minutes), and prefer a \
            metric that does not fall as soon as new replicas start (queue length over utilization).
            """,
        category: .live,
        defaultSeverity: .warning,
        parameters: [
            RuleParameter(
                "maxRescales", .integer, default: 4, "Rescales within the window (--since) beyond which it is flapping."
            ),
            RuleParameter(
                "minDirectionChanges", .integer, default: 2,
                "Changes of direction among them (up then down counts one)."),
        ],
        validExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 16
                status: {currentReplicas: 8, desiredReplicas: 8}
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: vllm.1, namespace: ml}
                involvedObject: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: vllm, namespace: ml}
                reason: SuccessfulRescale
                message: "New size: 4; reason: cpu resource utilization (percentage of request) above target"
                type: Normal
                count: 1
                firstTimestamp: "2026-01-01T11:10:00Z"
                lastTimestamp: "2026-01-01T11:10:00Z"
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: vllm.2, namespace: ml}
                involvedObject: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: vllm, namespace: ml}
                reason: SuccessfulRescale
                message: "New size: 8; reason: cpu resource utilization (percentage of request) above target"
                type: Normal
                count: 1
                firstTimestamp: "2026-01-01T11:20:00Z"
                lastTimestamp: "2026-01-01T11:20:00Z"
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
                  maxReplicas: 16
                  behavior:
                    ↓scaleDown: {stabilizationWindowSeconds: 30}
                status: {currentReplicas: 6, desiredReplicas: 6}
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: vllm.1, namespace: ml}
                involvedObject: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: vllm, namespace: ml}
                reason: SuccessfulRescale
                message: "New size: 6; reason: cpu resource utilization (percentage of request) above target"
                type: Normal
                count: 3
                firstTimestamp: "2026-01-01T11:05:00Z"
                lastTimestamp: "2026-01-01T11:50:00Z"
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: vllm.2, namespace: ml}
                involvedObject: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: vllm, namespace: ml}
                reason: SuccessfulRescale
                message: "New size: 3; reason: All metrics below target"
                type: Normal
                count: 3
                firstTimestamp: "2026-01-01T11:12:00Z"
                lastTimestamp: "2026-01-01T11:42:00Z"
                """)
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        let rescales = state.rescales
        let total = rescales.reduce(0) { $0 + $1.count }
        guard total > context.parameters.integer("maxRescales") else { return [] }
        let changes = Self.directionChanges(rescales)
        guard changes >= context.parameters.integer("minDirectionChanges") else { return [] }
        let sizes = rescales.map { $0.count > 1 ? "\($0.size) (×\($0.count))" : "\($0.size)" }.joined(separator: ", ")
        let message =
            "rescaled \(total) times in the last \(Timestamp.describe(state.window)) with at least \(changes) "
            + "changes of direction (new sizes: \(sizes)): scale-down undoes scale-up before the load settles"
        return [Violation(message, atWritten: state.pointer(["/spec/behavior/scaleDown", "/spec/behavior", "/spec"]))]
    }

    /// Changes of direction among the rescales, as far as events tell: between consecutive events with different
    /// sizes, plus one for each repeat of an aggregated event (the recorder merges identical events, so a size
    /// reached three times was left and reached again twice).
    static func directionChanges(_ rescales: [(time: Timestamp?, size: Int64, count: Int64, reason: String)]) -> Int64 {
        var changes: Int64 = rescales.reduce(0) { $0 + max(0, $1.count - 1) }
        var previousSize: Int64?
        var previousUp: Bool?
        for rescale in rescales {
            let up: Bool
            if let previousSize, previousSize != rescale.size {
                up = rescale.size > previousSize
            } else {
                // The first event: the controller's reason says which way it went.
                let reason = rescale.reason.lowercased()
                up = reason.contains("above target") || reason.contains("below spec.minreplicas")
            }
            if let previousUp, previousUp != up { changes += 1 }
            previousUp = up
            previousSize = rescale.size
        }
        return changes
    }
}
