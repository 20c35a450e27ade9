struct MemoryMetricPreallocatingServerRule: HPARule {
    /// GPU memory gauges of the DCGM exporter and of Triton.
    static let gpuMemoryMetrics: Set<String> = [
        "dcgm_fi_dev_fb_used", "dcgm_fi_dev_fb_free", "nv_gpu_memory_used_bytes",
    ]

    static let description = RuleDescription(
        id: "memory-metric-preallocating-server",
        summary: "A memory metric on a model server that reserves its memory up front",
        rationale: """
            vLLM, TGI and SGLang reserve most of the GPU memory for the KV cache when they start (vLLM \
            --gpu-memory-utilization, 0.9 by default), and Triton's TensorRT-LLM backend does the same; the figure \
            does not fall when traffic does. Google's GKE guidance says that for such servers a GPU memory metric \
            (DCGM_FI_DEV_FB_USED) only scales up and never scales down. A memory Resource metric has the same \
            shape: what the pod took while loading the model is not given back. The server is recognised from the \
            image or the command line.
            """,
        remediation: """
            Scale on the server's queue size or batch size (vllm:num_requests_waiting, tgi_queue_size, \
            nv_inference_pending_request_count) instead of memory.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tgi}
                spec: {template: {spec: {containers: [{name: tgi, image: ghcr.io/huggingface/text-generation-inference:2.4, resources: {limits: {nvidia.com/gpu: 1}}}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: tgi}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tgi}
                  maxReplicas: 4
                  metrics: [{type: Pods, pods: {metric: {name: tgi_queue_size}, target: {type: AverageValue, averageValue: "10"}}}]
                """),
            // A memory metric on a server that allocates as it goes is fine.
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: web, image: nginx, resources: {requests: {memory: 1Gi}}}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 4
                  metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}}]
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: llama}
                spec:
                  template:
                    spec:
                      containers:
                        - name: server
                          image: registry.example.com/llm-runtime:1.2
                          command: [python3, -m, vllm.entrypoints.openai.api_server, --model, meta-llama/Llama-3.1-8B-Instruct]
                          resources: {requests: {memory: 32Gi}, limits: {nvidia.com/gpu: 1}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: llama}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llama}
                  maxReplicas: 4
                  metrics:
                    - ↓type: Resource
                      resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
                    - ↓type: External
                      external: {metric: {name: DCGM_FI_DEV_FB_USED}, target: {type: AverageValue, averageValue: "60000"}}
                """),
        ]
    )

    static func message(_ metric: String, servers: Set<ModelServer>) -> String {
        "\(metric) stays high on \(ModelServer.names(servers)), which reserves its memory at start: the HPA scales up "
            + "and never back down; scale on the server's queue size instead"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let workload = context.workload else { return [] }
        let serverContainers = workload.containers.filter { container in
            workload.modelServers(in: container).contains(where: \.preallocatesMemory)
        }.map(\.name)
        guard !serverContainers.isEmpty else { return [] }
        let servers = workload.modelServers.filter(\.preallocatesMemory)
        return hpa.metrics.compactMap { metric in
            let described: String
            if metric.type == MetricSourceType.resource.rawValue, metric.resourceName == "memory" {
                described = "the pods' memory"
            } else if metric.isResource("memory"), let container = metric.container,
                serverContainers.contains(container)
            {
                described = "the memory of container \"\(container)\""
            } else if let name = metric.name, Self.gpuMemoryMetrics.contains(name.base) {
                described = "GPU memory (\(name.written))"
            } else {
                return nil
            }
            return Violation(Self.message(described, servers: servers), at: metric.pointer)
        }
    }
}
