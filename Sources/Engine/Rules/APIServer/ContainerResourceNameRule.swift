struct ContainerResourceNameRule: HPARule {
    /// `standardResources` (pkg/apis/core/helper): names that need no domain prefix.
    static let standardResources: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services",
        "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
        "services.nodeports", "services.loadbalancers",
    ]
    /// `standardContainerResources`, plus `hugepages-*`: what a container can request without a domain.
    static let containerResources: Set<String> = ["cpu", "memory", "ephemeral-storage"]

    static let notStandard = "must be a standard resource type or fully qualified"
    static let notForContainers =
        "must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-*)"
    static let notExtended =
        "doesn't follow extended resource name standard (a domain, '/', then a name, such as nvidia.com/gpu)"

    static func nameRequired(_ path: String) -> String { "\(path) is required: must specify a resource name" }
    static func containerRequired(_ path: String) -> String { "\(path) is required: must specify a container" }

    static func invalid(_ path: String, _ value: String, _ problems: [String]) -> String {
        "\(path) \"\(value)\" is invalid: \(problems.joined(separator: "; "))"
    }

    static let description = RuleDescription(
        id: "container-resource-name",
        summary: "A ContainerResource metric lacks a valid container, or names a resource containers do not have",
        rationale: """
            Unlike a Resource metric, a ContainerResource metric's name goes through the API server's container \
            resource check (ValidateContainerResourceName): without a '/', it must be cpu, memory, \
            ephemeral-storage or hugepages-* (so bare gpu and pods fail); with a '/', it must be a kubernetes.io \
            resource or a valid extended resource name such as nvidia.com/gpu. The container must be set and be a \
            DNS-1123 label (at most 63 lowercase letters, digits and '-'), as container names are. ContainerResource \
            metrics let a model server scale on its own container while sidecars are ignored.
            """,
        remediation: """
            Use cpu, memory or a fully qualified extended resource (nvidia.com/gpu) as name, and the container's \
            name from the pod template as container.
            """,
        category: .apiServer,
        defaultSeverity: .error,
        validExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                  - type: ContainerResource
                    containerResource: {name: cpu, container: vllm, target: {type: Utilization, averageUtilization: 70}}
                  - type: ContainerResource
                    containerResource: {name: nvidia.com/gpu, container: vllm, target: {type: AverageValue, averageValue: "1"}}
                  - type: ContainerResource
                    containerResource: {name: hugepages-2Mi, container: vllm, target: {type: AverageValue, averageValue: 1Gi}}
                """),
        ],
        invalidExamples: [
            Example("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: vllm}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                  metrics:
                  - type: ContainerResource
                    containerResource: {↓name: gpu, ↓container: vLLM_Server, target: {type: AverageValue, averageValue: "1"}}
                  - type: ContainerResource
                    ↓containerResource: {↓name: pods, target: {type: AverageValue, averageValue: "1"}}
                  - type: ContainerResource
                    containerResource: {↓name: "", container: vllm, target: {type: Utilization, averageUtilization: 70}}
                """),
            Example("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm
                  annotations:
                    ↓autoscaling.alpha.kubernetes.io/metrics: '[{"type":"ContainerResource","containerResource":{"name":"example.com/","container":"vllm","targetAverageUtilization":60}}]'
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
                  maxReplicas: 4
                """),
        ]
    )

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        hpa.metrics.compactMap(\.validatedSource).filter { $0.type == .containerResource }
            .flatMap { check($0, in: hpa) }
    }

    private func check(_ source: ValidatedMetricSource, in hpa: HPA) -> [Violation] {
        [
            check(source, "name", in: hpa, required: Self.nameRequired, problems: Self.resourceNameProblems),
            check(
                source, "container", in: hpa, required: Self.containerRequired, problems: NameValidation.dns1123Label),
        ].compactMap { $0 }
    }

    private func check(
        _ source: ValidatedMetricSource, _ key: String, in hpa: HPA, required: (String) -> String,
        problems: (String) -> [String]
    ) -> Violation? {
        guard let value = source.value[key].decodedString else { return nil }
        if value.isEmpty { return hpa.violation(at: source.pointer / key, required) }
        let found = problems(value)
        return found.isEmpty ? nil : hpa.violation(at: source.pointer / key) { Self.invalid($0, value, found) }
    }

    /// `ValidateContainerResourceName` (pkg/apis/core/validation).
    static func resourceNameProblems(_ name: String) -> [String] {
        let qualified = NameValidation.qualifiedName(name)
        let hasDomain = name.contains("/")
        var problems = qualified
        // IsStandardResourceName also takes quota hugepages names (hugepages-*, requests.hugepages-*).
        let isHugePages = name.hasPrefix("hugepages-") || name.hasPrefix("requests.hugepages-")
        if qualified.isEmpty, !hasDomain, !standardResources.contains(name), !isHugePages {
            problems.append(notStandard)
        }
        if !hasDomain {
            if !containerResources.contains(name), !name.hasPrefix("hugepages-") { problems.append(notForContainers) }
        } else if !isNative(name), !isExtended(name) {
            problems.append(notExtended)
        }
        return problems
    }

    /// `IsNativeResource`: no domain, or a kubernetes.io domain.
    private static func isNative(_ name: String) -> Bool { !name.contains("/") || name.contains("kubernetes.io/") }

    /// `IsExtendedResourceName`: not native, and still a qualified name as the quota name `requests.<name>`.
    private static func isExtended(_ name: String) -> Bool {
        !isNative(name) && !name.hasPrefix("requests.") && NameValidation.qualifiedName("requests." + name).isEmpty
    }
}
