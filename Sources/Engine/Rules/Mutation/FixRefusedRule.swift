/// `hpaguard lint --fix` reports files it would change but could not change safely under this id.
struct FixRefusedRule: Rule {
    static let description = RuleDescription(
        id: "fix-refused",
        summary: "lint --fix left a file untouched because it could not edit it safely",
        rationale: """
            --fix edits text in place so that comments, key order and quoting stay as written. It refuses rather \
            than guesses: JSON files, files with syntax errors, and edits that do not load back to exactly the \
            planned object are left as they are, and the reason is reported here.
            """,
        remediation: "Apply the change by hand (hpaguard mutate prints the mutated objects), or fix the syntax error first.",
        category: .mlServing,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
                """),
        ],
        invalidExamples: [
            Example("""
                ↓{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                 "metadata": {"name": "llm", "annotations": {"hpaguard.io/profile": "llm-inference"}},
                 "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "llm"},
                          "minReplicas": 2, "maxReplicas": 4}}
                """),
        ]
    )
}

extension Engine {
    /// A `fix-refused` finding for a file `--fix` left untouched, saying why; nil when the rule is disabled.
    public func fixRefusedFinding(_ reason: String, file: String, position: SourcePosition?) -> Finding? {
        frontEndFinding(FixRefusedRule.self, message: "not fixed: \(reason)", file: file, position: position)
    }
}
