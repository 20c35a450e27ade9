/// The loader reports YAML and JSON syntax errors under this id; the rule exists so that it is listed, explained
/// and configurable like every other.
struct SyntaxErrorRule: Rule {
    static let description = RuleDescription(
        id: "syntax-error",
        summary: "The file is not valid YAML or JSON, or exceeds a loader limit",
        rationale: """
            kubectl cannot apply a document it cannot parse. The other documents of the same file are still checked, \
            so one broken document does not hide findings in the rest. Loader limits (document size, nesting depth, alias \
            expansion) are reported here too: they guard against hostile input.
            """,
        remediation: "Fix the syntax at the reported line and column.",
        category: .schema,
        defaultSeverity: .error,
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
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: web
                  ↓- broken
                """),
        ]
    )
}

extension Engine {
    /// A `syntax-error` finding for what the loader could not read, with the policy's severity; nil when disabled.
    public func syntaxErrorFinding(_ message: String, file: String, position: SourcePosition?) -> Finding? {
        frontEndFinding(SyntaxErrorRule.self, message: message, file: file, position: position)
    }
}
