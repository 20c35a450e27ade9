struct CPUMetricLongStartupRule: HPARule {
    /// --horizontal-pod-autoscaler-cpu-initialization-period's default.
    static let cpuInitializationPeriod: Int64 = 300

    static let description = RuleDescription(
        id: "cpu-metric-long-startup",
        summary: "A CPU metric on a target that takes longer to start than the controller's CPU initialization period",
        rationale: """
            To keep start-up CPU out of its decisions the HPA controller waits for a full metric window after a pod \
            turns Ready, but only when that happens within --horizontal-pod-autoscaler-cpu-initialization-period \
            (5 minutes by default) of the pod's start. A model server that becomes Ready later has its CPU counted \
            at once, so the tail of loading (weights, compilation, warm-up) reads as load and triggers more scale-up \
            — of pods that also take minutes. The period can only be changed for the whole cluster. The start-up \
            time comes from hpaguard.io/model-load-seconds or the startupProbe budget.
            """,
        remediation: """
            Scale on a server metric (queue size) instead of CPU, or, where you run the control plane, raise \
            --horizontal-pod-autoscaler-cpu-initialization-period above the start-up time.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: embedder
                  annotations: {hpaguard.io/model-load-seconds: "90"}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: embedder}, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: triton}
                spec:
                  template:
                    spec:
                      containers:
                        - name: triton
                          image: nvcr.io/nvidia/tritonserver:24.08-trtllm-python-py3
                          resources: {requests: {cpu: "8"}}
                          startupProbe: {httpGet: {path: /v2/health/ready, port: 8000}, periodSeconds: 15, failureThreshold: 40}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: triton}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
                  maxReplicas: 4
                  ↓targetCPUUtilizationPercentage: 70
                """),
        ]
    )

    static func message(_ load: ModelLoadTime) -> String {
        "pods take up to \(load.seconds) s to start (\(load.source)), longer than the controller's "
            + "\(cpuInitializationPeriod) s CPU initialization period, so CPU spent finishing the load counts as load"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let cpu = hpa.metrics.first(where: { $0.isResource("cpu") }),
            let load = ModelLoadTime.of(hpa: hpa, workload: context.workload),
            load.seconds > Self.cpuInitializationPeriod
        else { return [] }
        return [Violation(Self.message(load), at: cpu.pointer)]
    }
}
