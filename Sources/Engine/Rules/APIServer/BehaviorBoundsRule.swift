struct BehaviorBoundsRule: HPARule {
    /// `MaxStabilizationWindowSeconds` and `MaxPeriodSeconds` (pkg/apis/autoscaling/validation).
    static let maxStabilizationWindowSeconds: Int64 = 3600
    static let maxPeriodSeconds: Int64 = 1800
    static let selectPolicies = ["Max", "Min", "Disabled"]
    static let policyTypes = ["Pods", "Percent"]
    /// HPAConfigurableTolerance is on by default from 1.35; before that the API server drops tolerance unchecked
    /// (tolerance-needs-gate says so).
    static let toleranceValidatedFrom = KubeVersion(major: 1, minor: 35)

    static func windowNegative(_ path: String, _ value: Int64) -> String {
        "\(path) \(value) is invalid: must be greater than or equal to zero"
    }

    static func windowTooLong(_ path: String, _ value: Int64) -> String {
        "\(path) \(value) is invalid: must be less than or equal to \(maxStabilizationWindowSeconds) (one hour)"
    }

    static func notSupported(_ path: String, _ value: String, _ supported: [String]) -> String {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return "\(path) \"\(value)\" is not supported: supported values: \(list) (case-sensitive)"
    }

    static func policiesRequired(_ path: String) -> String {
        "\(path) is required: must specify at least one Policy (leave policies out to get the defaults; [] stays empty)"
    }

    static func notPositive(_ path: String, _ value: Int64) -> String {
        "\(path) \(value) is invalid: must be greater than zero"
    }

    static func periodTooLong(_ path: String, _ value: Int64) -> String {
        "\(path) \(value) is invalid: must be less than or equal to \(maxPeriodSeconds) (30 minutes)"
    }

    static func toleranceNegative(_ path: String, _ value: Quantity) -> String {
        "\(path) \(value) is invalid: must be greater than or equal to 0"
    }

    static let description = RuleDescription(
        id: "behavior-bounds",
        summary: "A scaling behavior field is out of the API server's bounds",
        rationale: """
            The API server validates spec.behavior after defaulting it: stabilizationWindowSeconds must be 0 to \
            3600; selectPolicy Max, Min or Disabled; each policy of type Pods or Percent with a value above 0 (no \
            upper bound: Percent 900 is legal) and periodSeconds 1 to 1800; tolerance at least 0. A policies list \
            written as [] stays empty and is rejected ("must specify at least one Policy"); an omitted list gets \
            the defaults. A behavior in autoscaling/v1's autoscaling.alpha.kubernetes.io/behavior annotation is not \
            defaulted at all, so there every direction needs its policies. tolerance is checked from Kubernetes \
            1.35, where the HPAConfigurableTolerance gate is on by default; older API servers drop it.
            """,
        remediation: """
            Keep windows within an hour and policy periods within 30 minutes, spell selectPolicy and policy types \
            exactly, and give every policy a positive value; leave policies out rather than writing [].
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
                  behavior:
                    scaleUp: {selectPolicy: Disabled}
                    scaleDown:
                      stabilizationWindowSeconds: 3600
                      tolerance: 100m
                      policies: [{type: Percent, value: 900, periodSeconds: 1800}]
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  behavior:
                    scaleDown: {tolerance: -1}
                """, kubeVersion: "1.34"),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  behavior:
                    scaleUp:
                      ↓stabilizationWindowSeconds: 7200
                      ↓selectPolicy: max
                      policies:
                      - {↓type: pods, ↓value: 0, periodSeconds: 15}
                      - {type: Percent, value: 100, ↓periodSeconds: 3600}
                      - ↓{type: Pods}
                    scaleDown:
                      ↓policies: []
                      ↓tolerance: -0.1
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/behavior: '{"ScaleUp":{"SelectPolicy":"Max"}}'
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let behavior = hpa.behavior else { return [] }
        var violations: [Violation] = []
        for direction in ["scaleUp", "scaleDown"] {
            guard case .object(let rules)? = behavior[direction] else { continue }
            // Pointers are made only for what is reported.
            func base() -> JSONPointer { JSONPointer(tokens: ["spec", "behavior", direction]) }
            func report(_ pointer: JSONPointer, _ message: (String) -> String) {
                violations.append(hpa.violation(at: pointer, message))
            }

            if let window = rules["stabilizationWindowSeconds"]?.integerValue {
                if window < 0 { report(base() / "stabilizationWindowSeconds") { Self.windowNegative($0, window) } }
                if window > Self.maxStabilizationWindowSeconds {
                    report(base() / "stabilizationWindowSeconds") { Self.windowTooLong($0, window) }
                }
            }
            if let policy = rules["selectPolicy"]?.stringValue, !Self.selectPolicies.contains(policy) {
                report(base() / "selectPolicy") { Self.notSupported($0, policy, Self.selectPolicies) }
            }
            // Absent or null here means not defaulted (v1's annotation): Go sees an empty list. A list that is not
            // a list fails decoding instead (invalid-type).
            let policiesField = rules["policies"]
            let policies = policiesField?.arrayValue ?? []
            if policies.isEmpty, policiesField?.arrayValue != nil || !policiesField.isSet {
                report(base() / "policies", Self.policiesRequired)
            }
            for (index, policy) in policies.enumerated() {
                guard case .object = policy else { continue }
                func pointer() -> JSONPointer { base() / "policies" / index }
                if let type = policy["type"].decodedString, !Self.policyTypes.contains(type) {
                    report(pointer() / "type") { Self.notSupported($0, type, Self.policyTypes) }
                }
                if let value = policy.decodedInteger("value"), value <= 0 {
                    report(pointer() / "value") { Self.notPositive($0, value) }
                }
                if let period = policy.decodedInteger("periodSeconds") {
                    if period <= 0 { report(pointer() / "periodSeconds") { Self.notPositive($0, period) } }
                    if period > Self.maxPeriodSeconds {
                        report(pointer() / "periodSeconds") { Self.periodTooLong($0, period) }
                    }
                }
            }
            if context.kubeVersion >= Self.toleranceValidatedFrom, let field = rules["tolerance"],
                let tolerance = Quantity(field), tolerance.value < 0
            {
                report(base() / "tolerance") { Self.toleranceNegative($0, tolerance) }
            }
        }
        return violations
    }
}
