/// Reports what an ML scaling profile would attach, so that `hpaguard lint` shows what `--fix`, `hpaguard mutate`
/// and the webhook's `/mutate` will do.
struct ScalingProfileRule: ProfileRule {
    static let description = RuleDescription(
        id: "scaling-profile",
        summary: "An ML scaling profile applies and would fill unset scaling behavior",
        rationale: """
            Model servers take seconds to minutes to load; the HPA's defaults (scale-down after 300 s, up to 100% \
            of pods every 15 s) remove pods that a later spike needs and add GPU pods faster than they can serve. \
            A profile derives scale-down stabilization from the model load time and paces scale-up by it. The \
            profile is chosen by the hpaguard.io/profile annotation, a policy selector, or detected from the \
            target's model server and accelerators. Only fields the user left unset are filled.
            """,
        remediation: "Run `hpaguard lint --fix` (or let the webhook's /mutate apply it), or write the behavior yourself; set hpaguard.io/profile: none to opt out.",
        category: .mlServing,
        defaultSeverity: .info,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 2
                  maxReplicas: 4
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: llm
                  annotations: {hpaguard.io/profile: llm-inference, hpaguard.io/model-load-seconds: "300"}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}
                  minReplicas: 2
                  maxReplicas: 4
                  behavior:
                    scaleDown: {stabilizationWindowSeconds: 900}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: llm
                  annotations: {hpaguard.io/profile: llm-inference}
                ↓spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}
                  minReplicas: 2
                  maxReplicas: 4
                """),
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 1
                  maxReplicas: 4
                  ↓behavior:
                    scaleUp: {stabilizationWindowSeconds: 0}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm}
                spec:
                  template:
                    spec:
                      containers:
                      - name: server
                        image: vllm/vllm-openai:v0.9.0
                        resources: {limits: {nvidia.com/gpu: 1}}
                """),
        ]
    )

    func check(_ hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation] {
        guard case .profile(let profile, let source, _, _) = plan.outcome, !plan.isEmpty else { return [] }
        let changes = plan.explanations.joined(separator: "; ")
        let pointer = plan.operations.first.flatMap { $0.path.parent } ?? "/spec"
        return [Violation(
            "the \(profile.name) profile (\(source)) would set \(changes); run hpaguard lint --fix to apply it",
            atWritten: pointer)]
    }
}
