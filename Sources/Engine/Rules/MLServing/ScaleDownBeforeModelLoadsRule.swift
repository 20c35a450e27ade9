struct ScaleDownBeforeModelLoadsRule: HPARule {
    /// The controller's --horizontal-pod-autoscaler-downscale-stabilization default, used when the HPA sets none.
    static let controllerDefaultWindow: Int64 = 300
    /// The API server's upper bound for stabilizationWindowSeconds.
    static let maximumWindow: Int64 = 3600

    static let description = RuleDescription(
        id: "scale-down-before-model-loads",
        summary: "The scale-down stabilization window is shorter than the time a replica takes to load its model",
        rationale: """
            The scale-down stabilization window is the HPA's guard against flapping: it scales down to the highest \
            recommendation of the window. When a replica needs longer to load its model than the window, a short \
            lull removes replicas that the next burst needs back, and each comes back only after a full model load \
            (minutes of GPU time, and latency for users). Without a window in spec.behavior the controller uses \
            its flag, 300 s by default. The load time comes from the annotation hpaguard.io/model-load-seconds \
            (on the HPA, then on the target; whole seconds) or else from the target's startupProbe budget: \
            initialDelaySeconds + failureThreshold × periodSeconds.
            """,
        remediation: """
            Set spec.behavior.scaleDown.stabilizationWindowSeconds to at least the load time (at most 3600), and \
            consider a gentle scale-down policy (for example one pod per periodSeconds). If the startupProbe \
            budget is generous, state the real load time with the hpaguard.io/model-load-seconds annotation.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations: {hpaguard.io/model-load-seconds: "600"}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  behavior: {scaleDown: {stabilizationWindowSeconds: 900}}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations: {hpaguard.io/model-load-seconds: "1200"}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  behavior: {scaleDown: {selectPolicy: Disabled}}
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tgi}
                spec:
                  template:
                    spec:
                      containers:
                        - name: tgi
                          image: ghcr.io/huggingface/text-generation-inference:2.4
                          resources: {requests: {cpu: "2"}}
                          startupProbe: {httpGet: {path: /health, port: 80}, periodSeconds: 10, failureThreshold: 24}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tgi}, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tgi}
                spec:
                  template:
                    spec:
                      containers:
                        - name: tgi
                          image: ghcr.io/huggingface/text-generation-inference:2.4
                          startupProbe: {httpGet: {path: /health, port: 80}, initialDelaySeconds: 60, failureThreshold: 60}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi}
                ↓spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tgi}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations: {hpaguard.io/model-load-seconds: "900"}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  behavior:
                    scaleDown: {↓stabilizationWindowSeconds: 600}
                """),
            // The v1 form keeps behavior in an annotation; the finding points at it.
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    hpaguard.io/model-load-seconds: "1200"
                    ↓autoscaling.alpha.kubernetes.io/behavior: '{"ScaleDown":{"StabilizationWindowSeconds":600}}'
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations: {↓hpaguard.io/model-load-seconds: 15m}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 4}
                """),
        ]
    )

    static func message(window: Int64, written: Bool, load: ModelLoadTime) -> String {
        let windowText = written ? "\(window) s" : "\(window) s (the controller default, as spec.behavior sets none)"
        let advice = load.seconds > maximumWindow
            ? "raise it to the maximum, \(maximumWindow) s, and slow scale-down with a policy"
            : "raise it to at least \(load.seconds) s"
        return "the scale-down stabilization window is \(windowText), shorter than the \(load.seconds) s a replica "
            + "takes to load its model (\(load.source)): replicas removed in a lull come back only after a full load; "
            + advice
    }

    static func invalidAnnotation(_ text: String) -> String {
        "\(PolicyAnnotation.modelLoadSeconds) is \"\(text)\"; write a whole number of seconds such as \"900\" "
            + "(the scaling profiles ignore anything else)"
    }

    static let windowPointer: JSONPointer = "/spec/behavior/scaleDown/stabilizationWindowSeconds"

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let load: ModelLoadTime
        switch ModelLoadTime.lookup(hpa: hpa, workload: context.workload) {
        case .unknown: return []
        case .known(let time): load = time
        case .invalidAnnotation(let text, let object):
            if HPA.isHPA(object) {
                return [Violation(Self.invalidAnnotation(text), atWritten: ModelLoadTime.annotationPointer)]
            }
            return [Violation(Self.invalidAnnotation(text), in: object, at: ModelLoadTime.annotationPointer)]
        }
        // With scale-down disabled nothing is removed in a lull.
        guard hpa.behavior?["scaleDown"]?["selectPolicy"]?.stringValue != "Disabled" else { return [] }
        let written = hpa.spec[Self.windowPointer.droppingSpecPrefix]?.integerValue
        let window = written ?? Self.controllerDefaultWindow
        guard window < min(load.seconds, Self.maximumWindow) else { return [] }
        return [Violation(Self.message(window: window, written: written != nil, load: load), at: Self.windowPointer)]
    }
}
