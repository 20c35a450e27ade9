struct MetricIdentifierRule: HPARule {
    static func metricNameRequired(_ path: String) -> String { "\(path) is required: must specify a metric name" }

    static func resourceNameRequired(_ path: String) -> String { "\(path) is required: must specify a resource name" }

    static let description = RuleDescription(
        id: "metric-identifier",
        summary: "A metric or resource name is missing or invalid, or an Object metric's describedObject is",
        rationale: """
            The API server requires a name for every Pods, Object and External metric and checks it as a REST path \
            segment: not '.' or '..', no '/' or '%'. Colons, uppercase and '|' are fine, so Prometheus names such \
            as vllm:num_requests_waiting pass. A Resource metric needs a resource name (any string: nvidia.com/gpu \
            passes here, though the HPA can only use resources the metrics API reports). An Object metric's \
            describedObject needs a kind and a name with the same segment rules, and an apiVersion with at most one \
            '/'; unlike scaleTargetRef it may name the core group (v1, or none). Only the first source block of a \
            metric is checked, as the API server does.
            """,
        remediation: """
            Name the metric as the metrics adapter exposes it, without '/' or '%' (adapters that use '/' usually \
            accept a rewritten name); give describedObject its kind, name and apiVersion.
            """,
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                  - type: Pods
                    pods: {metric: {name: "vllm:num_requests_waiting"}, target: {type: AverageValue, averageValue: "5"}}
                  - type: External
                    external:
                      metric: {name: "pubsub.googleapis.com|subscription|num_undelivered_messages"}
                      target: {type: AverageValue, averageValue: "100"}
                  - type: Object
                    object:
                      describedObject: {kind: Service, name: vllm}
                      metric: {name: requests_per_second}
                      target: {type: Value, value: "50"}
                  - type: Resource
                    resource: {name: nvidia.com/gpu, target: {type: AverageValue, averageValue: "1"}}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                  - type: Pods
                    pods: {metric: {↓name: requests/s}, target: {type: AverageValue, averageValue: "5"}}
                  - type: External
                    external:
                      ↓metric: {selector: {matchLabels: {queue: llm}}}
                      target: {type: AverageValue, averageValue: "100"}
                  - type: Object
                    object:
                      describedObject: {↓apiVersion: networking.k8s.io/v1/Ingress, kind: Ingress, ↓name: "%2e"}
                      metric: {name: requests_per_second}
                      target: {type: Value, value: "50"}
                  - type: Resource
                    resource: {↓name: "", target: {type: Utilization, averageUtilization: 70}}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Pods","pods":{"targetAverageValue":"5"}}]'
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.metrics.compactMap(\.validatedSource).flatMap { check($0, in: hpa) }
    }

    private func check(_ source: ValidatedMetricSource, in hpa: HPA) -> [Violation] {
        switch source.type {
        case .resource:
            guard source.value["name"].decodedString == "" else { return [] }
            return [hpa.violation(at: source.pointer / "name", Self.resourceNameRequired)]
        case .containerResource:
            return []  // container-resource-name checks its name and container.
        case .object:
            let described = ObjectReferenceValidation.violations(
                of: source.value["describedObject"], at: source.pointer / "describedObject", in: hpa,
                allowEmptyGroup: true)
            return described + [metricName(of: source, in: hpa)].compactMap { $0 }
        case .pods, .external:
            return [metricName(of: source, in: hpa)].compactMap { $0 }
        }
    }

    private func metricName(of source: ValidatedMetricSource, in hpa: HPA) -> Violation? {
        ObjectReferenceValidation.pathSegmentViolation(
            source.value["metric"]?["name"], at: source.pointer / "metric" / "name", in: hpa,
            required: Self.metricNameRequired)
    }
}
