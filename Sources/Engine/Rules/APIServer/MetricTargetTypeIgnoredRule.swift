struct MetricTargetTypeIgnoredRule: HPARule {
    static let description = RuleDescription(
        id: "metric-target-type-ignored",
        summary: "A Pods or External metric's target.type says one thing and the HPA controller does another",
        rationale: """
            The API server does not cross-check target.type against the value fields (pkg/apis/autoscaling/\
            validation: a Pods metric needs averageValue, whatever its type), and the controller does not read the \
            type of these sources (horizontal.go): for a Pods metric it always compares the pods' average with \
            averageValue, and for an External metric it takes a per-pod average when averageValue is set and the \
            total otherwise. A Pods metric with type Value or Utilization therefore works as AverageValue, and an \
            External metric whose type names the other field works as that field says. The HPA behaves as the \
            fields say, and the type misleads whoever reads or edits the manifest.
            """,
        remediation: "Write the type the controller uses: AverageValue with averageValue, Value with value.",
        category: .apiServer,
        defaultSeverity: .info,
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
                      pods: {metric: {name: vllm:num_requests_waiting}, target: {type: AverageValue, averageValue: "5"}}
                    - type: External
                      external: {metric: {name: queue_depth}, target: {type: Value, value: "30"}}
                    - type: Object
                      object:
                        describedObject: {apiVersion: v1, kind: Service, name: vllm}
                        metric: {name: requests_waiting}
                        target: {type: Value, value: "10", averageValue: 500m}
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
                      pods: {metric: {name: vllm:num_requests_waiting}, target: {↓type: Value, averageValue: "5"}}
                    - type: External
                      external: {metric: {name: queue_depth}, target: {↓type: Value, averageValue: "30"}}
                    - type: External
                      external: {metric: {name: queue_depth}, target: {↓type: AverageValue, value: "30"}}
                """),
        ]
    )

    static func podsMessage(_ path: String, _ type: String) -> String {
        "\(path) is \(type), but the HPA controller compares a Pods metric's average with averageValue whatever the "
            + "type says; write type: AverageValue"
    }

    static func externalMessage(_ path: String, _ type: String, readsAverage: Bool) -> String {
        readsAverage
            ? "\(path) is \(type), but averageValue is set, so the HPA controller divides the metric by the number of "
                + "pods and compares that per-pod average with it; write type: AverageValue"
            : "\(path) is \(type), but only value is set, so the HPA controller compares the metric's total with it, "
                + "not a per-pod average; write type: Value"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.metrics.compactMap { metric -> Violation? in
            guard let sourceKey = metric.sourceKey, let target = metric.target,
                let type = target["type"]?.stringValue, MetricTargetRule.targetTypes.contains(type)
            else { return nil }
            func pointer() -> JSONPointer { metric.pointer / sourceKey / "target" / "type" }
            let hasAverage = target["averageValue"].isSet
            let hasValue = target["value"].isSet
            switch metric.sourceType {
            case .pods where type != "AverageValue" && hasAverage:
                return hpa.violation(at: pointer()) { Self.podsMessage($0, type) }
            // With both set the API server rejects the metric (metric-target).
            case .external where hasAverage != hasValue:
                let expected = hasAverage ? "AverageValue" : "Value"
                guard type != expected else { return nil }
                return hpa.violation(at: pointer()) { Self.externalMessage($0, type, readsAverage: hasAverage) }
            default:
                return nil
            }
        }
    }
}
