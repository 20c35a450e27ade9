struct TargetMissingRequestRule: HPARule {
    static let description = RuleDescription(
        id: "target-missing-request",
        summary: "A Resource metric with a Utilization target, but a container of the target has no request for it",
        rationale: """
            Utilization is usage divided by the sum of the requests of every container of the pod, sidecars \
            (init containers with restartPolicy: Always) included. When one container has no request the HPA \
            controller fails with "missing request for cpu in container X of Pod Y", shows <unknown> and never \
            scales. Injected and hand-written sidecars (Envoy, Dapr, log shippers) are the usual cause. A limit \
            counts, because the API server defaults the request from it; from Kubernetes 1.34 a pod-level request \
            (spec.resources) covers the whole pod; and a LimitRange in the namespace with a Container item that \
            defaults the request (defaultRequest, or default, max or min, which the API server turns into one) \
            fills it in for every container when the pod is created.
            """,
        remediation: """
            Give every container and sidecar a request for the resource, or scale on one container with a \
            ContainerResource metric, or use an AverageValue target, which needs no requests. hpaguard reads the \
            namespace's LimitRanges in the webhook, and in the linter when they are among the files given; if one \
            that the linter cannot see fills in the requests, add the annotation hpaguard.io/ignore: \
            target-missing-request to the HPA.
            """,
        category: .crossObject,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      initContainers: [{name: envoy, image: envoy, restartPolicy: Always, resources: {requests: {cpu: 100m}}}]
                      containers: [{name: web, image: nginx, resources: {limits: {cpu: "1"}}}]
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5, targetCPUUtilizationPercentage: 80}
                """),
            // An AverageValue target divides usage by the pod count, not by requests.
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                  metrics: [{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 1Gi}}}]
                """),
            // The namespace's LimitRange fills in the request: its max becomes default, then defaultRequest.
            Example("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: container-defaults, namespace: ml}
                spec:
                  limits: [{type: Container, max: {cpu: "4", memory: 16Gi}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: ml}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: ml}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5, targetCPUUtilizationPercentage: 80}
                """),
        ],
        invalidExamples: [
            // A Pod item sets no container defaults, and a LimitRange of another namespace does not count.
            Example("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: pod-limits, namespace: ml}
                spec:
                  limits: [{type: Pod, max: {cpu: "8"}}]
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: container-defaults, namespace: other-team}
                spec:
                  limits: [{type: Container, defaultRequest: {cpu: 250m}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: ml}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                  ↓targetCPUUtilizationPercentage: 80
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      initContainers: [{name: envoy, image: envoy, restartPolicy: Always}]
                      containers: [{name: web, image: nginx, resources: {requests: {cpu: 500m}}}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                  metrics:
                    - ↓type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                  ↓targetCPUUtilizationPercentage: 80
                """),
            // With no metric at all the API server defaults to 80 % CPU, which needs CPU requests too.
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                ↓spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5}
                """),
        ]
    )

    static func message(resource: String, missing: [Container], workload: Workload) -> String {
        let names = missing.map(\.quotedName).joined(separator: ", ")
        let noun = missing.count == 1 ? "container" : "containers"
        return "\(noun) \(names) of \(workload.object.reference.kindAndName) \(missing.count == 1 ? "has" : "have") "
            + "no \(resource) request; the HPA controller reports \"missing request for \(resource)\" and never scales"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let workload = context.workload, let template = workload.measuredPodTemplate else { return [] }
        return hpa.metrics.compactMap { metric in
            guard metric.type == MetricSourceType.resource.rawValue, metric.targetsUtilization,
                let resource = metric.resourceName
            else { return nil }
            let missing = template.containersMissingRequest(for: resource, kubeVersion: context.kubeVersion)
            guard !missing.isEmpty,
                LimitRangeDefaults.source(
                    ofRequestFor: resource, in: context.resolver.limitRanges(namespace: hpa.namespace)) == nil
            else { return nil }
            return Violation(Self.message(resource: resource, missing: missing, workload: workload), at: metric.pointer)
        }
    }
}
