struct MetricTargetRule: HPARule {
    static let targetTypes = ["Utilization", "Value", "AverageValue"]

    static func typeRequired(_ path: String) -> String {
        "\(path) is required: must specify a metric target type (Utilization, Value or AverageValue)"
    }

    static func typeInvalid(_ path: String, _ value: String) -> String {
        "\(path) \"\(value)\" is invalid: must be either Utilization, Value, or AverageValue"
    }

    static func notPositive(_ path: String, _ value: Quantity) -> String {
        "\(path) \(value) is invalid: must be positive"
    }

    static func utilizationTooLow(_ path: String, _ value: Int64) -> String {
        "\(path) \(value) is invalid: must be greater than 0 (a percentage of the pods' requests)"
    }

    /// What each source needs beyond a valid MetricTarget, in the API server's words.
    static func required(_ path: String, _ source: MetricSourceType) -> String {
        switch source {
        case .resource, .containerResource:
            return """
                \(path) is required: must set either a target raw value or a target utilization (averageValue or \
                averageUtilization; value does not count)
                """
        case .pods:
            return "\(path) is required: must specify a positive target averageValue (Pods metrics are averages)"
        case .object:
            return "\(path) is required: must set either a target value or averageValue"
        case .external:
            return """
                \(path) is required: must set either a target value for metric or a per-pod target (value or \
                averageValue)
                """
        }
    }

    static func bothForbidden(_ path: String, _ source: MetricSourceType) -> String {
        switch source {
        case .external: return "\(path) is forbidden: may not set both a target value for metric and a per-pod target"
        default: return "\(path) is forbidden: may not set both a target raw value and a target utilization"
        }
    }

    static let description = RuleDescription(
        id: "metric-target",
        summary: "A metric target has no valid type, a value that is not positive, or the wrong fields for its source",
        rationale: """
            The API server validates each metric's target: type must be Utilization, Value or AverageValue; value \
            and averageValue must be positive; averageUtilization at least 1 (no upper bound: it is a percentage \
            of the request, so 300 is legal). Each source needs its own fields: Resource and ContainerResource \
            exactly one of averageUtilization and averageValue, Pods an averageValue, Object a value or an \
            averageValue (both is accepted), External exactly one of value and averageValue. type is not \
            cross-checked against the fields. For autoscaling/v1, targetCPUUtilizationPercentage becomes a \
            Resource cpu metric, so 0 fails here.
            """,
        remediation: """
            Give each metric the target its source needs, for example resource: {name: cpu, target: {type: \
            Utilization, averageUtilization: 70}} or pods: {..., target: {type: AverageValue, averageValue: "5"}}, \
            with positive values.
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
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 300}}
                  - type: Object
                    object:
                      describedObject: {apiVersion: v1, kind: Service, name: vllm}
                      metric: {name: requests_waiting}
                      target: {type: Value, value: "10", averageValue: 500m}
                  - type: Pods
                    pods: {metric: {name: queue}, target: {type: Utilization, averageValue: "5"}}
                  - type: External
                    external: {metric: {name: queue}, target: {type: AverageValue, averageValue: 0.5}}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  targetCPUUtilizationPercentage: 1
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
                  - type: Resource
                    resource:
                      name: cpu
                      target: {type: Utilization, averageUtilization: 70, ↓averageValue: 500m}
                  - type: Pods
                    pods:
                      metric: {name: queue}
                      ↓target: {type: Value, value: "5"}
                  - type: External
                    external:
                      metric: {name: queue}
                      target: {↓type: Average, ↓value: "0", averageValue: "2"}
                  - type: Resource
                    ↓resource: {name: memory}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  ↓targetCPUUtilizationPercentage: 0
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.metrics.compactMap(\.validatedSource).flatMap { check($0, in: hpa) }
    }

    private func check(_ source: ValidatedMetricSource, in hpa: HPA) -> [Violation] {
        guard case .object = source.target else { return [] }
        let target = source.target
        var violations: [Violation] = []
        func report(_ key: String, _ message: (String) -> String) {
            violations.append(hpa.violation(at: source.targetPointer / key, message))
        }

        if let type = target["type"].decodedString {
            if type.isEmpty {
                report("type", Self.typeRequired)
            } else if !Self.targetTypes.contains(type) {
                report("type") { Self.typeInvalid($0, type) }
            }
        }
        for key in ["value", "averageValue"] {
            if let field = target[key], let quantity = Quantity(field), quantity.value <= 0 {
                report(key) { Self.notPositive($0, quantity) }
            }
        }
        if let utilization = target["averageUtilization"]?.integerValue, utilization < 1 {
            report("averageUtilization") { Self.utilizationTooLow($0, utilization) }
        }

        let hasValue = target["value"].isSet
        let hasAverageValue = target["averageValue"].isSet
        let hasUtilization = target["averageUtilization"].isSet
        switch source.type {
        case .resource, .containerResource:
            if !hasUtilization, !hasAverageValue { report("averageUtilization") { Self.required($0, source.type) } }
            if hasUtilization, hasAverageValue { report("averageValue") { Self.bothForbidden($0, source.type) } }
        case .pods:
            if !hasAverageValue { report("averageValue") { Self.required($0, source.type) } }
        case .object:
            if !hasValue, !hasAverageValue { report("averageValue") { Self.required($0, source.type) } }
        case .external:
            if !hasValue, !hasAverageValue { report("averageValue") { Self.required($0, source.type) } }
            if hasValue, hasAverageValue { report("value") { Self.bothForbidden($0, source.type) } }
        }
        return violations
    }
}
