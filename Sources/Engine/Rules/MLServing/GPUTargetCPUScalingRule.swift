struct GPUTargetCPUScalingRule: HPARule {
    /// The accelerators `Accelerator` knows, as patterns: exact names, and prefixes followed by `*`.
    static let defaultPatterns: [String] = Accelerator.exactNames.sorted() + Accelerator.prefixes.map { $0 + "*" }

    static let description = RuleDescription(
        id: "gpu-target-cpu-scaling",
        summary: "A GPU or other accelerator workload is scaled on CPU or memory only",
        rationale: """
            On an inference server the work happens on the accelerator: CPU stays low while requests queue, and \
            memory is reserved up front. Google's GKE guidance for GPU inference advises against CPU or memory as \
            the only signal (poor latency and cost) and recommends the server's queue size, or batch size for \
            tighter latency targets. An HPA with no metrics, or autoscaling/v1, scales on CPU.
            """,
        remediation: """
            Scale on the server's queue: a Pods or External metric such as vllm:num_requests_waiting, \
            tgi_queue_size or nv_inference_pending_request_count with an AverageValue target (the name depends on \
            your metrics adapter), or a KEDA ScaledObject with a Prometheus trigger.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        parameters: [
            RuleParameter(
                "acceleratorResources", .stringList,
                default: .array(defaultPatterns.map(JSONValue.string)),
                "Extended resources that mark an accelerator; * matches any run of characters."),
        ],
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm}
                spec: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai:v0.8.5, resources: {limits: {nvidia.com/gpu: 1}}}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  minReplicas: 2
                  maxReplicas: 8
                  metrics:
                    - type: Pods
                      pods: {metric: {name: vllm:num_requests_waiting}, target: {type: AverageValue, averageValue: "5"}}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm}
                spec: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai:v0.8.5, resources: {limits: {nvidia.com/gpu: 1, cpu: "8"}}}]}}}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 8
                  ↓targetCPUUtilizationPercentage: 80
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bert}
                spec: {template: {spec: {containers: [{name: bert, image: example/bert, resources: {limits: {aws.amazon.com/neuroncore: 2, cpu: "4", memory: 8Gi}}}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: bert}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: bert}
                  maxReplicas: 8
                  metrics:
                    - ↓type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
                    - type: Resource
                      resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
                """),
        ]
    )

    static func message(_ accelerators: [String], workload: Workload) -> String {
        "\(workload.object.reference.kindAndName) uses \(accelerators.joined(separator: ", ")) but the HPA scales on "
            + "CPU/memory only, which does not follow the accelerator's load; scale on the model server's queue or "
            + "batch size"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let workload = context.workload, let first = hpa.metrics.first,
            hpa.metrics.allSatisfy({ $0.isResource("cpu") || $0.isResource("memory") })
        else { return [] }
        let accelerators = Self.resources(of: workload, matching: context.parameters.strings("acceleratorResources"))
        guard !accelerators.isEmpty else { return [] }
        return [Violation(Self.message(accelerators, workload: workload), at: first.pointer)]
    }

    /// The resources any container requests or limits that match one of `patterns` (extended resources such as
    /// GPUs are usually written as limits only, which the API server copies to requests).
    static func resources(of workload: Workload, matching patterns: [String]) -> [String] {
        var matched: [String] = []
        for container in workload.containers {
            let resources = container.value["resources"]
            let requests = resources?["requests"]?.objectValue?.keys ?? []
            let names = requests + (resources?["limits"]?.objectValue?.keys ?? [])
            for name in names
            where !matched.contains(name) && patterns.contains(where: { glob($0, matches: name) }) {
                matched.append(name)
            }
        }
        return matched
    }
}
