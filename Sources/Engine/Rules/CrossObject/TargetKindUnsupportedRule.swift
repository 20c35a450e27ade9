struct TargetKindUnsupportedRule: HPARule {
    static let description = RuleDescription(
        id: "target-kind-unsupported",
        summary: "hpaguard cannot find the pod template of the target, so it skipped the rules that read containers",
        rationale: """
            The request, probe, accelerator and model-server rules read the target's pod template. hpaguard knows \
            where Deployment, StatefulSet, ReplicaSet, ReplicationController, Argo Rollout and LeaderWorkerSet keep \
            it; for any other kind, or a known kind written without its template (a patch, an overlay), it says \
            so instead of guessing, and those rules stay silent.
            """,
        remediation: """
            Declare the kind in the policy under workloadKinds with the JSON pointers of its pod templates \
            (for example podTemplatePaths: [/spec/template]), or lint the complete workload.
            """,
        category: .crossObject,
        defaultSeverity: .info,
        validExamples: [
            Example("""
                apiVersion: leaderworkerset.x-k8s.io/v1
                kind: LeaderWorkerSet
                metadata: {name: llama}
                spec:
                  leaderWorkerTemplate:
                    size: 2
                    workerTemplate: {spec: {containers: [{name: vllm, image: vllm/vllm-openai, resources: {requests: {cpu: "4"}}}]}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: llama}
                spec: {scaleTargetRef: {apiVersion: leaderworkerset.x-k8s.io/v1, kind: LeaderWorkerSet, name: llama}, maxReplicas: 4}
                """),
            Example("""
                apiVersion: serving.example.com/v1
                kind: ModelServer
                metadata: {name: llama}
                spec: {server: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai, resources: {requests: {cpu: "4"}}}]}}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: llama}
                spec: {scaleTargetRef: {apiVersion: serving.example.com/v1, kind: ModelServer, name: llama}, maxReplicas: 4}
                """,
                policy: """
                    workloadKinds:
                      - {apiVersion: serving.example.com/v1, kind: ModelServer, podTemplatePaths: [/spec/server/template]}
                    """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: serving.example.com/v1
                kind: ModelServer
                metadata: {name: llama}
                spec: {server: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai}]}}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: llama}
                spec:
                  ↓scaleTargetRef: {apiVersion: serving.example.com/v1, kind: ModelServer, name: llama}
                  maxReplicas: 4
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 2}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  ↓scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 4
                """),
        ]
    )

    static func unknownKind(_ workload: Workload) -> String {
        let reference = workload.object.reference
        return "hpaguard does not know where \(reference.apiVersion) \(reference.kind) keeps its pod template; the "
            + "rules that read containers were skipped (declare the kind under workloadKinds in the policy)"
    }

    static func noTemplate(_ workload: Workload, kind: WorkloadKind) -> String {
        let paths = kind.podTemplatePaths.map(\.description).joined(separator: ", ")
        return "\(workload.object.reference.kindAndName) has no pod template at \(paths); the rules that read "
            + "containers were skipped"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let workload = context.workload, workload.podTemplates.isEmpty else { return [] }
        let message = workload.kind.map { Self.noTemplate(workload, kind: $0) } ?? Self.unknownKind(workload)
        return [Violation(message, at: "/spec/scaleTargetRef")]
    }
}
