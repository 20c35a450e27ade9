struct TargetNotFoundRule: HPARule {
    static let description = RuleDescription(
        id: "target-not-found",
        summary: "The workload named by scaleTargetRef is not among the objects given",
        rationale: """
            An HPA whose target does not exist does nothing: the controller reports FailedGetScale and never \
            scales. The linter looks for the target in every file of the run and the webhook asks the API server. \
            A target missing from the files may still be applied from elsewhere (another repository, a chart, an \
            operator), so this is a warning; when the lookup itself fails the rules that read the target cannot run, \
            and the finding says why.
            """,
        remediation: """
            Lint the HPA together with its target (pass both files, or the whole directory), or fix \
            scaleTargetRef's apiVersion, kind and name to match the workload.
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
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  ↓scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                """),
            // The group is part of the reference: a Deployment is apps/v1, not extensions/v1beta1.
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  ↓scaleTargetRef: {apiVersion: extensions/v1beta1, kind: Deployment, name: web}
                  maxReplicas: 5
                """),
            // Found, but under a group the controller does not look in: said, not reported as simply missing.
            Example("""
                apiVersion: extensions/v1beta1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  ↓scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                """),
        ]
    )

    static func notGiven(_ reference: ScaleTargetReference) -> String {
        "\(reference.kind) \(reference.name) (\(reference.apiVersion)) is not among the objects given; it may be "
            + "applied from elsewhere, but the rules that read the target were not checked"
    }

    static func missing(_ reference: ScaleTargetReference, namespace: String?) -> String {
        "\(reference.kind) \(reference.name) (\(reference.apiVersion)) does not exist in namespace "
            + "\(namespace ?? "default"); the HPA cannot scale it"
    }

    static func unavailable(_ reference: ScaleTargetReference, reason: String) -> String {
        "could not look up \(reference.kind) \(reference.name): \(reason); the rules that read the target were not "
            + "checked"
    }

    static func otherGroup(_ reference: ScaleTargetReference, found: ObjectReference, file: String) -> String {
        var message = "\(reference.kind) \(reference.name) (\(reference.apiVersion)) is not among the objects given; "
            + "\(file) has \(found.kind) \(reference.name) as \(found.apiVersion), another API group, and the controller "
            + "looks the target up by group and kind, so it does not count"
        if let removed = RemovedAPI.entry(apiVersion: found.apiVersion, kind: found.kind) {
            message += " (\(found.apiVersion) has not served \(found.kind)s since Kubernetes \(removed.removedIn))"
        }
        return message
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let reference = hpa.scaleTargetRef
        // A reference without kind or name is invalid; the API-server rules report that.
        guard !reference.kind.isEmpty, !reference.name.isEmpty else { return [] }
        let message: String
        switch context.target {
        case .found, .foundInOtherNamespaces, .ambiguous: return []
        case .foundInOtherGroup(let found, let file): message = Self.otherGroup(reference, found: found, file: file)
        case .notFound(complete: false): message = Self.notGiven(reference)
        case .notFound(complete: true): message = Self.missing(reference, namespace: hpa.namespace)
        case .unavailable(let reason): message = Self.unavailable(reference, reason: reason)
        }
        return [Violation(message, at: "/spec/scaleTargetRef")]
    }
}
