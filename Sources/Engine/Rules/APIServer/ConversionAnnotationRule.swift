struct ConversionAnnotationRule: HPARule {
    static let description = RuleDescription(
        id: "conversion-annotation",
        summary: "An autoscaling round-trip annotation does not parse, so the API server ignores it or refuses the object",
        rationale: """
            autoscaling/v1 carries everything beyond CPU in annotations: autoscaling.alpha.kubernetes.io/metrics (a \
            JSON list of metrics) and autoscaling.alpha.kubernetes.io/behavior (a JSON object). The API server \
            converts them to the v2 fields when it reads the object; if one is not valid JSON of the right shape, \
            current releases ignore it without an error (older ones rejected the object), so the HPA runs on CPU \
            alone, or with default behavior, and nobody is told. Problems inside an annotation that does parse \
            are reported by the rule for the field, pointing at the annotation. autoscaling/v2beta2 (served up to \
            1.25) carries behavior tolerances in autoscaling.alpha.kubernetes.io/scale-up-tolerance and \
            scale-down-tolerance; a value there that is not a quantity fails the conversion, and the object is refused.
            """,
        remediation: """
            Fix the JSON in the annotation, or better, write the HPA as autoscaling/v2 with spec.metrics and \
            spec.behavior.
            """,
        category: .apiServer,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Pods","pods":{"metricName":"queue","targetAverageValue":"5"}}]'
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """),
            Example("""
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    autoscaling.alpha.kubernetes.io/scale-down-tolerance: 50m
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """, kubeVersion: "1.25"),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/metrics: '{"type":"Pods","pods":{"metricName":"queue"}}'
                    ↓autoscaling.alpha.kubernetes.io/behavior: '{ScaleDown: {StabilizationWindowSeconds: 600}}'
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """),
            Example("""
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/scale-down-tolerance: 5%
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """, kubeVersion: "1.25"),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.conversionNotes.map { Violation($0.message, atWritten: $0.pointer) }
    }
}
