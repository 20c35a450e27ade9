/// At minReplicas throughout, with the metrics far below target: minReplicas is higher than the load needs.
struct NeverScaledRule: LiveRule {
    static let description = RuleDescription(
        id: "never-scaled",
        summary: "The HPA stayed at minReplicas with its metrics far below target: minReplicas over-provisions",
        rationale: """
            An HPA at minReplicas, with no rescale in the whole observed window and every metric well below its \
            target, never needed those replicas: minReplicas holds capacity nobody uses. For GPU model servers each \
            of those replicas is a GPU (or several) paid for and idle, so the finding counts the GPU-requesting pods.
            """,
        remediation: """
            Lower minReplicas to what the quiet hours need (keep 2 for availability where it matters), or lower \
            the metric's target if replicas are meant to run hotter. Look at a longer window (--since 24h) before \
            cutting capacity a daily peak needs.
            """,
        category: .live,
        defaultSeverity: .info,
        parameters: [
            RuleParameter(
                "belowTargetRatio", .number, default: .double(0.5),
                "Every metric below this share of its target counts as far below.")
        ],
        validExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 4
                  maxReplicas: 8
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                status:
                  currentReplicas: 4
                  desiredReplicas: 4
                  currentMetrics:
                  - type: Resource
                    resource: {name: cpu, current: {averageUtilization: 62, averageValue: 620m}}
                """)
        ],
        invalidExamples: [
            Example(
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  ↓minReplicas: 4
                  maxReplicas: 8
                  metrics:
                  - type: Pods
                    pods:
                      metric: {name: vllm:num_requests_waiting}
                      target: {type: AverageValue, averageValue: "8"}
                status:
                  currentReplicas: 4
                  desiredReplicas: 4
                  lastScaleTime: "2026-01-01T06:00:00Z"
                  currentMetrics:
                  - type: Pods
                    pods:
                      metric: {name: vllm:num_requests_waiting}
                      current: {averageValue: 500m}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm, namespace: ml}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: vllm}}
                  template:
                    metadata: {labels: {app: vllm}}
                    spec:
                      containers:
                      - name: vllm
                        image: vllm/vllm-openai:v0.6.3
                        resources:
                          requests: {cpu: "4", memory: 32Gi, nvidia.com/gpu: "1"}
                          limits: {nvidia.com/gpu: "1"}
                """)
        ]
    )

    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation] {
        guard let min = state.hpa.minReplicas, min > 1, state.status.currentReplicas == min,
            state.rescales.isEmpty,
            state.status.lastScaleTime.map({ state.now.seconds - $0.seconds >= state.window }) ?? true
        else { return [] }
        let readings = MetricReading.readings(spec: state.hpa.spec, status: state.status)
        let ratio = context.parameters.number("belowTargetRatio")
        guard !readings.isEmpty, readings.allSatisfy({ $0.ratio < ratio }) else { return [] }
        var message =
            "at minReplicas (\(min)) for the whole window (\(Timestamp.describe(state.window))) with every metric "
            + "below \(MetricReading.format(ratio * 100))% of its target ("
            + readings.map(\.summary).joined(separator: ", ") + ")"
        if let gpus = Self.acceleratorsPerPod(context.workload), !gpus.isEmpty {
            let each = gpus.map { "\(MetricReading.format($0.count)) \($0.resource)" }.joined(separator: " + ")
            message += ": \(min) GPU-requesting pods (\(each) each) held by minReplicas"
        } else {
            message += ": minReplicas holds capacity the load does not use"
        }
        return [Violation(message, atWritten: state.pointer(["/spec/minReplicas", "/spec"]))]
    }

    /// The accelerators one pod of the workload requests (limits, else requests: extended resources must have
    /// equal request and limit), summed per resource over its containers.
    static func acceleratorsPerPod(_ workload: Workload?) -> [(resource: String, count: Double)]? {
        guard let workload else { return nil }
        var totals: [String: Double] = [:]
        for container in workload.containers {
            let resources = container.value["resources"]
            let limits = resources?["limits"]?.objectValue
            let requests = resources?["requests"]?.objectValue
            for name in Set(limits?.keys ?? []).union(requests?.keys ?? []) where isAccelerator(name) {
                let quantity = (limits?[name]).flatMap(Quantity.init) ?? (requests?[name]).flatMap(Quantity.init)
                totals[name, default: 0] += quantity?.value ?? 0
            }
        }
        return totals.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func isAccelerator(_ resource: String) -> Bool {
        let lower = resource.lowercased()
        return lower.hasSuffix("/gpu") || lower.contains("gpu") || lower.hasPrefix("nvidia.com/mig-")
            || lower.contains("neuron") || lower.contains("tpu") || lower.contains("gaudi")
    }
}
