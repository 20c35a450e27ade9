/// One HPA's sync loop, after kubernetes `pkg/controller/podautoscaler/horizontal.go` (`reconcileAutoscaler`,
/// `computeReplicasForMetrics`, `normalizeDesiredReplicas[WithBehaviors]`, `stabilizeRecommendation[WithBehaviors]`,
/// `convertDesiredReplicasWithRules`, `calculateScale{Up,Down}Limit…`, `storeScaleEvent`): state in, observed
/// metrics in, a decision out. Times are seconds on the simulation's clock.

/// An HPA spec in the controller's terms (autoscaling/v2 after the API server's defaulting).
public struct ControllerSpec: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// Resource or ContainerResource: `isCPU` selects the CPU-only readiness rules.
        case resource(name: String, container: String?)
        case pods(name: String)
        case object(name: String)
        case external(name: String)

        public var isCPU: Bool {
            if case .resource(let name, _) = self { return name == "cpu" }
            return false
        }
    }

    public enum Target: Sendable, Hashable {
        case utilization(Int32)
        /// Milli-units.
        case averageValue(Int64)
        /// Milli-units.
        case value(Int64)
    }

    public struct Metric: Sendable, Hashable {
        public var source: Source
        public var target: Target

        public init(source: Source, target: Target) {
            self.source = source
            self.target = target
        }
    }

    public struct Policy: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case pods = "Pods"
            case percent = "Percent"
        }
        public var kind: Kind
        public var value: Int32
        public var periodSeconds: Int32

        public init(_ kind: Kind, _ value: Int32, periodSeconds: Int32) {
            self.kind = kind
            self.value = value
            self.periodSeconds = periodSeconds
        }
    }

    public enum SelectPolicy: String, Sendable, Hashable {
        case max = "Max"
        case min = "Min"
        case disabled = "Disabled"
    }

    /// `HPAScalingRules` after defaulting.
    public struct Rules: Sendable, Hashable {
        /// nil for a scale-down window left unset: the controller's `--horizontal-pod-autoscaler-downscale-stabilization`.
        public var stabilizationWindowSeconds: Int32?
        public var selectPolicy: SelectPolicy
        public var policies: [Policy]
        public var tolerance: Double?

        public init(
            stabilizationWindowSeconds: Int32?, selectPolicy: SelectPolicy, policies: [Policy], tolerance: Double? = nil
        ) {
            self.stabilizationWindowSeconds = stabilizationWindowSeconds
            self.selectPolicy = selectPolicy
            self.policies = policies
            self.tolerance = tolerance
        }

        /// The API server's defaults (autoscaling/v2 defaults.go) for a `behavior` written without this direction.
        public static let defaultScaleUp = Rules(
            stabilizationWindowSeconds: 0, selectPolicy: .max,
            policies: [Policy(.pods, 4, periodSeconds: 15), Policy(.percent, 100, periodSeconds: 15)])
        public static let defaultScaleDown = Rules(
            stabilizationWindowSeconds: nil, selectPolicy: .max, policies: [Policy(.percent, 100, periodSeconds: 15)])
    }

    public struct Behavior: Sendable, Hashable {
        public var scaleUp: Rules
        public var scaleDown: Rules

        public init(scaleUp: Rules = .defaultScaleUp, scaleDown: Rules = .defaultScaleDown) {
            self.scaleUp = scaleUp
            self.scaleDown = scaleDown
        }
    }

    public var minReplicas: Int32
    public var maxReplicas: Int32
    public var metrics: [Metric]
    /// nil: no `behavior` (the controller's older rules).
    public var behavior: Behavior?

    public init(minReplicas: Int32, maxReplicas: Int32, metrics: [Metric], behavior: Behavior? = nil) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
    }
}

/// The kube-controller-manager settings the loop depends on (their defaults).
public struct ControllerOptions: Sendable, Hashable {
    /// `--horizontal-pod-autoscaler-tolerance`.
    public var tolerance: Double = 0.1
    /// `--horizontal-pod-autoscaler-downscale-stabilization`.
    public var downscaleStabilizationSeconds: Double = 300
    /// The `HPAConfigurableTolerance` feature gate (on by default from 1.35).
    public var configurableTolerance: Bool = true
    public var calculator = ReplicaCalculator()

    public init(
        tolerance: Double = 0.1, downscaleStabilizationSeconds: Double = 300, configurableTolerance: Bool = true
    ) {
        self.tolerance = tolerance
        self.downscaleStabilizationSeconds = downscaleStabilizationSeconds
        self.configurableTolerance = configurableTolerance
    }

    // The controller's constants without behavior.
    static let scaleUpLimitFactor = 2.0
    static let scaleUpLimitMinimum = 4.0
}

/// What the controller reads for one metric at a sync.
public enum MetricReading: Sendable, Hashable {
    /// Resource and Pods metrics: one sample per listed pod (nil: no sample for that pod).
    case perPod([PodSample?])
    /// Object and External metrics: the value (External: summed over the series), milli-units.
    case total(Int64)
    case unavailable(String)
}

/// The world at one sync: the scale subresource, the pods the selector lists, and the metrics.
public struct Observation: Sendable, Hashable {
    /// `scale.spec.replicas`.
    public var specReplicas: Int32
    /// `scale.status.replicas`.
    public var statusReplicas: Int32
    public var pods: [ObservedPod]
    /// One reading per `ControllerSpec.metrics` entry.
    public var readings: [MetricReading]

    public init(specReplicas: Int32, statusReplicas: Int32? = nil, pods: [ObservedPod], readings: [MetricReading]) {
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas ?? specReplicas
        self.pods = pods
        self.readings = readings
    }
}

/// The outcome of one sync.
public struct SyncDecision: Sendable, Hashable {
    /// The metrics' proposal (largest over the metrics), before stabilization and limits; the jump target when the
    /// current count is outside [min, max]; the current count when no proposal could be computed.
    public var desiredReplicas: Int32
    /// What this sync set the scale to.
    public var replicas: Int32
    /// The `ScalingLimited` reason (`DesiredWithinRange`, `ScaleUpLimit`, `ScaleDownLimit`, `TooManyReplicas`,
    /// `TooFewReplicas`), or `ScalingDisabled` / `FailedComputeMetricsReplicas`.
    public var reason: String
    /// Per metric, the value the controller saw (utilization % or milli-units), nil when it failed.
    public var metricValues: [Int64?]
    public var rescaled: Bool { replicas != previous }
    let previous: Int32
}

public struct HPAControllerStateMachine: Sendable {
    public let spec: ControllerSpec
    public let options: ControllerOptions

    struct Timestamped: Sendable, Hashable {
        var replicas: Int32
        var time: Double
    }

    /// `recommendations[key]`: proposals with their times.
    private(set) var recommendations: [Timestamped] = []
    private(set) var scaleUpEvents: [Timestamped] = []
    private(set) var scaleDownEvents: [Timestamped] = []
    private var seeded = false

    public init(spec: ControllerSpec, options: ControllerOptions = ControllerOptions()) {
        self.spec = spec
        self.options = options
    }

    /// `tolerancesForHpa`: the controller's tolerance, or the HPA's own per direction where the gate allows it.
    public var tolerances: Tolerances {
        var result = Tolerances(scaleDown: options.tolerance, scaleUp: options.tolerance)
        guard options.configurableTolerance, let behavior = spec.behavior else { return result }
        if let down = behavior.scaleDown.tolerance { result.scaleDown = down }
        if let up = behavior.scaleUp.tolerance { result.scaleUp = up }
        return result
    }

    /// One `reconcileAutoscaler` pass at time `now`.
    public mutating func sync(now: Double, observation: Observation) -> SyncDecision {
        let current = observation.specReplicas
        if !seeded {
            // recordInitialRecommendation
            recommendations.append(Timestamped(replicas: current, time: now))
            seeded = true
        }
        let minReplicas = spec.minReplicas
        var decision = SyncDecision(
            desiredReplicas: current, replicas: current, reason: "DesiredWithinRange",
            metricValues: Array(repeating: nil, count: spec.metrics.count), previous: current)

        if current == 0 && minReplicas != 0 {
            decision.reason = "ScalingDisabled"
            return decision
        } else if current > spec.maxReplicas {
            decision.desiredReplicas = spec.maxReplicas
            decision.replicas = spec.maxReplicas
            decision.reason = "TooManyReplicas"
        } else if current < minReplicas {
            decision.desiredReplicas = minReplicas
            decision.replicas = minReplicas
            decision.reason = "TooFewReplicas"
        } else {
            let (proposal, values) = computeReplicasForMetrics(now: now, observation: observation)
            decision.metricValues = values
            guard let proposal else {
                decision.reason = "FailedComputeMetricsReplicas"
                return decision
            }
            decision.desiredReplicas = proposal
            let (replicas, reason) =
                spec.behavior == nil
                ? normalizeDesiredReplicas(now: now, current: current, proposal: proposal)
                : normalizeDesiredReplicasWithBehaviors(now: now, current: current, proposal: proposal)
            decision.replicas = replicas
            decision.reason = reason
        }
        if decision.replicas != current { storeScaleEvent(now: now, previous: current, new: decision.replicas) }
        return decision
    }

    /// `computeReplicasForMetrics`: the largest proposal; nil when every metric failed, or some failed and the
    /// rest would scale down.
    func computeReplicasForMetrics(now: Double, observation: Observation) -> (Int32?, [Int64?]) {
        var replicas: Int32 = 0
        var invalid = 0
        var values: [Int64?] = []
        let tolerances = tolerances
        let calculator = options.calculator
        let readyPods = observation.pods.count { $0.phase == .running && $0.ready == true }
        for (index, metric) in spec.metrics.enumerated() {
            let reading = index < observation.readings.count ? observation.readings[index] : .unavailable("no reading")
            var proposal: MetricProposal?
            switch (metric.target, reading) {
            case (.utilization(let target), .perPod(let samples)):
                if case .resource = metric.source {
                    proposal = try? calculator.resourceUtilizationReplicas(
                        current: observation.specReplicas, targetUtilization: target, isCPU: metric.source.isCPU,
                        tolerances: tolerances, pods: observation.pods, samples: samples, now: now)
                }
            case (.averageValue(let target), .perPod(let samples)):
                proposal = try? calculator.plainMetricReplicas(
                    current: observation.specReplicas, targetUsage: target, isCPU: metric.source.isCPU,
                    tolerances: tolerances, pods: observation.pods, samples: samples, now: now)
            case (.value(let target), .total(let usage)):
                proposal = calculator.valueReplicas(
                    current: observation.specReplicas, usage: usage, targetValue: target, tolerances: tolerances,
                    readyPods: readyPods)
            case (.averageValue(let target), .total(let usage)):
                proposal = calculator.averageValueReplicas(
                    statusReplicas: observation.statusReplicas, usage: usage, targetAverage: target,
                    tolerances: tolerances)
            default:
                proposal = nil
            }
            values.append(proposal?.value)
            guard let proposal else {
                invalid += 1
                continue
            }
            if replicas == 0 || proposal.replicas > replicas { replicas = proposal.replicas }
        }
        if invalid >= spec.metrics.count || (invalid > 0 && replicas < observation.specReplicas) {
            return (nil, values)
        }
        return (replicas, values)
    }

    // MARK: - Without behavior

    /// `stabilizeRecommendation` then `convertDesiredReplicasWithRules`.
    mutating func normalizeDesiredReplicas(now: Double, current: Int32, proposal: Int32) -> (Int32, String) {
        let stabilized = stabilizeRecommendation(now: now, proposal: proposal)
        return Self.convertDesiredReplicasWithRules(
            current: current, desired: stabilized, min: spec.minReplicas, max: spec.maxReplicas)
    }

    /// The highest proposal not older than the downscale window; the oldest expired sample is replaced.
    mutating func stabilizeRecommendation(now: Double, proposal: Int32) -> Int32 {
        var maximum = proposal
        var oldIndex: Int?
        let cutoff = now - options.downscaleStabilizationSeconds
        for (index, recommendation) in recommendations.enumerated() {
            if recommendation.time < cutoff {
                oldIndex = index
            } else if recommendation.replicas > maximum {
                maximum = recommendation.replicas
            }
        }
        let entry = Timestamped(replicas: proposal, time: now)
        if let oldIndex { recommendations[oldIndex] = entry } else { recommendations.append(entry) }
        return maximum
    }

    /// Clamp to [min, min(max, max(2 × current, 4))].
    static func convertDesiredReplicasWithRules(current: Int32, desired: Int32, min: Int32, max: Int32) -> (
        Int32, String
    ) {
        let scaleUpLimit = Int32(
            Swift.max(ControllerOptions.scaleUpLimitFactor * Double(current), ControllerOptions.scaleUpLimitMinimum))
        let (maximumAllowed, limitReason) =
            max > scaleUpLimit ? (scaleUpLimit, "ScaleUpLimit") : (max, "TooManyReplicas")
        if desired < min { return (min, "TooFewReplicas") }
        if desired > maximumAllowed { return (maximumAllowed, limitReason) }
        return (desired, "DesiredWithinRange")
    }

    // MARK: - With behavior

    mutating func normalizeDesiredReplicasWithBehaviors(now: Double, current: Int32, proposal: Int32) -> (Int32, String)
    {
        guard var behavior = spec.behavior else { return (proposal, "DesiredWithinRange") }
        // maybeInitScaleDownStabilizationWindow
        if behavior.scaleDown.stabilizationWindowSeconds == nil {
            behavior.scaleDown.stabilizationWindowSeconds = Int32(options.downscaleStabilizationSeconds)
        }
        let stabilized = stabilizeRecommendationWithBehaviors(
            now: now, current: current, proposal: proposal, behavior: behavior)
        return convertDesiredReplicasWithBehaviorRate(
            now: now, current: current, desired: stabilized, behavior: behavior)
    }

    /// Start from the current count, raise it to the lowest proposal of the scale-up window, lower it to the highest
    /// of the scale-down window; records the raw proposal.
    mutating func stabilizeRecommendationWithBehaviors(
        now: Double, current: Int32, proposal: Int32, behavior: ControllerSpec.Behavior
    ) -> Int32 {
        var up = proposal
        var down = proposal
        let upCutoff = now - Double(behavior.scaleUp.stabilizationWindowSeconds ?? 0)
        let downCutoff = now - Double(behavior.scaleDown.stabilizationWindowSeconds ?? 0)
        var oldIndex: Int?
        for (index, recommendation) in recommendations.enumerated() {
            if recommendation.time > upCutoff { up = min(recommendation.replicas, up) }
            if recommendation.time > downCutoff { down = max(recommendation.replicas, down) }
            if recommendation.time < upCutoff && recommendation.time < downCutoff { oldIndex = index }
        }
        var result = current
        if result < up { result = up }
        if result > down { result = down }
        let entry = Timestamped(replicas: proposal, time: now)
        if let oldIndex { recommendations[oldIndex] = entry } else { recommendations.append(entry) }
        return result
    }

    func convertDesiredReplicasWithBehaviorRate(
        now: Double, current: Int32, desired: Int32, behavior: ControllerSpec.Behavior
    ) -> (Int32, String) {
        if desired > current {
            let limit = max(
                Self.scaleUpLimit(
                    now: now, current: current, up: scaleUpEvents, down: scaleDownEvents, rules: behavior.scaleUp),
                current)
            let (maximumAllowed, reason) =
                spec.maxReplicas > limit ? (limit, "ScaleUpLimit") : (spec.maxReplicas, "TooManyReplicas")
            if desired > maximumAllowed { return (maximumAllowed, reason) }
        } else if desired < current {
            let limit = min(
                Self.scaleDownLimit(
                    now: now, current: current, up: scaleUpEvents, down: scaleDownEvents, rules: behavior.scaleDown),
                current)
            let (minimumAllowed, reason) =
                spec.minReplicas < limit ? (limit, "ScaleDownLimit") : (spec.minReplicas, "TooFewReplicas")
            if desired < minimumAllowed { return (minimumAllowed, reason) }
        }
        return (desired, "DesiredWithinRange")
    }

    /// `getReplicasChangePerPeriod`: the change of the events strictly after `now − period`.
    static func change(in events: [Timestamped], period: Int32, now: Double) -> Int32 {
        let cutoff = now - Double(period)
        return events.reduce(0) { $1.time > cutoff ? $0 + $1.replicas : $0 }
    }

    /// `calculateScaleUpLimitWithScalingRules`: Pods `start + value`, Percent `ceil(start × (1 + value/100))`.
    static func scaleUpLimit(
        now: Double, current: Int32, up: [Timestamped], down: [Timestamped], rules: ControllerSpec.Rules
    ) -> Int32 {
        if rules.selectPolicy == .disabled { return current }
        var result: Int32 = rules.selectPolicy == .min ? .max : .min
        for policy in rules.policies {
            let start =
                current - change(in: up, period: policy.periodSeconds, now: now)
                + change(in: down, period: policy.periodSeconds, now: now)
            let proposed: Int32
            switch policy.kind {
            case .pods: proposed = start + policy.value
            case .percent: proposed = ceilInt32(Double(start) * (1 + Double(policy.value) / 100))
            }
            result = rules.selectPolicy == .min ? min(result, proposed) : max(result, proposed)
        }
        return result
    }

    /// `calculateScaleDownLimitWithBehaviors`: Pods `start − value`, Percent `int32(start × (1 − value/100))`.
    static func scaleDownLimit(
        now: Double, current: Int32, up: [Timestamped], down: [Timestamped], rules: ControllerSpec.Rules
    ) -> Int32 {
        if rules.selectPolicy == .disabled { return current }
        var result: Int32 = rules.selectPolicy == .min ? .min : .max
        for policy in rules.policies {
            let start =
                current - change(in: up, period: policy.periodSeconds, now: now)
                + change(in: down, period: policy.periodSeconds, now: now)
            let proposed: Int32
            switch policy.kind {
            case .pods: proposed = start - policy.value
            case .percent: proposed = truncInt32(Double(start) * (1 - Double(policy.value) / 100))
            }
            result = rules.selectPolicy == .min ? max(result, proposed) : min(result, proposed)
        }
        return result
    }

    /// `storeScaleEvent`: only with behavior; an event older than the direction's longest period is reused, which
    /// is the same as dropping it (no period counts it any more).
    mutating func storeScaleEvent(now: Double, previous: Int32, new: Int32) {
        guard let behavior = spec.behavior else { return }
        if new > previous {
            let longest = behavior.scaleUp.policies.map(\.periodSeconds).max() ?? 0
            scaleUpEvents.removeAll { $0.time < now - Double(longest) }
            scaleUpEvents.append(Timestamped(replicas: new - previous, time: now))
        } else {
            let longest = behavior.scaleDown.policies.map(\.periodSeconds).max() ?? 0
            scaleDownEvents.removeAll { $0.time < now - Double(longest) }
            scaleDownEvents.append(Timestamped(replicas: previous - new, time: now))
        }
    }
}

func truncInt32(_ value: Double) -> Int32 {
    if value.isNaN { return 0 }
    if value >= Double(Int32.max) { return .max }
    if value <= Double(Int32.min) { return .min }
    return Int32(value.rounded(.towardZero))
}
