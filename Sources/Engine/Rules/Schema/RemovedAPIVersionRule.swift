struct RemovedAPIVersionRule: HPARule, ObjectRule {
    static let description = RuleDescription(
        id: "removed-api-version",
        summary: "The HPA uses an autoscaling version the cluster no longer serves",
        rationale: """
            autoscaling/v2beta1 is not served since Kubernetes 1.25 and autoscaling/v2beta2 since 1.26; applying \
            them fails with "no matches for kind". Charts broke on exactly this during upgrades. The check uses \
            --kube-version (default: the newest stable release). The first HPA API, extensions/v1beta1 (scaleRef, \
            cpuUtilization), has not been served since Kubernetes 1.6; old tutorials still show it.
            """,
        remediation: "Rewrite the HPA as autoscaling/v2 (the message of unknown-field names each renamed field).",
        category: .schema,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
                """),
            Example("""
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
                """, kubeVersion: "1.24"),
        ],
        invalidExamples: [
            Example("""
                ↓apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
                """),
            Example("""
                ↓apiVersion: extensions/v1beta1
                kind: HorizontalPodAutoscaler
                metadata: {name: php-apache}
                spec:
                  scaleRef: {kind: ReplicationController, name: php-apache, subresource: scale}
                  maxReplicas: 10
                  cpuUtilization: {targetPercentage: 50}
                """),
        ]
    )

    /// HPAs of a group other than autoscaling are not converted as HPAs (their fields differ), so they are caught here.
    func check(object: ManifestObject) -> [Violation] {
        guard object.kind == "HorizontalPodAutoscaler", object.group != "autoscaling",
            let removed = RemovedAPI.entry(apiVersion: object.apiVersion, kind: object.kind)
        else { return [] }
        return [Violation(
            "\(object.apiVersion) HorizontalPodAutoscaler has not been served since Kubernetes \(removed.removedIn); "
                + "rewrite it as \(removed.replacement) (scaleRef becomes scaleTargetRef, cpuUtilization a cpu Resource metric)",
            atWritten: "/apiVersion")]
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        // When each beta version stopped being served: the shared table (zz_generated.prerelease-lifecycle.go).
        let entry = RemovedAPI.entry(apiVersion: "autoscaling/\(hpa.version)", kind: "HorizontalPodAutoscaler")
        guard let removed = entry?.removedIn else {
            if !["v1", "v2"].contains(hpa.version) {
                return [Violation("autoscaling/\(hpa.version) is not an autoscaling version the API server knows", atWritten: "/apiVersion")]
            }
            return []
        }
        guard context.kubeVersion >= removed else { return [] }
        return [Violation(
            "autoscaling/\(hpa.version) is no longer served since Kubernetes \(removed) (checking for \(context.kubeVersion)); use autoscaling/v2",
            atWritten: "/apiVersion")]
    }
}
