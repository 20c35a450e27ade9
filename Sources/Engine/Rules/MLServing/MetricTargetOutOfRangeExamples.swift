/// The examples of `metric-target-out-of-range`, which run as its tests.
enum MetricTargetOutOfRangeExamples {
    static let valid: [Example] = [
        // Each target in its metric's unit; counts have no upper bound; a Value total may sum many series.
        Example("""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: vllm}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
              maxReplicas: 8
              metrics:
                - type: Pods
                  pods: {metric: {name: vllm_kv_cache_usage_perc}, target: {type: AverageValue, averageValue: 800m}}
                - type: Pods
                  pods: {metric: {name: "prometheus.googleapis.com|vllm:num_requests_waiting|gauge"}, target: {type: AverageValue, averageValue: "50"}}
                - type: External
                  external: {metric: {name: DCGM_FI_DEV_GPU_UTIL}, target: {type: AverageValue, averageValue: "80"}}
                - type: External
                  external: {metric: {name: nv_gpu_utilization}, target: {type: Value, value: "3"}}
            """),
        // A per-accelerator metric summed over the 4 GPUs of a pod can reach 4 (400 %).
        Example("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: llama}
            spec: {template: {spec: {containers: [{name: vllm, image: vllm/vllm-openai, resources: {limits: {nvidia.com/gpu: 4}}}]}}}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: llama}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llama}
              maxReplicas: 4
              metrics:
                - type: Pods
                  pods: {metric: {name: DCGM_FI_PROF_SM_ACTIVE}, target: {type: AverageValue, averageValue: "2"}}
            """),
    ]

    static let invalid: [Example] = [
        // A vLLM guide's KV-cache target written as a percentage, and a DCGM percentage written as a fraction.
        Example("""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: vllm}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
              maxReplicas: 8
              metrics:
                - type: Pods
                  pods: {metric: {name: "vllm:gpu_cache_usage_perc"}, target: {type: AverageValue, ↓averageValue: "40"}}
                - type: External
                  external: {metric: {name: "prometheus.googleapis.com|DCGM_FI_PROF_GR_ENGINE_ACTIVE|gauge"}, target: {type: AverageValue, ↓averageValue: "70"}}
                - type: Pods
                  pods: {metric: {name: dcgm_fi_dev_gpu_util}, target: {type: AverageValue, ↓averageValue: 800m}}
                - type: External
                  external: {metric: {name: "kubernetes.io|container|accelerator|duty_cycle"}, target: {type: Value, ↓value: 500m}}
            """),
        // One GPU per pod: Triton's fraction can reach 1, not 1.5.
        Example("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: triton}
            spec: {template: {spec: {containers: [{name: triton, image: nvcr.io/nvidia/tritonserver, resources: {limits: {nvidia.com/gpu: 1}}}]}}}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: triton}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
              maxReplicas: 4
              metrics:
                - type: Pods
                  pods: {metric: {name: nv_gpu_utilization}, target: {type: AverageValue, ↓averageValue: "1.5"}}
            """),
        // A metric of your own, added to the table by the policy.
        Example("""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: ranker}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ranker}
              maxReplicas: 4
              metrics:
                - type: Pods
                  pods: {metric: {name: "ranker:slot_occupancy"}, target: {type: AverageValue, ↓averageValue: "75"}}
            """,
            policy: """
                apiVersion: hpaguard.io/v1
                kind: Policy
                rules:
                  metric-target-out-of-range: {parameters: {ranges: ["ranker:slot_occupancy:0:1"]}}
                """),
    ]
}
