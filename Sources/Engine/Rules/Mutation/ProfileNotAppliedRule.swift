/// Says why a selected profile changes nothing: another controller owns the HPA, or its version cannot carry it.
struct ProfileNotAppliedRule: ProfileRule {
    static let description = RuleDescription(
        id: "profile-not-applied",
        summary: "A scaling profile applies but hpaguard will not mutate this HPA",
        rationale: """
            An HPA that KServe or KEDA created is reconciled by its owner: a mutation would be reverted on the next \
            sync and the two would fight. An autoscaling/v1 HPA can carry behavior only in an annotation, so \
            hpaguard leaves it alone and says so instead of writing the annotation behind the user's back.
            """,
        remediation: "Configure scaling on the owner (the InferenceService or ScaledObject), or rewrite the HPA as autoscaling/v2.",
        category: .mlServing,
        defaultSeverity: .info,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: llm
                  annotations: {hpaguard.io/profile: llm-inference}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}, minReplicas: 2, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                ↓metadata:
                  name: keda-hpa-llm
                  annotations: {hpaguard.io/profile: llm-inference}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}, minReplicas: 2, maxReplicas: 4}
                """),
            Example("""
                ↓apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: llm
                  annotations: {hpaguard.io/profile: llm-inference}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}, minReplicas: 2, maxReplicas: 4}
                """),
        ]
    )

    func check(_ hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation] {
        switch plan.outcome {
        case .ownedElsewhere(let owner):
            return [Violation("not mutated: \(owner)", atWritten: "/metadata")]
        case .notMutable(let reason):
            return [Violation("not mutated: \(reason)", atWritten: "/apiVersion")]
        default:
            return []
        }
    }
}

struct UnknownProfileRule: HPARule {
    static let description = RuleDescription(
        id: "unknown-profile",
        summary: "The hpaguard.io/profile annotation names a profile that does not exist",
        rationale: "A misspelt profile name silently turns the profile off; the HPA keeps the controller's defaults.",
        remediation: "Use a profile name from `hpaguard profiles` or the policy's profiles.definitions, or `none` to opt out.",
        category: .mlServing,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: llm
                  annotations: {hpaguard.io/profile: none}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: llm
                  annotations:
                    ↓hpaguard.io/profile: llm-inferense
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}, maxReplicas: 4}
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let requested = hpa.annotation(MutationAnnotation.profile), !Mutator.optOut.contains(requested),
            context.policy.profile(named: requested) == nil
        else { return [] }
        let known = context.policy.profiles.map(\.name).joined(separator: ", ")
        return [Violation(
            "unknown profile '\(requested)' (known: \(known)); no profile is applied",
            atWritten: JSONPointer(tokens: ["metadata", "annotations", MutationAnnotation.profile]))]
    }
}
