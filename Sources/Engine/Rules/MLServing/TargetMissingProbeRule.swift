struct TargetMissingProbeRule: HPARule {
    static let description = RuleDescription(
        id: "target-missing-probe",
        summary: "The target's serving container has no readinessProbe and no startupProbe",
        rationale: """
            The HPA treats a Ready pod as warmed up: it counts its metrics and expects it to take load. Without a \
            probe a container is Ready as soon as it starts, long before a model server has loaded its weights, so \
            new replicas look idle (and pull the average down) while traffic still fails on them, and CPU spent \
            loading counts as load. When hpaguard recognises a model server it checks that container; otherwise it \
            asks for a probe on at least one container. The finding points at the container in the workload.
            """,
        remediation: """
            Add a readinessProbe on the server's health endpoint (vLLM and TGI: GET /health; Triton: GET \
            /v2/health/ready), and a startupProbe whose failureThreshold × periodSeconds covers the model load.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm}
                spec:
                  template:
                    spec:
                      containers:
                        - name: vllm
                          image: vllm/vllm-openai:v0.8.5
                          resources: {requests: {cpu: "4"}}
                          startupProbe: {httpGet: {path: /health, port: 8000}, periodSeconds: 10, failureThreshold: 30}
                        - {name: metrics-proxy, image: example/proxy, resources: {requests: {cpu: 100m}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, minReplicas: 2, maxReplicas: 4}
                """),
            // The finding points into the Deployment, so the Deployment's own ignore annotation silences it.
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  annotations: {hpaguard.io/ignore: target-missing-probe}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 4}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: metrics-proxy, image: example/proxy, readinessProbe: {tcpSocket: {port: 9090}}}
                        - ↓name: vllm
                          image: vllm/vllm-openai:v0.8.5
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}, minReplicas: 2, maxReplicas: 4}
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [↓{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 4}
                """),
        ]
    )

    static func message(_ container: Container, servers: Set<ModelServer>, hpa: HPA) -> String {
        let what = servers.isEmpty ? "container" : "\(ModelServer.names(servers)) container"
        return "\(what) \(container.quotedName) has no readinessProbe or startupProbe: its pods count as ready for "
            + "HorizontalPodAutoscaler \(hpa.name ?? "") before they can serve"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let workload = context.workload, let template = workload.measuredPodTemplate else { return [] }
        let appContainers = template.servingContainers.filter { !$0.isSidecar }
        func hasProbe(_ container: Container) -> Bool {
            container.hasProbe("readinessProbe") || container.hasProbe("startupProbe")
        }
        let servers = appContainers.map { ($0, workload.modelServers(in: $0)) }.filter { !$0.1.isEmpty }
        let unprobed: [(Container, Set<ModelServer>)]
        if servers.isEmpty {
            guard let first = appContainers.first, !appContainers.contains(where: hasProbe) else { return [] }
            unprobed = [(first, [])]
        } else {
            unprobed = servers.filter { !hasProbe($0.0) }
        }
        return unprobed.map { container, servers in
            Violation(Self.message(container, servers: servers, hpa: hpa), in: workload.object, at: container.pointer)
        }
    }
}
