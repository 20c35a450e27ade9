struct TargetReplicasSetRule: HPARule {
    static let description = RuleDescription(
        id: "target-replicas-set",
        summary: "The HPA's target writes spec.replicas, so every apply resets the count the HPA chose",
        rationale: """
            Once an HPA manages a workload, spec.replicas belongs to the HPA. A manifest that still sets it puts \
            the count back on every kubectl apply, Helm upgrade or GitOps sync: pods are removed under load, then \
            added again (thrashing), and GitOps tools report endless drift. The Kubernetes docs recommend removing \
            the field. The finding points at the workload's spec.replicas, the line to delete.
            """,
        remediation: """
            Remove spec.replicas from the workload's manifest. On a live object, do it so the count is kept (the \
            Kubernetes HPA docs describe how): removing it in a plain apply defaults it to 1 for a moment. To keep \
            the field on purpose, add the annotation hpaguard.io/ignore: target-replicas-set to the HPA.
            """,
        category: .crossObject,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m}}}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 5}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: tgi}
                spec:
                  ↓replicas: 1
                  template: {spec: {containers: [{name: tgi, image: ghcr.io/huggingface/text-generation-inference:2.4}]}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: tgi}, minReplicas: 2, maxReplicas: 5}
                """),
        ]
    )

    static func message(replicas: JSONValue, workload: Workload, hpa: HPA) -> String {
        "\(workload.object.reference.kindAndName) sets spec.replicas: \(replicas.serialized()) although "
            + "HorizontalPodAutoscaler \(hpa.name ?? "") manages its count; every apply resets it"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        // At admission the target is the live object, whose spec.replicas the API server always fills: it says
        // nothing about the manifest, so only the linter (which reads the manifest) can tell.
        guard context.vantage == .manifest else { return [] }
        guard let workload = context.workload, let replicas = workload.object.value["spec"]?["replicas"],
            !replicas.isNull
        else { return [] }
        return [Violation(
            Self.message(replicas: replicas, workload: workload, hpa: hpa), in: workload.object, at: "/spec/replicas")]
    }
}
