struct PDBBlocksDrainRule: HPARule {
    static let description = RuleDescription(
        id: "pdb-blocks-drain-at-min-replicas",
        summary: "A PodDisruptionBudget's minAvailable is at or above the HPA's minReplicas",
        rationale: """
            When the HPA sits at minReplicas (nights, weekends), a PodDisruptionBudget whose minAvailable is at \
            least minReplicas allows no eviction at all: node drains, upgrades and the cluster autoscaler's \
            scale-down wait on it forever. Above minReplicas the budget can never even be met at the floor. A \
            percentage is resolved against minReplicas and rounded up, as the disruption controller does for the \
            expected pod count. The PDB is the one whose selector matches the target's pod labels in the HPA's \
            namespace; the finding points at its minAvailable.
            """,
        remediation: """
            Use maxUnavailable: 1 in the PodDisruptionBudget, lower minAvailable below minReplicas, or raise \
            minReplicas above it.
            """,
        category: .crossObject,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tgi}
                spec: {template: {metadata: {labels: {app: tgi}}, spec: {containers: [{name: tgi, image: ghcr.io/huggingface/text-generation-inference:2.4, resources: {requests: {cpu: "2"}}}]}}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: tgi}
                spec: {minAvailable: 50%, selector: {matchLabels: {app: tgi}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tgi}, minReplicas: 3, maxReplicas: 8}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tgi}
                spec: {template: {metadata: {labels: {app: tgi, tier: gpu}}, spec: {containers: [{name: tgi, image: ghcr.io/huggingface/text-generation-inference:2.4}]}}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: tgi}
                spec:
                  ↓minAvailable: 2
                  selector:
                    matchLabels: {app: tgi}
                    matchExpressions: [{key: tier, operator: In, values: [gpu]}]
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tgi}, minReplicas: 2, maxReplicas: 8}
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tgi}
                spec: {template: {metadata: {labels: {app: tgi}}, spec: {containers: [{name: tgi, image: ghcr.io/huggingface/text-generation-inference:2.4}]}}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: tgi}
                spec: {↓minAvailable: 80%, selector: {matchLabels: {app: tgi}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tgi}, minReplicas: 3, maxReplicas: 8}
                """),
        ]
    )

    static func message(
        pdb: ManifestObject, written: JSONValue, resolved: Int64, hpa: HPA, minReplicas: Int64
    ) -> String {
        let amount = written.stringValue.map { " (minAvailable \($0) of \(minReplicas))" } ?? ""
        let pods = resolved == 1 ? "pod" : "pods"
        let effect = resolved > minReplicas ? "can never be met" : "allows no eviction"
        return "\(pdb.reference.kindAndName) requires \(resolved) available \(pods)\(amount); at "
            + "HorizontalPodAutoscaler \(hpa.name ?? "")'s minReplicas \(minReplicas) it \(effect), so node drains block"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let workload = context.workload, let minReplicas = hpa.minReplicas, minReplicas > 0 else { return [] }
        let podLabels = workload.podTemplates.map(\.labels)
        guard !podLabels.isEmpty else { return [] }
        return context.resolver.disruptionBudgets(namespace: hpa.namespace).compactMap { pdb in
            guard let spec = pdb.value["spec"], let written = spec["minAvailable"], Self.selects(pdb, podLabels),
                let resolved = Self.resolve(written, of: minReplicas), resolved >= minReplicas
            else { return nil }
            return Violation(
                Self.message(pdb: pdb, written: written, resolved: resolved, hpa: hpa, minReplicas: minReplicas),
                in: pdb, at: "/spec/minAvailable")
        }
    }

    /// policy/v1: an empty selector selects every pod of the namespace; a missing one (and an empty one in
    /// policy/v1beta1) selects none.
    static func selects(_ pdb: ManifestObject, _ podLabels: [[String: String]]) -> Bool {
        guard let value = pdb.value["spec"]?["selector"], !value.isNull else { return false }
        let selector = LabelSelector(value: value)
        if selector.isEmpty, APIVersion(pdb.apiVersion).version == "v1beta1" { return false }
        return podLabels.contains { selector.matches($0) }
    }

    /// An int-or-percent of `total`, percentages rounded up (intstr.GetScaledValueFromIntOrPercent, roundUp: true).
    static func resolve(_ value: JSONValue, of total: Int64) -> Int64? {
        if let count = value.integerValue { return count }
        guard let text = value.stringValue, text.hasSuffix("%"), let percent = Int64(text.dropLast()) else {
            return nil
        }
        return (percent * total + 99) / 100
    }
}
