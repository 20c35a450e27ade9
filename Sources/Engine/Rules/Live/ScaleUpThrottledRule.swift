/// `ScalingLimited=True` with `ScaleUpLimit` that persists: the scale-up policy is slower than demand.
struct ScaleUpThrottledRule: LiveRule {
    static let description = RuleDescription(
        id: "scale-up-throttled",
        summary: "Scale-up has been held back by the scale-up policy for a while",
        rationale: """
            ScalingLimited=True with reason ScaleUpLimit means the controller wanted more replicas than the \
            scale-up rate allows in one step: behavior.scaleUp's policies (or, without behavior, at most double \
            or +4 per sync). Once in a while it is the policy working; held for minutes it means demand grows \
            faster than the HPA may follow, and for model servers that take minutes to load each step comes late.
            """,
        remediation: """
            Loosen behavior.scaleUp: a larger Pods or Percent value, a shorter periodSeconds, selectPolicy Max, and \
            no stabilizationWindowSeconds for scale-up; or scale on a metric that leads (queue length) so that the \
            steps start earlier.
            """,
        category: .live,
        defaultSeverity: .warning,
        parameters: [
            RuleParameter("minimumSeconds", .integer, default: 300, "How long ScaleUpLimit must have held (seconds).")
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
                status:
                  currentReplicas: 4
                  desiredReplicas: 8
                  conditions:
                  - type: ScalingLimited
                    status: "True"
                    reason: ScaleUpLimit
                    message: the desired replica count is increasing faster than the maximum scale rate
                    lastTransitionTime: "2026-01-01T11:59:00Z"
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
                    ↓scaleUp:
                      policies:
                      - {type: Pods, value: 1, periodSeconds: 300}
                status:
                  currentReplicas: 5
                  desiredReplicas: 6
                  conditions:
                  - type: ScalingLimited
                    status: "True"
                    reason: ScaleUpLimit
                    message: the desired replica count is increasing faster than the maximum scale rate
                    lastTransitionTime: "2026-01-01T11:40:00Z"
                """)
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        guard let condition = state.condition("ScalingLimited"), condition.isTrue, condition.reason == "ScaleUpLimit",
            let age = state.age(of: condition), age >= context.parameters.integer("minimumSeconds")
        else { return [] }
        let message =
            "scale-up held back by \(Self.policy(of: state.hpa)) for \(Timestamp.describe(age)) "
            + "(ScalingLimited=True, ScaleUpLimit since \(condition.lastTransitionTime.map(String.init(describing:)) ?? "?"))"
            + (state.status.currentReplicas.map { " at \($0) replicas" } ?? "")
            + ": demand grows faster than the HPA may follow"
        return [Violation(message, atWritten: state.pointer(["/spec/behavior/scaleUp", "/spec/behavior", "/spec"]))]
    }

    /// The scale-up policy in force, as the controller applies it (the API server's defaults filled in).
    static func policy(of hpa: HPA) -> String {
        guard let scaleUp = hpa.behavior?["scaleUp"], !scaleUp.isNull else {
            return "the default scale-up limit without behavior (at most double, or +4, per sync)"
        }
        let policies = (scaleUp["policies"]?.arrayValue ?? []).map { policy in
            let type = policy["type"]?.stringValue ?? "?"
            let value = policy["value"]?.integerValue.map(String.init) ?? "?"
            let period = policy["periodSeconds"]?.integerValue.map(String.init) ?? "?"
            return type == "Percent"
                ? "\(value)% per \(period)s" : "\(value) pod\(value == "1" ? "" : "s") per \(period)s"
        }
        var text = "behavior.scaleUp (" + (policies.isEmpty ? "no policies" : policies.joined(separator: ", "))
        if let select = scaleUp["selectPolicy"]?.stringValue { text += ", selectPolicy \(select)" }
        if let window = scaleUp["stabilizationWindowSeconds"]?.integerValue, window > 0 {
            text += ", stabilization \(window)s"
        }
        return text + ")"
    }
}
