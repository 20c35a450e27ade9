struct ContainerResourceContainerRule: HPARule {
    static let description = RuleDescription(
        id: "container-resource-container",
        summary: "A ContainerResource metric names a container the target does not have, or one without the request",
        rationale: """
            A ContainerResource metric reads one container of each pod. The API server does not check the name \
            against the target, so a typo or a renamed container is accepted; the controller then fails with \
            "container X not found in Pod" and never scales. With a Utilization target that container also needs a \
            request for the resource ("missing request for cpu in container X"), unless a LimitRange of the \
            namespace fills one in. Sidecars (init containers with restartPolicy: Always) can be named too.
            """,
        remediation: """
            Name a container of the target's pod template that has a request for the resource (or that the \
            namespace's LimitRange gives one).
            """,
        category: .crossObject,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: triton}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: triton, image: nvcr.io/nvidia/tritonserver:24.08-py3, resources: {requests: {cpu: "4"}}}
                        - {name: envoy, image: envoy}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: triton}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
                  maxReplicas: 5
                  metrics:
                    - type: ContainerResource
                      containerResource: {name: cpu, container: triton, target: {type: Utilization, averageUtilization: 60}}
                """),
            Example("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults}
                spec:
                  limits: [{type: Container, defaultRequest: {cpu: "2"}, default: {memory: 24Gi}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: triton}
                spec: {template: {spec: {containers: [{name: triton, image: nvcr.io/nvidia/tritonserver:24.08-py3}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: triton}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
                  maxReplicas: 5
                  metrics:
                    - type: ContainerResource
                      containerResource: {name: cpu, container: triton, target: {type: Utilization, averageUtilization: 60}}
                    - type: ContainerResource
                      containerResource: {name: memory, container: triton, target: {type: Utilization, averageUtilization: 80}}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: triton}
                spec: {template: {spec: {containers: [{name: triton, image: nvcr.io/nvidia/tritonserver:24.08-py3}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: triton}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
                  maxReplicas: 5
                  metrics:
                    - type: ContainerResource
                      containerResource:
                        name: memory
                        ↓container: server
                        target: {type: AverageValue, averageValue: 20Gi}
                """),
            Example("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: triton}
                spec: {template: {spec: {containers: [{name: triton, image: nvcr.io/nvidia/tritonserver:24.08-py3}]}}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: triton}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: triton}
                  maxReplicas: 5
                  metrics:
                    - type: ContainerResource
                      containerResource:
                        name: cpu
                        ↓container: triton
                        target: {type: Utilization, averageUtilization: 60}
                """),
        ]
    )

    static func absent(_ name: String, workload: Workload, template: PodTemplate) -> String {
        let names = template.servingContainers.map(\.quotedName).joined(separator: ", ")
        return "\(workload.object.reference.kindAndName) has no container \"\(name)\" in the pods the HPA measures "
            + "(containers: \(names.isEmpty ? "none" : names)); the HPA controller cannot read the metric and never "
            + "scales"
    }

    static func missingRequest(_ container: Container, resource: String) -> String {
        "container \(container.quotedName) has no \(resource) request; the HPA controller reports \"missing request "
            + "for \(resource)\" and never scales"
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        guard let workload = context.workload, let template = workload.measuredPodTemplate else { return [] }
        return hpa.metrics.compactMap { metric in
            guard metric.type == MetricSourceType.containerResource.rawValue, let name = metric.container,
                !name.isEmpty
            else { return nil }
            let pointer = metric.pointer / "containerResource" / "container"
            guard let container = template.servingContainers.first(where: { $0.name == name }) else {
                return Violation(Self.absent(name, workload: workload, template: template), at: pointer)
            }
            guard metric.targetsUtilization, let resource = metric.resourceName, container.request(for: resource) == nil,
                LimitRangeDefaults.source(
                    ofRequestFor: resource, in: context.resolver.limitRanges(namespace: hpa.namespace)) == nil
            else { return nil }
            return Violation(Self.missingRequest(container, resource: resource), at: pointer)
        }
    }
}
