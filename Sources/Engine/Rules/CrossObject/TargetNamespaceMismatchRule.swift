struct TargetNamespaceMismatchRule: HPARule {
    static let description = RuleDescription(
        id: "target-namespace-mismatch",
        summary: "The target workload exists, but only in another namespace than the HPA's",
        rationale: """
            scaleTargetRef has no namespace: an HPA always scales a workload in its own namespace. The API server \
            does not check this, so an HPA in the wrong namespace is accepted and then never scales (FailedGetScale).
            """,
        remediation: "Put the HPA in the namespace of its target (metadata.namespace), or move the target.",
        category: .crossObject,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm, namespace: ml}
                spec: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai, resources: {requests: {cpu: "4"}}}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 5}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm, namespace: ml}
                spec: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  ↓namespace: default
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 5}
                """),
        ]
    )

    static func message(_ reference: ScaleTargetReference, hpaNamespace: String?, found: [String]) -> String {
        let places = found.count == 1 ? "namespace \(found[0])" : "namespaces \(found.joined(separator: ", "))"
        return "\(reference.kind) \(reference.name) exists only in \(places), not in the HPA's namespace "
            + "\(hpaNamespace ?? "default"); an HPA can only scale a workload in its own namespace"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard case .foundInOtherNamespaces(let namespaces) = context.target else { return [] }
        return [Violation(
            Self.message(hpa.scaleTargetRef, hpaNamespace: hpa.namespace, found: namespaces),
            atWritten: "/metadata/namespace")]
    }
}
