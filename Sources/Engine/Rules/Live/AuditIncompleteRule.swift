/// What the audit could not read for an HPA (RBAC, a timeout), and so which checks did not run for it.
struct AuditIncompleteRule: LiveRule {
    static let description = RuleDescription(
        id: "audit-incomplete",
        summary: "hpaguard audit could not read something this HPA's checks need, and says which checks it skipped",
        rationale: """
            The audit reads each HPA's target, the namespace's LimitRanges, PodDisruptionBudgets and other scalers, \
            and the HPA's events. When the API server refuses one of them (403: the audit's RBAC does not cover \
            it) or does not answer in time, the rules that need it cannot run, and a clean result would be a false \
            all-clear. This finding names what was not read and the checks that were skipped, in place of silence.
            """,
        remediation: """
            Give the audit's ServiceAccount or user get/list on what is named (deploy/audit/clusterrole.yaml has \
            every resource it reads), or raise --timeout when the API server is slow.
            """,
        category: .live,
        defaultSeverity: .info,
        validExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 8
                """)
        ],
        invalidExamples: [
            // The API server's answer to the audit's list of LimitRanges in ml (a Status of 403).
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                ↓metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 8
                ---
                apiVersion: v1
                kind: Status
                status: Failure
                reason: Forbidden
                code: 403
                message: 'limitranges is forbidden: User "system:serviceaccount:ops:auditor" cannot list resource "limitranges" in API group "" in the namespace "ml"'
                """)
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        state.unread.map { Violation("not checked: \($0)", atWritten: "/metadata") }
    }
}
