struct MetricSourceRule: HPARule {
    static let supportedTypes = MetricSourceType.allCases.map(\.rawValue).sorted()

    static func typeRequired(_ path: String) -> String {
        "\(path) is required: must specify a metric source type (one of \(supportedTypes.joined(separator: ", ")))"
    }

    static func typeNotSupported(_ path: String, _ value: String) -> String {
        let close = supportedTypes.first { $0.lowercased() == value.lowercased() }
        let hint = close.map { "; types are case-sensitive: did you mean \($0)?" } ?? ""
        let list = supportedTypes.map { "\"\($0)\"" }.joined(separator: ", ")
        return "\(path) \"\(value)\" is not supported: supported values: \(list)\(hint)"
    }

    static func blockRequired(_ path: String, type: String) -> String {
        "\(path) is required: must populate information for the given metric source (type is \(type))"
    }

    static func blockForbidden(_ path: String, type: String) -> String {
        "\(path) is forbidden: must populate the given metric source only (type is \(type.isEmpty ? "empty" : type))"
    }

    static let description = RuleDescription(
        id: "metric-source",
        summary: "A metric's type is missing or unknown, or its source blocks do not match the type",
        rationale: """
            Each entry of spec.metrics names one source: type is Resource, ContainerResource, Pods, Object or \
            External (case-sensitive), and exactly the matching block (resource, containerResource, pods, object, \
            external) must be set. The API server rejects an empty or unknown type (NotSupported), a missing block \
            for the type (Required) and every extra block (Forbidden). Copying a metric and changing only its type \
            leaves exactly this kind of mismatch.
            """,
        remediation: "Set type to the source you mean and keep only the block that matches it.",
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
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                    pods: null
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
                  - ↓type: resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                  - type: Pods
                    ↓resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                    pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: "5"}}
                  - ↓type: External
                    pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: "5"}}
                  - ↓resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Pods","external":{"metricName":"queue","targetAverageValue":"5"}}]'
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.metrics.flatMap { check($0, in: hpa) }
    }

    private func check(_ metric: HPA.Metric, in hpa: HPA) -> [Violation] {
        // A metric that is not a mapping, or a type that is not a string, fails decoding (invalid-type).
        guard case .object = metric.value, let type = metric.value["type"].decodedString else { return [] }
        var violations: [Violation] = []
        let expected = metric.sourceType
        if type.isEmpty {
            violations.append(hpa.violation(at: metric.pointer / "type", Self.typeRequired))
        } else if expected == nil {
            violations.append(hpa.violation(at: metric.pointer / "type") { Self.typeNotSupported($0, type) })
        }
        let populated = metric.populatedSources
        if let expected, !populated.contains(expected) {
            let pointer = metric.pointer / expected.blockKey
            violations.append(hpa.violation(at: pointer) { Self.blockRequired($0, type: type) })
        }
        // With a single block the type mismatch is reported as Required only, as the API server does.
        if populated.count > 1 {
            for source in populated where source != expected {
                let pointer = metric.pointer / source.blockKey
                violations.append(hpa.violation(at: pointer) { Self.blockForbidden($0, type: type) })
            }
        }
        return violations
    }
}
