import Engine

/// Why an HPA cannot be simulated with the options given (exit 2 in the CLI).
public struct SimulationRefusal: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What the user asked for, besides the HPA and the trace.
public struct SimulationOptions: Sendable {
    public var metric: String?
    public var capacity: Double?
    public var initialReplicas: Int32?
    public var modelLoadSeconds: Double?
    public var syncPeriod: Double = 15
    public var withProfile = false
    public var kubeVersion: KubeVersion = .newestStable
    /// True when the trace counts requests (its load is requests per second).
    public var perRequestTrace = false

    public init() {}
}

/// The runs to simulate for one HPA, and everything assumed on the way.
public struct Scenario: Sendable {
    public var hpaName: String
    public var namespace: String?
    public var version: String
    public var target: String
    public var minReplicas: Int32
    public var maxReplicas: Int32
    public var metricDescription: String
    /// The unit of the load (and of capacity): `cores`, `bytes`, `requests/s`, or the metric's own.
    public var loadUnit: String
    /// What the controller's metric value is in: `%` or the load's unit per pod (or in total).
    public var metricUnit: String
    public var loadSeconds: Double
    public var loadSource: String
    public var capacity: Double?
    public var runs: [RunConfiguration]
    public var assumptions: [String]
    /// The profile the second run uses, with why it was chosen.
    public var profile: String?

    /// Builds the runs from the HPA as the engine converts and defaults it, its target when resolved, and the policy.
    public init(
        hpa: HPA, workload: Workload?, policy: Policy, options: SimulationOptions
    ) throws(SimulationRefusal) {
        let name = hpa.name ?? "(unnamed)"
        hpaName = name
        namespace = hpa.namespace
        version = hpa.version
        let ref = hpa.scaleTargetRef
        target = "\(ref.kind) \(ref.name)"
        guard let maxReplicas = hpa.maxReplicas, maxReplicas >= 1, maxReplicas <= Int64(Int32.max) else {
            throw SimulationRefusal(
                "HPA \(name): spec.maxReplicas is missing or below 1; the API server would reject it")
        }
        let minReplicas = hpa.minReplicas ?? 1
        guard minReplicas >= 0, minReplicas <= maxReplicas else {
            throw SimulationRefusal(
                "HPA \(name): minReplicas \(minReplicas) is outside 0...maxReplicas (\(maxReplicas))")
        }
        self.minReplicas = Int32(minReplicas)
        self.maxReplicas = Int32(maxReplicas)
        var assumptions: [String] = []

        // The metric the trace drives.
        let metrics = hpa.metrics
        guard !metrics.isEmpty else { throw SimulationRefusal("HPA \(name) has no metrics") }
        let chosen: HPA.Metric
        if let wanted = options.metric {
            guard let match = metrics.first(where: { $0.metricName == wanted || $0.resourceName == wanted }) else {
                let names = metrics.map { $0.metricName ?? $0.resourceName ?? $0.type }.joined(separator: ", ")
                throw SimulationRefusal("HPA \(name) has no metric named \(wanted) (it has: \(names))")
            }
            chosen = match
        } else {
            chosen = metrics[0]
        }
        let (metric, description, unit, mapping) = try Self.controllerMetric(chosen, hpa: name)
        metricDescription = description
        if metrics.count > 1 {
            let others = metrics.filter { $0.index != chosen.index }.map { $0.metricName ?? $0.resourceName ?? $0.type }
            assumptions.append(
                "only \(description) is driven by the trace; the HPA's other metric(s) (\(others.joined(separator: ", "))) are left out, as if they never proposed more replicas"
            )
        }

        // Load time: the flag, the annotation, the startupProbe budget, the profile's default, 0.
        let mutator = Mutator(policy: policy)
        let selection = mutator.selectedProfile(hpa: hpa, workload: workload)
        if let flag = options.modelLoadSeconds {
            loadSeconds = flag
            loadSource = "--model-load-seconds"
        } else if let known = hpa.modelLoadTime(workload: workload) {
            loadSeconds = Double(known.seconds)
            loadSource = known.source
        } else if let selection {
            loadSeconds = Double(selection.profile.defaultModelLoadSeconds)
            loadSource = "the \(selection.profile.name) profile's default"
        } else {
            loadSeconds = 0
            loadSource = "nothing says otherwise (no annotation, startupProbe or profile)"
        }
        assumptions.append(
            "a new pod is Ready \(GoDuration.format(loadSeconds)) after it is created (model load time, from \(loadSource)); pods created at a sync are listed by the next one"
        )

        // Capacity and the load's unit.
        var request: Double?
        if case .resource(let resource, let container) = metric.source {
            request = Self.podRequest(workload: workload, resource: resource, container: container)
        }
        var capacity = options.capacity
        let unitName = options.perRequestTrace ? "requests/s" : unit
        switch metric.target {
        case .utilization(let percent):
            if options.perRequestTrace, capacity == nil {
                throw SimulationRefusal(
                    "HPA \(name): the trace counts requests, and a Utilization target (\(percent) % of \(description)) needs --capacity: the requests per second one pod serves at 100 % of its request"
                )
            }
            if capacity == nil, let request {
                capacity = request
                assumptions.append(
                    "one pod carries \(simulationFormat(request)) \(unit) at 100 % of its request (the target's request for \(description))"
                )
            }
            guard let perPod = capacity, perPod > 0 else {
                throw SimulationRefusal(
                    "HPA \(name): a Utilization target (\(percent) % of \(description)) needs --capacity (the load one pod carries at 100 % of its request); the target's request is not known from the files given"
                )
            }
            if options.capacity != nil {
                assumptions.append(
                    "one pod carries \(simulationFormat(perPod)) \(unitName) at 100 % of its request (--capacity)")
            }
        default:
            if let perPod = capacity {
                assumptions.append("one pod carries \(simulationFormat(perPod)) \(unitName) (--capacity)")
            } else {
                assumptions.append("unserved load is not computed: no --capacity says how much load one pod carries")
            }
        }
        if let perPod = capacity, perPod <= 0 { throw SimulationRefusal("--capacity must be above 0") }
        self.capacity = capacity
        loadUnit = unitName
        if case .utilization = metric.target { metricUnit = "%" } else { metricUnit = unitName }
        assumptions.append(
            mapping == .total
                ? "the load (\(unitName)) is the metric's value, whatever the number of pods"
                : "the load (\(unitName), summed over the workload) is shared evenly by the ready pods; loading pods report no \(metric.source.isCPU ? "usable CPU sample (the controller counts them as unready)" : "metric (a model server exports none before it serves)")"
        )
        if options.perRequestTrace {
            assumptions.append(
                "requests are counted per \(GoDuration.format(options.syncPeriod)) and turned into requests per second")
        }
        assumptions.append(
            "the controller syncs every \(GoDuration.format(options.syncPeriod)) with kube-controller-manager's defaults (tolerance 0.1, downscale stabilization 5m, CPU initialization 5m, initial readiness delay 30s); metrics are read at the sync, without delay"
        )

        let accelerators = Self.acceleratorsPerPod(workload: workload)
        var configurationOptions = ControllerOptions()
        configurationOptions.configurableTolerance = !(options.kubeVersion < KubeVersion(major: 1, minor: 35))
        let requestMilli = Int64(((capacity ?? request ?? 0) * 1000).rounded(.up))

        let runLoadSeconds = loadSeconds
        let runCapacity = capacity
        func configuration(_ runName: String, _ hpa: HPA) throws(SimulationRefusal) -> RunConfiguration {
            let behavior = try Self.behavior(hpa)
            guard let maximum = hpa.maxReplicas, let minimum = hpa.minReplicas else {
                throw SimulationRefusal("HPA \(name): no replica bounds")
            }
            let spec = ControllerSpec(
                minReplicas: Int32(minimum), maxReplicas: Int32(maximum), metrics: [metric], behavior: behavior)
            let initial = options.initialReplicas ?? Int32(minimum)
            return RunConfiguration(
                name: runName, spec: spec, behavior: hpa.behavior ?? .null,
                options: configurationOptions, mapping: mapping, loadSeconds: runLoadSeconds, capacity: runCapacity,
                requestMilli: requestMilli, initialReplicas: initial, acceleratorsPerPod: accelerators)
        }
        var runs = [try configuration("as written", hpa)]
        if options.initialReplicas == nil {
            assumptions.append("the workload starts at minReplicas with every pod ready")
        }

        if options.withProfile {
            let resolution: TargetResolution = workload.map { .found($0) } ?? .notFound(complete: false)
            let plan = mutator.plan(for: hpa, target: resolution, vantage: .manifest)
            switch plan.outcome {
            case .profile(let profile, let source, _, _):
                self.profile = "\(profile.name) (\(source))"
                if plan.operations.isEmpty {
                    assumptions.append(
                        "the \(profile.name) profile changes nothing on this HPA (its behavior is already set), so both runs are the same"
                    )
                    runs.append(try configuration("with profile", hpa))
                } else {
                    let patched: JSONValue
                    do {
                        patched = try JSONPatch.apply(plan.operations, to: hpa.object.value)
                    } catch {
                        throw SimulationRefusal(
                            "HPA \(name): the \(profile.name) profile's patch does not apply: \(error)")
                    }
                    guard let mutated = HPA(ManifestObject(value: patched, file: hpa.object.file)) else {
                        throw SimulationRefusal("HPA \(name): the profile's result is not an HPA")
                    }
                    runs.append(try configuration("with profile", mutated))
                }
            case .noProfile:
                throw SimulationRefusal(
                    "HPA \(name): --with-profile, but no profile applies (no hpaguard.io/profile annotation, policy selector or detected model server/accelerator)"
                )
            case .ownedElsewhere(let owner):
                throw SimulationRefusal("HPA \(name): --with-profile, but \(owner)")
            case .notMutable(let reason):
                throw SimulationRefusal("HPA \(name): --with-profile, but \(reason)")
            case .unknownProfile(let profile):
                throw SimulationRefusal(
                    "HPA \(name): --with-profile, but the hpaguard.io/profile annotation names an unknown profile '\(profile)'"
                )
            }
        }
        self.runs = runs
        if accelerators > 0 {
            assumptions.append(
                "each pod holds \(simulationFormat(accelerators)) accelerator(s): replica-seconds are also given as GPU-hours"
            )
        }
        assumptions.append(
            "this is a simulation of the HPA controller's algorithm over an assumed load, not a measurement")
        self.assumptions = assumptions
    }

    // MARK: - From the engine's HPA to the controller's terms

    static func milli(_ value: JSONValue?) -> Int64? {
        guard let value, let quantity = Quantity(value) else { return nil }
        return Int64((quantity.value * 1000).rounded(.up))
    }

    static func controllerMetric(
        _ metric: HPA.Metric, hpa name: String
    ) throws(SimulationRefusal) -> (ControllerSpec.Metric, String, String, LoadMapping) {
        let target = metric.target
        let targetType = target?["type"]?.stringValue ?? ""
        func targetValue() throws(SimulationRefusal) -> ControllerSpec.Target {
            switch targetType {
            case "Utilization":
                guard let percent = target?["averageUtilization"]?.integerValue, percent > 0,
                    percent <= Int64(Int32.max)
                else {
                    throw SimulationRefusal(
                        "HPA \(name): metric \(metric.index) has a Utilization target without a positive averageUtilization"
                    )
                }
                return .utilization(Int32(percent))
            case "AverageValue":
                guard let value = milli(target?["averageValue"]), value > 0 else {
                    throw SimulationRefusal(
                        "HPA \(name): metric \(metric.index) has an AverageValue target without a positive averageValue"
                    )
                }
                return .averageValue(value)
            case "Value":
                guard let value = milli(target?["value"]), value > 0 else {
                    throw SimulationRefusal(
                        "HPA \(name): metric \(metric.index) has a Value target without a positive value")
                }
                return .value(value)
            default:
                throw SimulationRefusal(
                    "HPA \(name): metric \(metric.index) has no target type the controller knows ('\(targetType)')")
            }
        }
        switch metric.sourceType {
        case .resource?, .containerResource?:
            guard let resource = metric.resourceName else {
                throw SimulationRefusal("HPA \(name): metric \(metric.index) names no resource")
            }
            let value = try targetValue()
            if case .value = value {
                throw SimulationRefusal(
                    "HPA \(name): a \(metric.type) metric takes a Utilization or AverageValue target, not Value")
            }
            let container = metric.type == "ContainerResource" ? metric.container : nil
            let unit = resource == "cpu" ? "cores" : resource == "memory" ? "bytes" : resource
            let what = container.map { "\(resource) of container \($0)" } ?? resource
            return (
                ControllerSpec.Metric(source: .resource(name: resource, container: container), target: value), what,
                unit, .perPodShare
            )
        case .pods?:
            let metricName = metric.metricName ?? "(unnamed)"
            let value = try targetValue()
            guard case .averageValue = value else {
                throw SimulationRefusal("HPA \(name): a Pods metric takes an AverageValue target")
            }
            return (
                ControllerSpec.Metric(source: .pods(name: metricName), target: value), "the Pods metric \(metricName)",
                metricName, .perPodShare
            )
        case .object?, .external?:
            let metricName = metric.metricName ?? "(unnamed)"
            let value = try targetValue()
            if case .utilization = value {
                throw SimulationRefusal(
                    "HPA \(name): an \(metric.type) metric takes a Value or AverageValue target, not Utilization")
            }
            let source: ControllerSpec.Source =
                metric.type == "Object" ? .object(name: metricName) : .external(name: metricName)
            return (
                ControllerSpec.Metric(source: source, target: value), "the \(metric.type) metric \(metricName)",
                metricName, .total
            )
        case nil:
            throw SimulationRefusal(
                "HPA \(name): metric \(metric.index) has type '\(metric.type)', which the controller does not know; one load column cannot drive it"
            )
        }
    }

    /// The internal `behavior` in the controller's terms; nil without one. A behavior from the v1 annotation is not
    /// defaulted by the API server, so its gaps get the same defaults here.
    static func behavior(_ hpa: HPA) throws(SimulationRefusal) -> ControllerSpec.Behavior? {
        guard let behavior = hpa.behavior else { return nil }
        func rules(_ key: String, defaults: ControllerSpec.Rules) throws(SimulationRefusal) -> ControllerSpec.Rules {
            guard let value = behavior[key], !value.isNull else { return defaults }
            var result = defaults
            if let window = value["stabilizationWindowSeconds"], !window.isNull {
                guard let seconds = window.integerValue, (0...3600).contains(seconds) else {
                    throw SimulationRefusal("behavior.\(key).stabilizationWindowSeconds must be 0 to 3600")
                }
                result.stabilizationWindowSeconds = Int32(seconds)
            }
            if let select = value["selectPolicy"]?.stringValue {
                guard let policy = ControllerSpec.SelectPolicy(rawValue: select) else {
                    throw SimulationRefusal("behavior.\(key).selectPolicy '\(select)' is not Max, Min or Disabled")
                }
                result.selectPolicy = policy
            }
            if let list = value["policies"]?.arrayValue {
                result.policies = try list.map { (item: JSONValue) throws(SimulationRefusal) -> ControllerSpec.Policy in
                    guard let kind = item["type"]?.stringValue.flatMap(ControllerSpec.Policy.Kind.init(rawValue:)),
                        let amount = item["value"]?.integerValue, amount > 0, amount <= Int64(Int32.max),
                        let period = item["periodSeconds"]?.integerValue, (1...1800).contains(period)
                    else {
                        throw SimulationRefusal(
                            "behavior.\(key).policies: each needs type Pods or Percent, value > 0, periodSeconds 1 to 1800"
                        )
                    }
                    return ControllerSpec.Policy(kind, Int32(amount), periodSeconds: Int32(period))
                }
            }
            if let tolerance = value["tolerance"], !tolerance.isNull {
                guard let quantity = Quantity(tolerance), quantity.value >= 0 else {
                    throw SimulationRefusal("behavior.\(key).tolerance must be a quantity of at least 0")
                }
                result.tolerance = quantity.value
            }
            return result
        }
        return ControllerSpec.Behavior(
            scaleUp: try rules("scaleUp", defaults: .defaultScaleUp),
            scaleDown: try rules("scaleDown", defaults: .defaultScaleDown))
    }

    /// The pod's request for `resource` in the load's unit (cores, bytes): the named container's, or the sum over
    /// the containers (restartable init containers included), as `calculateRequests` sums them; nil when a container
    /// has none or the target is unknown.
    static func podRequest(workload: Workload?, resource: String, container: String?) -> Double? {
        guard let template = workload?.measuredPodTemplate?.value["spec"] else { return nil }
        var containers = template["containers"]?.arrayValue ?? []
        for initContainer in template["initContainers"]?.arrayValue ?? []
        where initContainer["restartPolicy"]?.stringValue == "Always" {
            containers.append(initContainer)
        }
        if container == nil, let podLevel = template["resources"]?["requests"]?[resource],
            let quantity = Quantity(podLevel)
        {
            return quantity.value
        }
        var total = 0.0
        for entry in containers where container == nil || entry["name"]?.stringValue == container {
            guard let raw = entry["resources"]?["requests"]?[resource], let quantity = Quantity(raw) else { return nil }
            total += quantity.value
            if container != nil { return total }
        }
        return container == nil && total > 0 ? total : nil
    }

    /// Accelerators one pod holds (GPUs, TPUs, ...), from the target's containers.
    static func acceleratorsPerPod(workload: Workload?) -> Double {
        guard let workload else { return 0 }
        var total = 0.0
        for container in workload.containers {
            for name in Accelerator.requested(by: container) {
                let resources = container.value["resources"]
                let raw = resources?["limits"]?[name] ?? resources?["requests"]?[name]
                total += raw.flatMap { Quantity($0)?.value } ?? 0
            }
        }
        return total
    }
}
