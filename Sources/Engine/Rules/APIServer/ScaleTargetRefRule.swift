struct ScaleTargetRefRule: HPARule {
    static let description = RuleDescription(
        id: "scale-target-ref",
        summary: "scaleTargetRef lacks a kind or name, or has a name, kind or apiVersion the API server rejects",
        rationale: """
            The API server requires scaleTargetRef.kind and .name and checks them only as REST path segments: not \
            '.' or '..', no '/' or '%' (so LLM_Server.v2 is fine; it is not a DNS-name check). Since Kubernetes \
            1.34 (PR #132537) it also parses apiVersion: more than one '/' is invalid, and an apiVersion without a \
            group ("v1", or none at all) is rejected unless the kind is ReplicationController. Older API servers \
            accepted those, and the HPA then failed at run time because it could not find the target's scale \
            subresource.
            """,
        remediation: """
            Name the workload exactly: apiVersion with its group (apps/v1 for a Deployment or StatefulSet), kind, \
            and the object's name.
            """,
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: llm-server}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: LLM_Server.v2}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: legacy}
                spec: {scaleTargetRef: {apiVersion: v1, kind: ReplicationController, name: legacy}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: ray}
                spec: {scaleTargetRef: {apiVersion: ray.io/v1, kind: RayCluster, name: "llama:8b"}, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef:
                    ↓apiVersion: v1
                    kind: Deployment
                    ↓name: models/vllm
                  maxReplicas: 4
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  ↓scaleTargetRef: {name: vllm}
                  maxReplicas: 4
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {↓apiVersion: apps/v1/extra, ↓kind: "..", name: vllm}
                  maxReplicas: 4
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        ObjectReferenceValidation.violations(
            of: hpa.spec["scaleTargetRef"], at: "/spec/scaleTargetRef", in: hpa, allowEmptyGroup: false)
    }
}
