struct DuplicateScalersRule: HPARule {
    static let description = RuleDescription(
        id: "duplicate-scalers",
        summary: "Another HPA or a KEDA ScaledObject scales the same workload",
        rationale: """
            When two HPAs select the same pods the controller sets ScalingActive=False with reason \
            AmbiguousSelector and stops scaling either of them; the API server accepts both. A KEDA ScaledObject \
            creates its own HPA (keda-hpa-<name>), so a ScaledObject next to a hand-written HPA on one workload \
            is the same conflict. The finding names every other scaler of the workload and its file.
            """,
        remediation: """
            Keep one autoscaler per workload: delete the extra HPA, or move its metrics into the ScaledObject.
            """,
        category: .crossObject,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, maxReplicas: 5}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: worker}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}, maxReplicas: 5}
                """),
            // KEDA's own HPA, as read back from a cluster, beside its ScaledObject.
            Example("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: vllm}
                spec: {scaleTargetRef: {name: vllm}, triggers: [{type: prometheus, metadata: {query: "sum(vllm:num_requests_waiting)", threshold: "5"}}]}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: keda-hpa-vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, maxReplicas: 5}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  ↓scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 5
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: vllm-queue}
                spec: {scaleTargetRef: {name: vllm}, triggers: [{type: prometheus, metadata: {query: "sum(vllm:num_requests_waiting)", threshold: "5"}}]}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web-cpu}
                spec:
                  ↓scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web-memory}
                spec:
                  ↓scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                """),
        ]
    )

    static func message(_ reference: ScaleTargetReference, others: [ScalerReference]) -> String {
        let names = others.map { "\($0.object.kindAndName) (\($0.file))" }.joined(separator: ", ")
        return "\(reference.kind) \(reference.name) is also scaled by \(names); the HPA controller reports "
            + "AmbiguousSelector and stops scaling"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let reference = hpa.scaleTargetRef
        guard !reference.name.isEmpty else { return [] }
        let others = context.resolver.scalers(of: reference, namespace: hpa.namespace).filter { scaler in
            !Self.isSame(scaler.object, as: hpa) && !Self.isKEDAPair(scaler.object, hpa)
        }
        guard !others.isEmpty else { return [] }
        return [Violation(Self.message(reference, others: others), at: "/spec/scaleTargetRef")]
    }

    /// The HPA itself, possibly written in several files (a base and an overlay): the same object in the cluster.
    static func isSame(_ scaler: ObjectReference, as hpa: HPA) -> Bool {
        scaler.kind == hpa.object.kind && scaler.name == hpa.name
            && (scaler.namespace ?? "default") == (hpa.namespace ?? "default")
    }

    /// A ScaledObject and the HPA KEDA generates for it (`keda-hpa-<name>`) are one scaler.
    static func isKEDAPair(_ scaler: ObjectReference, _ hpa: HPA) -> Bool {
        scaler.kind == "ScaledObject" && hpa.name == "keda-hpa-\(scaler.name ?? "")"
    }
}
