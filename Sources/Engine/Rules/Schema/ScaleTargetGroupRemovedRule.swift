struct ScaleTargetGroupRemovedRule: HPARule {
    static let description = RuleDescription(
        id: "scale-target-group-removed",
        summary: "scaleTargetRef names a kind in an API group that no longer serves it",
        rationale: """
            The HPA controller takes only the group and the kind from scaleTargetRef.apiVersion and asks the \
            RESTMapper for that group-kind (horizontal.go, reconcileAutoscaler), so a retired version of a group \
            that still serves the kind works (apps/v1beta1 Deployment resolves to apps/v1), but a group that no \
            longer serves it at all does not: extensions Deployments and ReplicaSets are not served since \
            Kubernetes 1.16, and the HPA reports FailedGetScale and never scales. The API server accepts the \
            reference, since it does not resolve it. The check uses --kube-version and the same table of removed \
            versions as removed-api-version.
            """,
        remediation: "Point scaleTargetRef at the group that serves the kind now: apiVersion: apps/v1.",
        category: .schema,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1beta1, kind: Deployment, name: web}, maxReplicas: 3}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: extensions/v1beta1, kind: Deployment, name: web}, maxReplicas: 3}
                """, kubeVersion: "1.15"),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {↓apiVersion: extensions/v1beta1, kind: Deployment, name: web}
                  maxReplicas: 3
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: workers}
                spec:
                  scaleTargetRef:
                    ↓apiVersion: extensions/v1beta1
                    kind: ReplicaSet
                    name: workers
                  maxReplicas: 3
                """, kubeVersion: "1.16"),
        ]
    )

    static func message(_ reference: ScaleTargetReference, _ removed: RemovedAPI, kubeVersion: KubeVersion) -> String {
        "the \(reference.group) group has not served \(reference.kind) since Kubernetes \(removed.removedIn) "
            + "(checking for \(kubeVersion)); the HPA controller looks the target up by group and kind, so it gets "
            + "FailedGetScale and never scales; use \(removed.replacement)"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let reference = hpa.scaleTargetRef
        guard !reference.kind.isEmpty, let removed = RemovedAPI.groupRemoved(reference.group, kind: reference.kind),
            context.kubeVersion >= removed.removedIn
        else { return [] }
        let message = Self.message(reference, removed, kubeVersion: context.kubeVersion)
        return [Violation(message, at: "/spec/scaleTargetRef/apiVersion")]
    }
}
