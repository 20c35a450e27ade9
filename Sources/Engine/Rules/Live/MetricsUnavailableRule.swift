/// `ScalingActive=False`: the controller cannot compute a replica count, so the HPA does nothing at all.
struct MetricsUnavailableRule: LiveRule {
    static let description = RuleDescription(
        id: "metrics-unavailable",
        summary: "ScalingActive is False: the HPA cannot read its metrics and does not scale",
        rationale: """
            When the HPA controller cannot get a metric it sets ScalingActive=False with the reason \
            (FailedGetResourceMetric, FailedGetContainerResourceMetric, FailedGetPodsMetric, FailedGetObjectMetric, \
            FailedGetExternalMetric, InvalidSelector, AmbiguousSelector, InvalidMetricSourceType) and stops scaling: \
            the replica count stays where it is while load changes. Nothing fails loudly; kubectl shows <unknown> \
            in the TARGETS column. The usual causes are a container (often a sidecar) without a request for the \
            resource, metrics-server or the custom/external metrics adapter missing, or an adapter query that \
            returns nothing for these pods. ScalingDisabled (the target scaled to 0 by hand) is left alone.
            """,
        remediation: """
            Read the condition's message. For "missing request for": give every container of the target a request \
            for that resource (target-missing-request names them). For "no ... metrics API registered" or "could \
            not find the requested resource": install metrics-server, or the adapter (prometheus-adapter, KEDA) \
            serving custom.metrics.k8s.io / external.metrics.k8s.io. For "no metrics returned": check the metric's \
            name and selector against the adapter's rules and the series Prometheus has for these pods.
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
                  minReplicas: 2
                  maxReplicas: 8
                status:
                  currentReplicas: 3
                  desiredReplicas: 3
                  conditions:
                  - type: AbleToScale
                    status: "True"
                    reason: ReadyForNewScale
                    message: recommended size matches current size
                    lastTransitionTime: "2026-01-01T10:00:00Z"
                  - type: ScalingActive
                    status: "True"
                    reason: ValidMetricFound
                    message: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
                    lastTransitionTime: "2026-01-01T10:00:00Z"
                """),
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: batch, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: batch}
                  maxReplicas: 4
                status:
                  currentReplicas: 0
                  desiredReplicas: 0
                  conditions:
                  - type: ScalingActive
                    status: "False"
                    reason: ScalingDisabled
                    message: scaling is disabled since the replica count of the target is zero
                    lastTransitionTime: "2026-01-01T10:00:00Z"
                """),
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
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                status:
                  currentReplicas: 2
                  desiredReplicas: 2
                  conditions:
                  - type: AbleToScale
                    status: "True"
                    reason: SucceededGetScale
                    message: the HPA controller was able to get the target's current scale
                    lastTransitionTime: "2026-01-01T09:00:00Z"
                  - ↓type: ScalingActive
                    status: "False"
                    reason: FailedGetResourceMetric
                    message: "the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container istio-proxy of Pod vllm-7d9c-abcde"
                    lastTransitionTime: "2026-01-01T09:00:00Z"
                """),
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tgi}
                  minReplicas: 1
                  maxReplicas: 6
                  metrics:
                  - type: Pods
                    pods:
                      metric: {name: tgi_queue_size}
                      target: {type: AverageValue, averageValue: "4"}
                status:
                  currentReplicas: 1
                  desiredReplicas: 1
                  conditions:
                  - ↓type: ScalingActive
                    status: "False"
                    reason: FailedGetPodsMetric
                    message: "the HPA was unable to compute the replica count: unable to get metric tgi_queue_size: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered"
                    lastTransitionTime: "2026-01-01T11:30:00Z"
                """),
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        guard let condition = state.condition("ScalingActive"), condition.isFalse, condition.reason != "ScalingDisabled"
        else { return [] }
        var message =
            "ScalingActive is False (\(condition.reason))\(state.duration(of: condition)), so the HPA does not scale"
        if !condition.message.isEmpty { message += ": \(condition.message)" }
        message += "; likely cause: " + Self.likelyCause(reason: condition.reason, message: condition.message)
        return [Violation(message, atWritten: condition.pointer)]
    }

    /// The likely cause, from the reason and the text the controller and the metrics client put in the message.
    static func likelyCause(reason: String, message: String) -> String {
        let text = message.lowercased()
        if text.contains("missing request for") {
            return "a container of the target (a sidecar counts) has no request for the resource, and utilization "
                + "is a share of the requests"
        }
        if text.contains("no custom metrics api")
            || text.contains("custom.metrics.k8s.io") && text.contains("registered")
        {
            return "no custom metrics adapter (prometheus-adapter, KEDA) serves custom.metrics.k8s.io"
        }
        if text.contains("no external metrics api")
            || text.contains("external.metrics.k8s.io") && text.contains("registered")
        {
            return "no external metrics adapter serves external.metrics.k8s.io"
        }
        if text.contains("metrics.k8s.io") || text.contains("could not find the requested resource")
            || text.contains("unable to fetch metrics from resource metrics api")
        {
            return "the resource metrics API (metrics-server) is not installed or not serving"
        }
        if text.contains("no metrics returned") || text.contains("did not receive metrics") {
            return reason == "FailedGetResourceMetric" || reason == "FailedGetContainerResourceMetric"
                ? "metrics-server has no samples for the target's pods (pods not Running, or just started)"
                : "the adapter's query returns nothing for these pods: check the metric name, its labels and the "
                    + "adapter's rules"
        }
        switch reason {
        case "InvalidSelector": return "the target's scale subresource has no usable label selector"
        case "AmbiguousSelector": return "the target's pods are also selected by another HPA"
        case "InvalidMetricSourceType": return "a metric type this controller does not know"
        case "FailedGetPodsMetric", "FailedGetObjectMetric":
            return "the custom metrics adapter cannot answer for this metric"
        case "FailedGetExternalMetric": return "the external metrics adapter cannot answer for this metric"
        default: return "the metrics pipeline for this metric (see the message)"
        }
    }
}
