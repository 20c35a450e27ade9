struct ToleranceNeedsGateRule: HPARule {
    /// HPAConfigurableTolerance: alpha (off) in 1.33, beta (on) in 1.35, GA in 1.37.
    static let alpha = KubeVersion(major: 1, minor: 33)
    static let beta = KubeVersion(major: 1, minor: 35)
    static let generallyAvailable = KubeVersion(major: 1, minor: 37)

    static func message(_ path: String, kubeVersion: KubeVersion) -> String {
        if kubeVersion < alpha {
            return """
                \(path) does not exist in Kubernetes \(kubeVersion) (it came in 1.33): strict field validation \
                rejects it as an unknown field, a non-strict apply drops it
                """
        }
        if kubeVersion < beta {
            return """
                \(path) is dropped silently by Kubernetes 1.33 and 1.34 API servers unless the cluster enables the \
                HPAConfigurableTolerance feature gate (alpha, off by default); the controller then uses its global \
                --horizontal-pod-autoscaler-tolerance (default 0.1). The gate is on by default from 1.35
                """
        }
        return """
            \(path) needs the HPAConfigurableTolerance feature gate, on by default in \(kubeVersion) (beta) and GA \
            from 1.37; API servers before 1.35, and clusters that turn the gate off, drop it silently
            """
    }

    static let description = RuleDescription(
        id: "tolerance-needs-gate",
        summary: "behavior tolerance is set, which older API servers drop silently",
        rationale: """
            spec.behavior.scaleUp/scaleDown.tolerance exists since Kubernetes 1.33, behind the \
            HPAConfigurableTolerance feature gate: alpha and off by default in 1.33 and 1.34, beta and on in 1.35 \
            and 1.36, GA in 1.37. Where the gate is off, the API server drops the field without a word, and the \
            controller falls back to the cluster-wide --horizontal-pod-autoscaler-tolerance (10%); a model server \
            tuned to react to a 2% change then does not. The finding is informational; it names what \
            --kube-version (default: the newest stable release) does with the field, and is silent from 1.37.
            """,
        remediation: """
            Check that the cluster's API server keeps tolerance (1.35 or newer with the gate on), or tune scaling \
            with stabilization windows and policies instead.
            """,
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
                  behavior:
                    scaleDown: {tolerance: 0.05}
                """, kubeVersion: "1.37"),
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
                    scaleUp: {↓tolerance: 20m}
                    scaleDown: {↓tolerance: 0.05}
                """, kubeVersion: "1.34"),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/behavior: '{"ScaleDown":{"Tolerance":"50m","Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}]}}'
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """),
            // autoscaling/v2beta2 carries the tolerance in an annotation of its own.
            Example("""
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/scale-up-tolerance: 20m
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """, kubeVersion: "1.25"),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard context.kubeVersion < Self.generallyAvailable, let behavior = hpa.behavior else { return [] }
        return ["scaleUp", "scaleDown"].compactMap { direction in
            let pointer = JSONPointer(tokens: ["spec", "behavior", direction, "tolerance"])
            guard behavior[direction]?["tolerance"].isSet == true else { return nil }
            return hpa.violation(at: pointer) { Self.message($0, kubeVersion: context.kubeVersion) }
        }
    }
}
