import Engine
import Manifests
import Testing
import TestSupport

/// What hpaguard reports as errors must be what the API server rejects, at the same field, for every version a user
/// writes. Each case is a small manifest and the exact set of error findings (rule, pointer as written); accepted
/// objects expect none.
///
/// The cases follow kubernetes/kubernetes `pkg/apis/autoscaling/validation/validation.go` (after `v2/defaults.go`
/// and the `v1` conversion), and their names are numbered by its parts: §3.1 metadata (`ValidateObjectMeta`), §3.2
/// minReplicas and maxReplicas, §3.3 scaleTargetRef, §3.4 metric sources, §3.5 metric targets, §3.6 metric
/// identifiers, §3.7 behavior, §5 the autoscaling/v1 annotations (`v1/conversion.go`).
///
/// Pointers are the API server's field paths mapped back to what was written: for autoscaling/v1 the CPU metric is
/// `/spec/targetCPUUtilizationPercentage` and annotation-borne fields point at their annotation. hpaguard points
/// label and annotation findings at the key, where the API server names the whole map.
@Suite("API-server parity")
struct APIServerParityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let manifest: String
        let expected: Set<String>
        var policy: String? = nil
        var kubeVersion: String? = nil
        var testDescription: String { name }
    }

    static let ref = "scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}"
    static let gateOn = "settings: {scaleToZero: true}"
    static let cpu = "{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}"
    static let external = "{type: External, external: {metric: {name: queue}, target: {type: AverageValue, averageValue: \"5\"}}}"
    static let v1Metrics = "autoscaling.alpha.kubernetes.io/metrics"
    static let v1Behavior = "autoscaling.alpha.kubernetes.io/behavior"
    static let metricsAnnotation = "/metadata/annotations/autoscaling.alpha.kubernetes.io~1metrics"
    static let behaviorAnnotation = "/metadata/annotations/autoscaling.alpha.kubernetes.io~1behavior"

    /// An HPA of `version` whose spec is `spec` (YAML lines, unindented).
    static func hpa(_ version: String, metadata: String, _ spec: String) -> String {
        let body = spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        return "apiVersion: autoscaling/\(version)\nkind: HorizontalPodAutoscaler\nmetadata: \(metadata)\nspec:\n\(body)\n"
    }

    static func hpa(_ spec: String) -> String { hpa("v2", metadata: "{name: vllm}", spec) }
    static func hpa(_ version: String, _ spec: String) -> String { hpa(version, metadata: "{name: vllm}", spec) }
    static func hpa(metadata: String, _ spec: String) -> String { hpa("v2", metadata: metadata, spec) }

    /// A v2 HPA with one metric (flow YAML), a valid target and maxReplicas 4.
    static func metric(_ metric: String, version: String = "v2") -> String {
        hpa(version, "\(ref)\nmaxReplicas: 4\nmetrics: [\(metric)]")
    }

    /// A v2 HPA with the given behavior (flow YAML).
    static func behavior(_ behavior: String) -> String { hpa("\(ref)\nmaxReplicas: 4\nbehavior: \(behavior)") }

    /// An autoscaling/v1 HPA with the given annotations (a YAML flow mapping body) and spec lines.
    static func v1(annotations: String, _ spec: String = "\(ref)\nmaxReplicas: 4") -> String {
        hpa("v1", metadata: "{name: vllm, annotations: {\(annotations)}}", spec)
    }

    static func finding(_ rule: String, _ pointer: String) -> String { "\(rule) \(pointer)" }

    static let m0 = "/spec/metrics/0"

    static let cases: [Case] = metadataCases + replicaCases + targetRefCases + metricSourceCases + metricTargetCases
        + identifierCases + behaviorCases + conversionCases

    // MARK: - §3.1 metadata

    static let metadataCases: [Case] = [
        Case(name: "3.1 name missing without generateName", manifest: hpa(metadata: "{namespace: ml}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/name")]),
        Case(name: "3.1 generateName alone, trailing dash", manifest: hpa(metadata: "{generateName: vllm-}", "\(ref)\nmaxReplicas: 4"),
             expected: []),
        Case(name: "3.1 name with uppercase and underscore", manifest: hpa(metadata: "{name: LLM_Server}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/name")]),
        Case(name: "3.1 name of 253 characters with a 70-character label: accepted (no per-label limit)",
             manifest: hpa(metadata: "{name: \(String(repeating: "a", count: 70)).\(String(repeating: "b", count: 182))}", "\(ref)\nmaxReplicas: 4"),
             expected: []),
        Case(name: "3.1 name of 254 characters", manifest: hpa(metadata: "{name: \(String(repeating: "a", count: 254))}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/name")]),
        Case(name: "3.1 name with an empty label between dots", manifest: hpa(metadata: "{name: llama..8b}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/name")]),
        Case(name: "3.1 generateName with uppercase", manifest: hpa(metadata: "{generateName: Vllm-}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/generateName")]),
        Case(name: "3.1 namespace not a DNS-1123 label", manifest: hpa(metadata: "{name: vllm, namespace: ml.serving}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/namespace")]),
        Case(name: "3.1 label key with two slashes", manifest: hpa(metadata: "{name: vllm, labels: {a/b/c: x}}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/labels/a~1b~1c")]),
        Case(name: "3.1 label value of 64 characters",
             manifest: hpa(metadata: "{name: vllm, labels: {model: \(String(repeating: "x", count: 64))}}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/labels/model")]),
        Case(name: "3.1 label value with a space", manifest: hpa(metadata: "{name: vllm, labels: {model: Llama 3}}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/labels/model")]),
        Case(name: "3.1 annotation key starting with a dash", manifest: hpa(metadata: "{name: vllm, annotations: {-owner: x}}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/annotations/-owner")]),
        Case(name: "3.1 annotation key case does not matter",
             manifest: hpa(metadata: "{name: vllm, annotations: {Example.COM/Owner: x}, labels: {app.kubernetes.io/name: vllm}}", "\(ref)\nmaxReplicas: 4"),
             expected: []),
        Case(name: "3.1 annotations over 256 KiB",
             manifest: hpa(metadata: "{name: vllm, annotations: {model-card: \(String(repeating: "x", count: 262_144))}}", "\(ref)\nmaxReplicas: 4"),
             expected: [finding("object-metadata", "/metadata/annotations")]),
    ]

    // MARK: - §3.2 replicas

    static let replicaCases: [Case] = [
        Case(name: "3.2 minReplicas 0 with an External metric, gate off", manifest: hpa("\(ref)\nminReplicas: 0\nmaxReplicas: 4\nmetrics: [\(external)]"),
             expected: [finding("min-replicas-range", "/spec/minReplicas")]),
        Case(name: "3.2 minReplicas 0 with an External metric, gate on", manifest: hpa("\(ref)\nminReplicas: 0\nmaxReplicas: 4\nmetrics: [\(external)]"),
             expected: [], policy: gateOn),
        Case(name: "3.2 minReplicas 0 with CPU only, gate on", manifest: hpa("\(ref)\nminReplicas: 0\nmaxReplicas: 4\nmetrics: [\(cpu)]"),
             expected: [finding("scale-to-zero-metrics", "/spec/metrics")], policy: gateOn),
        Case(name: "3.2 minReplicas 0 with CPU only, gate off: both errors", manifest: hpa("\(ref)\nminReplicas: 0\nmaxReplicas: 4\nmetrics: [\(cpu)]"),
             expected: [finding("min-replicas-range", "/spec/minReplicas"), finding("scale-to-zero-metrics", "/spec/metrics")]),
        Case(name: "3.2 minReplicas 0 with defaulted metrics, gate on", manifest: hpa("\(ref)\nminReplicas: 0\nmaxReplicas: 4"),
             expected: [finding("scale-to-zero-metrics", "/spec")], policy: gateOn),
        Case(name: "3.2 minReplicas -1, gate on", manifest: hpa("\(ref)\nminReplicas: -1\nmaxReplicas: 4"),
             expected: [finding("min-replicas-range", "/spec/minReplicas")], policy: gateOn),
        Case(name: "3.2 maxReplicas omitted", manifest: hpa(ref),
             expected: [finding("max-replicas-range", "/spec/maxReplicas"), finding("max-below-min", "/spec/maxReplicas")]),
        Case(name: "3.2 maxReplicas 0", manifest: hpa("\(ref)\nmaxReplicas: 0"),
             expected: [finding("max-replicas-range", "/spec/maxReplicas"), finding("max-below-min", "/spec/maxReplicas")]),
        Case(name: "3.2 maxReplicas negative", manifest: hpa("\(ref)\nmaxReplicas: -2"),
             expected: [finding("max-replicas-range", "/spec/maxReplicas"), finding("max-below-min", "/spec/maxReplicas")]),
        Case(name: "3.2 maxReplicas below minReplicas", manifest: hpa("\(ref)\nminReplicas: 5\nmaxReplicas: 2"),
             expected: [finding("max-below-min", "/spec/maxReplicas")]),
        Case(name: "3.2 minReplicas equal to maxReplicas", manifest: hpa("\(ref)\nminReplicas: 3\nmaxReplicas: 3"), expected: []),
        Case(name: "3.2 maxReplicas at int32 max", manifest: hpa("\(ref)\nmaxReplicas: 2147483647"), expected: []),
        Case(name: "3.2 v1 minReplicas 0 with CPU: metrics finding points at the CPU target",
             manifest: hpa("v1", "\(ref)\nminReplicas: 0\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: 50"),
             expected: [finding("min-replicas-range", "/spec/minReplicas"),
                        finding("scale-to-zero-metrics", "/spec/targetCPUUtilizationPercentage")]),
        Case(name: "3.2 v1 maxReplicas omitted", manifest: hpa("v1", ref),
             expected: [finding("max-replicas-range", "/spec/maxReplicas"), finding("max-below-min", "/spec/maxReplicas")]),
    ]

    // MARK: - §3.3 scaleTargetRef

    static let targetRefCases: [Case] = [
        Case(name: "3.3 kind missing", manifest: hpa("scaleTargetRef: {apiVersion: apps/v1, name: vllm}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/kind")]),
        Case(name: "3.3 name missing", manifest: hpa("scaleTargetRef: {apiVersion: apps/v1, kind: Deployment}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/name")]),
        Case(name: "3.3 scaleTargetRef missing", manifest: hpa("maxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/kind"), finding("scale-target-ref", "/spec/scaleTargetRef/name"),
                        finding("scale-target-ref", "/spec/scaleTargetRef/apiVersion")]),
        Case(name: "3.3 name LLM_Server.v2 is a valid path segment",
             manifest: hpa("scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: LLM_Server.v2}\nmaxReplicas: 4"), expected: []),
        Case(name: "3.3 kind '..'", manifest: hpa("scaleTargetRef: {apiVersion: apps/v1, kind: '..', name: vllm}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/kind")]),
        Case(name: "3.3 name with % and /", manifest: hpa("scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: a%2Fb/c}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/name")]),
        Case(name: "3.3 apiVersion with two slashes", manifest: hpa("scaleTargetRef: {apiVersion: apps/v1/beta, kind: Deployment, name: vllm}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/apiVersion")]),
        Case(name: "3.3 apiVersion v1 for a Deployment", manifest: hpa("scaleTargetRef: {apiVersion: v1, kind: Deployment, name: vllm}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/apiVersion")]),
        Case(name: "3.3 apiVersion omitted for a Deployment", manifest: hpa("scaleTargetRef: {kind: Deployment, name: vllm}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/apiVersion")]),
        Case(name: "3.3 ReplicationController in the core group", manifest: hpa("scaleTargetRef: {apiVersion: v1, kind: ReplicationController, name: rc}\nmaxReplicas: 4"),
             expected: []),
        Case(name: "3.3 the version part is not checked", manifest: hpa("scaleTargetRef: {apiVersion: apps/, kind: Deployment, name: vllm}\nmaxReplicas: 4"),
             expected: []),
        Case(name: "3.3 v1 apiVersion without group", manifest: hpa("v1", "scaleTargetRef: {apiVersion: v1, kind: StatefulSet, name: vllm}\nmaxReplicas: 4"),
             expected: [finding("scale-target-ref", "/spec/scaleTargetRef/apiVersion")]),
    ]

    // MARK: - §3.4 metric sources

    static let metricSourceCases: [Case] = [
        Case(name: "3.4 type empty", manifest: metric("{resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("metric-source", "\(m0)/type")]),
        Case(name: "3.4 type in the wrong case", manifest: metric("{type: resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("metric-source", "\(m0)/type")]),
        Case(name: "3.4 single block not matching type: Required only",
             manifest: metric("{type: Pods, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("metric-source", "\(m0)/pods")]),
        Case(name: "3.4 extra block is Forbidden",
             manifest: metric("{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: '1'}}}"),
             expected: [finding("metric-source", "\(m0)/pods")]),
        Case(name: "3.4 only the first populated block (object) has its contents validated",
             manifest: metric("{type: Pods, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: '0'}}, object: {describedObject: {apiVersion: v1, kind: Service, name: s}, metric: {name: ''}, target: {type: Value, value: '1'}}}"),
             expected: [finding("metric-source", "\(m0)/object"), finding("metric-identifier", "\(m0)/object/metric/name")]),
        Case(name: "3.4 type External without its block", manifest: metric("{type: External}"),
             expected: [finding("metric-source", "\(m0)/external")]),
        Case(name: "3.4 Resource name missing", manifest: metric("{type: Resource, resource: {target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("metric-identifier", "\(m0)/resource/name")]),
        Case(name: "3.4 Resource name nvidia.com/gpu is not validated further",
             manifest: metric("{type: Resource, resource: {name: nvidia.com/gpu, target: {type: AverageValue, averageValue: '1'}}}"), expected: []),
        Case(name: "3.4 Resource with only a value", manifest: metric("{type: Resource, resource: {name: cpu, target: {type: Value, value: '1'}}}"),
             expected: [finding("metric-target", "\(m0)/resource/target/averageUtilization")]),
        Case(name: "3.4 Resource with utilization and averageValue",
             manifest: metric("{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70, averageValue: 500m}}}"),
             expected: [finding("metric-target", "\(m0)/resource/target/averageValue")]),
        Case(name: "3.4 ContainerResource bare gpu", manifest: metric("{type: ContainerResource, containerResource: {name: gpu, container: vllm, target: {type: AverageValue, averageValue: '1'}}}"),
             expected: [finding("container-resource-name", "\(m0)/containerResource/name")]),
        Case(name: "3.4 ContainerResource pods is not a container resource",
             manifest: metric("{type: ContainerResource, containerResource: {name: pods, container: vllm, target: {type: AverageValue, averageValue: '1'}}}"),
             expected: [finding("container-resource-name", "\(m0)/containerResource/name")]),
        Case(name: "3.4 ContainerResource nvidia.com/gpu and hugepages",
             manifest: hpa("\(ref)\nmaxReplicas: 4\nmetrics:\n- {type: ContainerResource, containerResource: {name: nvidia.com/gpu, container: vllm, target: {type: AverageValue, averageValue: '1'}}}\n- {type: ContainerResource, containerResource: {name: hugepages-1Gi, container: vllm, target: {type: AverageValue, averageValue: 2Gi}}}"),
             expected: []),
        Case(name: "3.4 ContainerResource name missing", manifest: metric("{type: ContainerResource, containerResource: {container: vllm, target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("container-resource-name", "\(m0)/containerResource/name")]),
        Case(name: "3.4 ContainerResource container missing", manifest: metric("{type: ContainerResource, containerResource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("container-resource-name", "\(m0)/containerResource/container")]),
        Case(name: "3.4 ContainerResource container not a DNS-1123 label",
             manifest: metric("{type: ContainerResource, containerResource: {name: cpu, container: Model_Server, target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("container-resource-name", "\(m0)/containerResource/container")]),
        Case(name: "3.4 ContainerResource container of 64 characters",
             manifest: metric("{type: ContainerResource, containerResource: {name: cpu, container: \(String(repeating: "c", count: 64)), target: {type: Utilization, averageUtilization: 70}}}"),
             expected: [finding("container-resource-name", "\(m0)/containerResource/container")]),
        Case(name: "3.4 ContainerResource with utilization and averageValue",
             manifest: metric("{type: ContainerResource, containerResource: {name: cpu, container: vllm, target: {type: Utilization, averageUtilization: 70, averageValue: '1'}}}"),
             expected: [finding("metric-target", "\(m0)/containerResource/target/averageValue")]),
        Case(name: "3.4 Pods without averageValue", manifest: metric("{type: Pods, pods: {metric: {name: q}, target: {type: Value, value: '5'}}}"),
             expected: [finding("metric-target", "\(m0)/pods/target/averageValue")]),
        Case(name: "3.4 Pods type is not cross-checked", manifest: metric("{type: Pods, pods: {metric: {name: q}, target: {type: Utilization, averageValue: '5'}}}"),
             expected: []),
        Case(name: "3.4 Object without value or averageValue",
             manifest: metric("{type: Object, object: {describedObject: {apiVersion: v1, kind: Service, name: s}, metric: {name: q}, target: {type: Value}}}"),
             expected: [finding("metric-target", "\(m0)/object/target/averageValue")]),
        Case(name: "3.4 Object with both value and averageValue",
             manifest: metric("{type: Object, object: {describedObject: {apiVersion: v1, kind: Service, name: s}, metric: {name: q}, target: {type: Value, value: '10', averageValue: '2'}}}"),
             expected: []),
        Case(name: "3.4 Object describedObject without kind, core group allowed",
             manifest: metric("{type: Object, object: {describedObject: {name: s}, metric: {name: q}, target: {type: Value, value: '10'}}}"),
             expected: [finding("metric-identifier", "\(m0)/object/describedObject/kind")]),
        Case(name: "3.4 Object describedObject apiVersion with two slashes",
             manifest: metric("{type: Object, object: {describedObject: {apiVersion: networking.k8s.io/v1/x, kind: Ingress, name: s}, metric: {name: q}, target: {type: Value, value: '10'}}}"),
             expected: [finding("metric-identifier", "\(m0)/object/describedObject/apiVersion")]),
        Case(name: "3.4 Object describedObject name with /",
             manifest: metric("{type: Object, object: {describedObject: {apiVersion: v1, kind: Service, name: a/b}, metric: {name: q}, target: {type: Value, value: '10'}}}"),
             expected: [finding("metric-identifier", "\(m0)/object/describedObject/name")]),
        Case(name: "3.4 External without value or averageValue",
             manifest: metric("{type: External, external: {metric: {name: q}, target: {type: Value}}}"),
             expected: [finding("metric-target", "\(m0)/external/target/averageValue")]),
        Case(name: "3.4 External with both value and averageValue",
             manifest: metric("{type: External, external: {metric: {name: q}, target: {type: Value, value: '10', averageValue: '2'}}}"),
             expected: [finding("metric-target", "\(m0)/external/target/value")]),
    ]

    // MARK: - §3.5 targets

    static let metricTargetCases: [Case] = [
        Case(name: "3.5 target missing", manifest: metric("{type: Pods, pods: {metric: {name: q}}}"),
             expected: [finding("metric-target", "\(m0)/pods/target/type"), finding("metric-target", "\(m0)/pods/target/averageValue")]),
        Case(name: "3.5 target type unknown", manifest: metric("{type: Pods, pods: {metric: {name: q}, target: {type: Average, averageValue: '1'}}}"),
             expected: [finding("metric-target", "\(m0)/pods/target/type")]),
        Case(name: "3.5 value 0", manifest: metric("{type: External, external: {metric: {name: q}, target: {type: Value, value: '0'}}}"),
             expected: [finding("metric-target", "\(m0)/external/target/value")]),
        Case(name: "3.5 averageValue negative", manifest: metric("{type: Pods, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: -500m}}}"),
             expected: [finding("metric-target", "\(m0)/pods/target/averageValue")]),
        Case(name: "3.5 averageUtilization 0", manifest: metric("{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 0}}}"),
             expected: [finding("metric-target", "\(m0)/resource/target/averageUtilization")]),
        Case(name: "3.5 averageUtilization 300 is legal", manifest: metric("{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 300}}}"),
             expected: []),
        Case(name: "3.5 v1 targetCPUUtilizationPercentage 0", manifest: hpa("v1", "\(ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: 0"),
             expected: [finding("metric-target", "/spec/targetCPUUtilizationPercentage")]),
        Case(name: "3.5 v1 targetCPUUtilizationPercentage negative", manifest: hpa("v1", "\(ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: -5"),
             expected: [finding("metric-target", "/spec/targetCPUUtilizationPercentage")]),
        Case(name: "3.5 v1 targetCPUUtilizationPercentage null defaults to 80", manifest: hpa("v1", "\(ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: null"),
             expected: []),
        Case(name: "3.5 v2beta2 averageUtilization 0", manifest: metric("{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}}", version: "v2beta2"),
             expected: [finding("metric-target", "\(m0)/resource/target/averageUtilization")], kubeVersion: "1.25"),
        Case(name: "3.5 v2beta1 targetAverageUtilization 0",
             manifest: hpa("v2beta1", "\(ref)\nmaxReplicas: 4\nmetrics: [{type: Resource, resource: {name: cpu, targetAverageUtilization: 0}}]"),
             expected: [finding("metric-target", "\(m0)/resource/targetAverageUtilization")], kubeVersion: "1.24"),
    ]

    // MARK: - §3.6 metric identifiers

    static let identifierCases: [Case] = [
        Case(name: "3.6 Prometheus name with a colon", manifest: metric("{type: Pods, pods: {metric: {name: 'vllm:num_requests_waiting'}, target: {type: AverageValue, averageValue: '5'}}}"),
             expected: []),
        Case(name: "3.6 Stackdriver name with pipes",
             manifest: metric("{type: External, external: {metric: {name: 'pubsub.googleapis.com|subscription|num_undelivered_messages'}, target: {type: AverageValue, averageValue: '100'}}}"),
             expected: []),
        Case(name: "3.6 metric name missing", manifest: metric("{type: Pods, pods: {metric: {selector: {matchLabels: {a: b}}}, target: {type: AverageValue, averageValue: '5'}}}"),
             expected: [finding("metric-identifier", "\(m0)/pods/metric/name")]),
        Case(name: "3.6 metric name '.'", manifest: metric("{type: Pods, pods: {metric: {name: .}, target: {type: AverageValue, averageValue: '5'}}}"),
             expected: [finding("metric-identifier", "\(m0)/pods/metric/name")]),
        Case(name: "3.6 metric name with /", manifest: metric("{type: External, external: {metric: {name: requests/s}, target: {type: Value, value: '5'}}}"),
             expected: [finding("metric-identifier", "\(m0)/external/metric/name")]),
        Case(name: "3.6 selectors are not validated",
             manifest: metric("{type: External, external: {metric: {name: q, selector: {matchExpressions: [{key: a, operator: Equals, values: [b]}]}}, target: {type: Value, value: '5'}}}"),
             expected: []),
    ]

    // MARK: - §3.7 behavior

    static let behaviorCases: [Case] = [
        Case(name: "3.7 stabilizationWindowSeconds negative", manifest: behavior("{scaleUp: {stabilizationWindowSeconds: -1}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleUp/stabilizationWindowSeconds")]),
        Case(name: "3.7 stabilizationWindowSeconds over an hour", manifest: behavior("{scaleDown: {stabilizationWindowSeconds: 3601}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleDown/stabilizationWindowSeconds")]),
        Case(name: "3.7 stabilizationWindowSeconds 3600 and Percent 900", manifest: behavior("{scaleDown: {stabilizationWindowSeconds: 3600, policies: [{type: Percent, value: 900, periodSeconds: 1800}]}}"),
             expected: []),
        Case(name: "3.7 selectPolicy in the wrong case", manifest: behavior("{scaleUp: {selectPolicy: max}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleUp/selectPolicy")]),
        Case(name: "3.7 explicit empty policies", manifest: behavior("{scaleDown: {policies: []}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleDown/policies")]),
        Case(name: "3.7 omitted policies are defaulted", manifest: behavior("{scaleDown: {stabilizationWindowSeconds: 300}, scaleUp: {selectPolicy: Disabled}}"),
             expected: []),
        Case(name: "3.7 empty behavior is defaulted", manifest: behavior("{}"), expected: []),
        Case(name: "3.7 policy type unknown", manifest: behavior("{scaleUp: {policies: [{type: Pod, value: 4, periodSeconds: 15}]}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleUp/policies/0/type")]),
        Case(name: "3.7 policy value 0 and periodSeconds missing", manifest: behavior("{scaleUp: {policies: [{type: Pods, value: 0}]}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleUp/policies/0/value"),
                        finding("behavior-bounds", "/spec/behavior/scaleUp/policies/0/periodSeconds")]),
        Case(name: "3.7 periodSeconds over 30 minutes", manifest: behavior("{scaleDown: {policies: [{type: Percent, value: 10, periodSeconds: 1801}]}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleDown/policies/0/periodSeconds")]),
        Case(name: "3.7 negative tolerance with the gate on (1.36)", manifest: behavior("{scaleDown: {tolerance: -0.1}}"),
             expected: [finding("behavior-bounds", "/spec/behavior/scaleDown/tolerance")]),
        Case(name: "3.7 negative tolerance is dropped before 1.35", manifest: behavior("{scaleDown: {tolerance: -0.1}}"),
             expected: [], kubeVersion: "1.34"),
        Case(name: "3.7 tolerance 100m and 0", manifest: behavior("{scaleUp: {tolerance: 100m}, scaleDown: {tolerance: 0}}"), expected: []),
    ]

    // MARK: - §5 autoscaling/v1 annotations

    static let conversionCases: [Case] = [
        Case(name: "5 v1 metrics annotation: metric name with / points at the annotation",
             manifest: v1(annotations: #"\#(v1Metrics): '[{"type":"Pods","pods":{"metricName":"a/b","targetAverageValue":"5"}}]'"#),
             expected: [finding("metric-identifier", metricsAnnotation)]),
        Case(name: "5 v1 metrics annotation: Object metric without targetValue reads as 0",
             manifest: v1(annotations: #"\#(v1Metrics): '[{"type":"Object","object":{"target":{"apiVersion":"v1","kind":"Service","name":"s"},"metricName":"q"}}]'"#),
             expected: [finding("metric-target", metricsAnnotation)]),
        Case(name: "5 v1 metrics annotation with CPU and minReplicas 0: the annotation is the metrics list",
             manifest: v1(annotations: #"\#(v1Metrics): '[{"type":"Pods","pods":{"metricName":"q","targetAverageValue":"5"}}]'"#,
                          "\(ref)\nminReplicas: 0\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: 0"),
             expected: [finding("min-replicas-range", "/spec/minReplicas"), finding("scale-to-zero-metrics", metricsAnnotation),
                        finding("metric-target", "/spec/targetCPUUtilizationPercentage")]),
        Case(name: "5 v1 behavior annotation: window out of bounds",
             manifest: v1(annotations: #"\#(v1Behavior): '{"ScaleDown":{"StabilizationWindowSeconds":4000,"Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}]}}'"#),
             expected: [finding("behavior-bounds", behaviorAnnotation)]),
        Case(name: "5 v1 behavior annotation is not defaulted: policies required",
             manifest: v1(annotations: #"\#(v1Behavior): '{"ScaleUp":{"SelectPolicy":"Max"}}'"#),
             expected: [finding("behavior-bounds", behaviorAnnotation)]),
        Case(name: "5 v1 annotations that do not parse are ignored (a warning, not an error)",
             manifest: v1(annotations: "\(v1Metrics): 'not json', \(v1Behavior): '[1]'"),
             expected: []),
    ]

    @Test("errors match the API server's", arguments: cases)
    func parity(_ parityCase: Case) throws {
        let findings = try RuleVerifier.lint(parityCase.manifest, policy: parityCase.policy, kubeVersion: parityCase.kubeVersion)
        let errors = Set(findings.filter { $0.severity == .error }.map { Self.finding($0.rule, $0.path?.description ?? "-") })
        #expect(errors == parityCase.expected, "\(findings.map { "\($0.rule) \($0.path?.description ?? "-"): \($0.message)" })")
    }

    @Test("the table covers every §3 subsection and has at least 60 cases")
    func coverage() {
        #expect(Self.cases.count >= 60)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "case names are unique")
        for section in ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "5"] {
            #expect(Self.cases.contains { $0.name.hasPrefix(section + " ") }, "no case for §\(section)")
        }
    }

    // MARK: - Conversion details the table relies on

    static func converted(_ manifest: String) throws -> HPA {
        let object = try #require(ManifestLoader.load(Array(manifest.utf8), file: "hpa.yaml").objects.first)
        return try #require(HPA(object))
    }

    @Test("autoscaling/v1 has no metrics list: it maps to the CPU target, or to the metrics annotation")
    func v1MetricsListPointer() throws {
        let cpuOnly = try Self.converted(Self.hpa("v1", "\(Self.ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: 50"))
        #expect(cpuOnly.originalPointer(for: "/spec/metrics") == "/spec/targetCPUUtilizationPercentage")
        let annotated = try Self.converted(Self.v1(
            annotations: #"\#(Self.v1Metrics): '[{"type":"Pods","pods":{"metricName":"q","targetAverageValue":"5"}}]'"#,
            "\(Self.ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: 50"))
        #expect(annotated.originalPointer(for: "/spec/metrics") == JSONPointer(Self.metricsAnnotation))
        #expect(annotated.originalPointer(for: "/spec/metrics/1/resource/target") == "/spec/targetCPUUtilizationPercentage")
        let defaulted = try Self.converted(Self.hpa("v1", "\(Self.ref)\nmaxReplicas: 4"))
        #expect(defaulted.originalPointer(for: "/spec/metrics") == "/spec")
    }

    @Test("a null targetCPUUtilizationPercentage is a nil pointer: the CPU default of 80 applies")
    func v1NullCPUTarget() throws {
        let hpa = try Self.converted(Self.hpa("v1", "\(Self.ref)\nmaxReplicas: 4\ntargetCPUUtilizationPercentage: null"))
        #expect(hpa.metrics.count == 1)
        #expect(hpa.metrics.first?.target?["averageUtilization"] == 80)
        #expect(hpa.defaulted.contains("/spec/metrics"))
    }

    @Test("v1 annotations that do not parse are reported as warnings where they were written")
    func unparseableAnnotations() throws {
        let findings = try RuleVerifier.lint(Self.v1(annotations: "\(Self.v1Metrics): 'not json', \(Self.v1Behavior): '[1]'"))
            .filter { $0.rule == "conversion-annotation" }
        #expect(Set(findings.map { $0.path?.description ?? "-" }) == [Self.metricsAnnotation, Self.behaviorAnnotation])
        #expect(findings.allSatisfy { $0.severity == .warning })
    }

    @Test("tolerance-needs-gate is info and names what the kube version does", arguments: ["1.32", "1.34", "1.36"])
    func toleranceGate(kubeVersion: String) throws {
        let findings = try RuleVerifier.lint(Self.behavior("{scaleDown: {tolerance: 0.05}}"), kubeVersion: kubeVersion)
            .filter { $0.rule == "tolerance-needs-gate" }
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .info)
        #expect(findings.first?.path?.description == "/spec/behavior/scaleDown/tolerance")
        #expect(findings.first?.message.contains(kubeVersion < "1.35" ? "drop" : "on by default") == true)
    }

    @Test("tolerance-needs-gate is silent once the gate is GA") func toleranceGateGA() throws {
        let findings = try RuleVerifier.lint(Self.behavior("{scaleDown: {tolerance: 0.05}}"), kubeVersion: "1.37")
        #expect(!findings.contains { $0.rule == "tolerance-needs-gate" })
    }
}
