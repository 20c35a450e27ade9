// Generated from policies/ by scripts/embed-policies.sh; a test checks that it matches. Do not edit by hand.
enum EmbeddedPolicies {
    static let defaultPolicy = #"""
        # hpaguard default policy: embedded in the binary, and the base every user policy is laid over.
        # A user policy names only what it changes, for example:
        #
        #   apiVersion: hpaguard.io/v1
        #   kind: Policy
        #   rules:
        #     min-replicas-floor: {severity: error, parameters: {minimum: 3}}
        #     target-replicas-set: false          # switch a rule off
        #   exemptions:
        #     - namespaces: ["dev-*"]
        #       rules: [min-replicas-floor]
        #
        # Severity contract: error is reserved for what the API server rejects and for what stops the HPA from
        # working at all. Everything else defaults to warning or info, so this policy never fails a manifest the API
        # server accepts and the HPA controller can act on.
        apiVersion: hpaguard.io/v1
        kind: Policy
        settings:
          # The HPAScaleToZero feature gate (alpha, off by default through 1.37).
          scaleToZero: false
        rules:
          # Loading and schema
          syntax-error: {severity: error}
          duplicate-key: {severity: error}
          unknown-field: {severity: error}
          invalid-type: {severity: error}
          removed-api-version: {severity: error}
          scale-target-group-removed: {severity: error}
          # API-server validation
          max-below-min: {severity: error}
          object-metadata: {severity: error}
          min-replicas-range: {severity: error}
          max-replicas-range: {severity: error}
          scale-to-zero-metrics: {severity: error}
          scale-target-ref: {severity: error}
          metric-source: {severity: error}
          metric-target: {severity: error}
          metric-target-type-ignored: {severity: info}
          metric-identifier: {severity: error}
          container-resource-name: {severity: error}
          behavior-bounds: {severity: error}
          tolerance-needs-gate: {severity: info}
          conversion-annotation: {severity: warning}
          # Cross-object: the target workload, other scalers, disruption budgets
          target-not-found: {severity: warning}
          target-namespace-mismatch: {severity: error}
          target-kind-unsupported: {severity: info}
          target-missing-request: {severity: error}
          container-resource-container: {severity: error}
          target-replicas-set: {severity: warning}
          duplicate-scalers: {severity: error}
          duplicate-object: {severity: warning}
          pdb-blocks-drain-at-min-replicas: {severity: warning}
          # ML serving
          gpu-target-cpu-scaling:
            severity: warning
            parameters:
              acceleratorResources: [amd.com/gpu, google.com/tpu, habana.ai/gaudi, intel.com/gpu, nvidia.com/gpu,
                nvidia.com/mig-*, aws.amazon.com/neuron*, gpu.intel.com/*, cloud-tpus.google.com/*]
          memory-metric-preallocating-server: {severity: warning}
          gpu-utilization-metric: {severity: info}
          target-missing-probe: {severity: warning}
          scale-down-before-model-loads: {severity: warning}
          cpu-metric-long-startup: {severity: warning}
          counter-as-gauge:
            severity: warning
            parameters:
              counterSuffixes: [_total, _bucket, _seconds_count, _seconds_sum, _duration_us]
              counterNames: [tgi_request_count, tgi_request_success, tgi_request_failure, nv_inference_request_success,
                nv_inference_request_failure, nv_inference_count, nv_inference_exec_count]
          renamed-vllm-metric: {severity: warning}
          metric-target-out-of-range:
            severity: warning
            parameters:
              ranges: []   # more metrics as name:min:max, e.g. "my_gpu_queue_ratio:0:1"
          min-replicas-floor: {severity: warning, parameters: {minimum: 2}}
          min-equals-max: {severity: info}
          # ML scaling profiles (what `lint --fix`, `mutate` and the webhook's /mutate do)
          scaling-profile: {severity: info}
          queue-metric-suggested: {severity: info}
          profile-not-applied: {severity: info}
          unknown-profile: {severity: warning}
          fix-refused: {severity: warning}
          # Live: how the HPA behaves in the cluster, from its status and events (`hpaguard audit` only)
          metrics-unavailable: {severity: error}
          cannot-scale: {severity: error}
          pinned-at-max: {severity: warning, parameters: {minimumSeconds: 900}}
          scale-up-throttled: {severity: warning, parameters: {minimumSeconds: 300}}
          flapping: {severity: warning, parameters: {maxRescales: 4, minDirectionChanges: 2}}
          replicas-mismatch: {severity: warning, parameters: {minimumSeconds: 900}}
          never-scaled: {severity: info, parameters: {belowTargetRatio: 0.5}}
          audit-incomplete: {severity: info}
        exemptions: []
        # ML scaling profiles (policies/profiles/*.yaml are built in). The first match wins: the HPA's
        # hpaguard.io/profile annotation (a profile name, or "none"), then these selectors, then detection from the
        # target's model server and accelerator requests.
        profiles:
          detect: true
          selectors: []
          # definitions: [ {name: my-profile, ...} ]   # your own profiles, same keys as the shipped ones
        """#

    /// Profile files by name (policies/profiles/NAME.yaml).
    static let profiles: [String: String] = [
        "batch-inference": #"""
            # Throughput-oriented batch or async inference, tolerant of lag. Never detected: choose it with the
            # hpaguard.io/profile annotation or a policy selector.
            apiVersion: hpaguard.io/v1
            kind: Profile
            name: batch-inference
            summary: Batch and queue-consumer inference; scales up in big steps, releases capacity steadily.
            modelLoadSeconds: 120
            minReplicas: 1
            scaleDown:
              windowFactor: 1
              minWindowSeconds: 300
              policies:
                - {type: Percent, value: 50, periodSeconds: 120}
              selectPolicy: Max
            scaleUp:
              podsPerPeriod: 8
              minPeriodSeconds: 15
            """#,
        "llm-inference": #"""
            # LLM serving on accelerators: minutes of model load, queue-driven scaling.
            # Chosen for an HPA whose target runs an LLM server (vLLM, TGI, SGLang, TensorRT-LLM, LMDeploy, JetStream) or
            # requests an accelerator, unless the HPA's hpaguard.io/profile annotation or the policy says otherwise.
            apiVersion: hpaguard.io/v1
            kind: Profile
            name: llm-inference
            summary: GPU/TPU LLM servers that load weights for minutes; slow, gentle scale-down and capped scale-up.
            detect:
              modelServers: [vllm, tgi, sglang, tensorrt-llm, lmdeploy, jetstream]
              accelerators: true
            # Used when neither hpaguard.io/model-load-seconds nor the target's startupProbe says how long a load takes.
            modelLoadSeconds: 600
            # Keep a warm replica through a node drain; a cold start costs a full model load.
            minReplicas: 2
            scaleDown:
              # window = clamp(windowFactor x load, minWindowSeconds, 3600): a pod is not removed before a replacement
              # could have loaded.
              windowFactor: 2
              minWindowSeconds: 600
              policies:
                - {type: Pods, value: 1, periodSeconds: 300}
                - {type: Percent, value: 10, periodSeconds: 300}
              selectPolicy: Min
            scaleUp:
              # At most this many pods per period (at most 1800 s). Not paced by the model load time: the controller already
              # counts pods that are still loading (no metrics yet) as 0 on scale-up, so it does not add pods twice for the
              # same load, and `hpaguard simulate` showed pacing by the load time leaving a spike unserved three times as long
              # at a higher cost (docs/simulate.md).
              podsPerPeriod: 4
              minPeriodSeconds: 15
            # Reported as suggestions (the name depends on your metrics adapter), never attached.
            suggestedMetrics:
              vllm: {name: "vllm:num_requests_waiting", averageValue: "5"}
              tgi: {name: tgi_queue_size, averageValue: "10"}
              sglang: {name: "sglang:num_queue_reqs", averageValue: "5"}
              triton: {name: nv_inference_pending_request_count, averageValue: "5"}
            """#,
        "realtime-inference": #"""
            # Online inference with small models: seconds of load, latency first.
            apiVersion: hpaguard.io/v1
            kind: Profile
            name: realtime-inference
            summary: Small-model online inference (Triton, TorchServe, MLServer, TF Serving, TEI); quick scale-up, damped scale-down.
            detect:
              modelServers: [triton, torchserve, mlserver, tensorflow-serving, tei, ollama, llama-cpp]
            modelLoadSeconds: 30
            minReplicas: 2
            scaleDown:
              windowFactor: 4
              minWindowSeconds: 300
              policies:
                - {type: Percent, value: 25, periodSeconds: 60}
                - {type: Pods, value: 2, periodSeconds: 60}
              selectPolicy: Min
            scaleUp:
              podsPerPeriod: 4
              minPeriodSeconds: 15
            suggestedMetrics:
              triton: {name: nv_inference_pending_request_count, averageValue: "5"}
              tei: {name: te_queue_size, averageValue: "10"}
            """#,
    ]
}
