struct DuplicateKeyRule: ObjectRule {
    static let description = RuleDescription(
        id: "duplicate-key",
        summary: "A key is written twice in one mapping",
        rationale: """
            Strict field validation (kubectl's default) rejects an object with a duplicate field. Without it the \
            last value silently wins, so half of what was written is ignored.
            """,
        remediation: "Keep one of the two keys; merge their contents if both were meant.",
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
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                  ↓maxReplicas: 5
                """),
        ]
    )

    func check(object: ManifestObject) -> [Violation] {
        object.duplicateKeys.map {
            Violation("duplicate key \"\($0.last ?? "")\" in \($0.parent?.fieldPath.nonEmpty ?? "the object"); strict field validation rejects the object", atWritten: $0)
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
