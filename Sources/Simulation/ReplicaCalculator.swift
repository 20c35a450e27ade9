/// The per-metric replica proposals of the HPA controller, after kubernetes
/// `pkg/controller/podautoscaler/replica_calculator.go` and `metrics/utilization.go` (read, not copied).
///
/// Values are milli-units (`Quantity.MilliValue()`), as the controller computes them; times are seconds.

/// A pod as the controller's pod lister shows it.
public struct ObservedPod: Sendable, Hashable {
    public enum Phase: Sendable, Hashable { case pending, running, succeeded, failed }

    public var phase: Phase
    /// `deletionTimestamp` is set.
    public var deleted: Bool
    /// The Ready condition: nil when the pod has none yet.
    public var ready: Bool?
    /// `lastTransitionTime` of the Ready condition.
    public var readyTransitionTime: Double
    /// `status.startTime`; nil before the kubelet started the pod.
    public var startTime: Double?
    /// The pod's request for the metric's resource (milli), for Resource metrics.
    public var request: Int64

    public init(
        phase: Phase = .running, deleted: Bool = false, ready: Bool? = true, readyTransitionTime: Double = -3600,
        startTime: Double? = -3600, request: Int64 = 0
    ) {
        self.phase = phase
        self.deleted = deleted
        self.ready = ready
        self.readyTransitionTime = readyTransitionTime
        self.startTime = startTime
        self.request = request
    }
}

/// One pod's metric sample (`metricsclient.PodMetric`).
public struct PodSample: Sendable, Hashable {
    public var value: Int64
    public var timestamp: Double
    public var window: Double

    public init(value: Int64, timestamp: Double = 0, window: Double = 60) {
        self.value = value
        self.timestamp = timestamp
        self.window = window
    }
}

/// `Tolerances`: keep the current count when `1 − down ≤ ratio ≤ 1 + up` (inclusive).
public struct Tolerances: Sendable, Hashable {
    public var scaleDown: Double
    public var scaleUp: Double

    public init(scaleDown: Double = 0.1, scaleUp: Double = 0.1) {
        self.scaleDown = scaleDown
        self.scaleUp = scaleUp
    }

    public func isWithin(_ ratio: Double) -> Bool { 1.0 - scaleDown <= ratio && ratio <= 1.0 + scaleUp }
}

/// Why a metric gave no proposal (the controller's `FailedGet*Metric`).
public struct MetricFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
}

/// A proposal and the value the controller saw (utilization in percent, or the usage in milli-units).
public struct MetricProposal: Sendable, Hashable {
    public var replicas: Int32
    public var value: Int64
}

public struct ReplicaCalculator: Sendable, Hashable {
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min).
    public var cpuInitializationPeriod: Double = 300
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s).
    public var delayOfInitialReadinessStatus: Double = 30

    public init(cpuInitializationPeriod: Double = 300, delayOfInitialReadinessStatus: Double = 30) {
        self.cpuInitializationPeriod = cpuInitializationPeriod
        self.delayOfInitialReadinessStatus = delayOfInitialReadinessStatus
    }

    enum Group { case ready, unready, missing, ignored }

    /// `groupPods`: deleted or failed pods are ignored, pending ones unready, pods without a sample missing; for CPU
    /// a pod still initializing (not ready, or its sample taken before readiness plus one window) is unready.
    func group(_ pods: [ObservedPod], _ samples: [PodSample?], isCPU: Bool, now: Double) -> [Group] {
        pods.indices.map { index in
            let pod = pods[index]
            if pod.deleted || pod.phase == .failed { return .ignored }
            if pod.phase == .pending { return .unready }
            guard let sample = samples[index] else { return .missing }
            if isCPU {
                let unready: Bool
                if let ready = pod.ready, let start = pod.startTime {
                    if start + cpuInitializationPeriod > now {
                        unready = !ready || sample.timestamp < pod.readyTransitionTime + sample.window
                    } else {
                        unready = !ready && start + delayOfInitialReadinessStatus > pod.readyTransitionTime
                    }
                } else {
                    unready = true
                }
                if unready { return .unready }
            }
            return .ready
        }
    }

    /// `GetResourceReplicas`: a Resource or ContainerResource metric with a Utilization target.
    public func resourceUtilizationReplicas(
        current: Int32, targetUtilization: Int32, isCPU: Bool, tolerances: Tolerances, pods: [ObservedPod],
        samples: [PodSample?], now: Double
    ) throws(MetricFailure) -> MetricProposal {
        guard !pods.isEmpty else {
            throw MetricFailure(description: "no pods returned by selector while calculating replica count")
        }
        let groups = group(pods, samples, isCPU: isCPU, now: now)
        // The metrics map after removing ignored and unready pods: index → value.
        var metrics: [(index: Int, value: Int64)] = []
        var readyCount = 0
        var unready: [Int] = []
        var missing: [Int] = []
        for (index, kind) in groups.enumerated() {
            switch kind {
            case .ready:
                readyCount += 1
                metrics.append((index, samples[index]!.value))
            case .unready: unready.append(index)
            case .missing: missing.append(index)
            case .ignored: break
            }
        }
        guard !metrics.isEmpty else {
            throw MetricFailure(description: "did not receive metrics for targeted pods (pods might be unready)")
        }
        let (ratio, utilization) = try utilizationRatio(metrics, pods, targetUtilization)

        let scaleUpWithUnready = !unready.isEmpty && ratio > 1.0
        if !scaleUpWithUnready && missing.isEmpty {
            if tolerances.isWithin(ratio) { return MetricProposal(replicas: current, value: Int64(utilization)) }
            return MetricProposal(replicas: ceilInt32(ratio * Double(readyCount)), value: Int64(utilization))
        }
        if !missing.isEmpty {
            if ratio < 1.0 {
                // Scale-down: a missing pod counts as using its whole request, or the target when that is higher.
                let fallback = Int64(max(100, targetUtilization))
                for index in missing { metrics.append((index, pods[index].request * fallback / 100)) }
            } else if ratio > 1.0 {
                for index in missing { metrics.append((index, 0)) }
            }
        }
        if scaleUpWithUnready {
            for index in unready { metrics.append((index, 0)) }
        }
        let (newRatio, _) = try utilizationRatio(metrics, pods, targetUtilization)
        if tolerances.isWithin(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0) {
            return MetricProposal(replicas: current, value: Int64(utilization))
        }
        let proposal = ceilInt32(newRatio * Double(metrics.count))
        if (newRatio < 1.0 && proposal > current) || (newRatio > 1.0 && proposal < current) {
            return MetricProposal(replicas: current, value: Int64(utilization))
        }
        return MetricProposal(replicas: proposal, value: Int64(utilization))
    }

    /// `GetResourceUtilizationRatio`: the utilization is an integer percentage of summed usage over summed requests.
    func utilizationRatio(
        _ metrics: [(index: Int, value: Int64)], _ pods: [ObservedPod], _ target: Int32
    ) throws(MetricFailure) -> (Double, Int32) {
        var usage: Int64 = 0
        var requests: Int64 = 0
        for metric in metrics {
            usage += metric.value
            requests += pods[metric.index].request
        }
        guard requests != 0 else { throw MetricFailure(description: "no metrics returned matched known pods") }
        let utilization = Int32(truncatingIfNeeded: usage * 100 / requests)
        return (Double(utilization) / Double(target), utilization)
    }

    /// `calcPlainMetricReplicas`: a Pods metric, or a Resource metric with an AverageValue target.
    public func plainMetricReplicas(
        current: Int32, targetUsage: Int64, isCPU: Bool, tolerances: Tolerances, pods: [ObservedPod],
        samples: [PodSample?], now: Double
    ) throws(MetricFailure) -> MetricProposal {
        guard !pods.isEmpty else {
            throw MetricFailure(description: "no pods returned by selector while calculating replica count")
        }
        let groups = group(pods, samples, isCPU: isCPU, now: now)
        var metrics: [Int64] = []
        var readyCount = 0
        var unreadyCount = 0
        var missingCount = 0
        for (index, kind) in groups.enumerated() {
            switch kind {
            case .ready:
                readyCount += 1
                metrics.append(samples[index]!.value)
            case .unready: unreadyCount += 1
            case .missing: missingCount += 1
            case .ignored: break
            }
        }
        guard !metrics.isEmpty else {
            throw MetricFailure(description: "did not receive metrics for targeted pods (pods might be unready)")
        }
        let (ratio, usage) = Self.usageRatio(metrics, targetUsage)

        let scaleUpWithUnready = unreadyCount > 0 && ratio > 1.0
        if !scaleUpWithUnready && missingCount == 0 {
            if tolerances.isWithin(ratio) { return MetricProposal(replicas: current, value: usage) }
            return MetricProposal(replicas: ceilInt32(ratio * Double(readyCount)), value: usage)
        }
        if missingCount > 0 {
            // Scale-down: a missing pod counts as exactly the target; scale-up: as 0.
            if ratio < 1.0 {
                metrics += repeatElement(targetUsage, count: missingCount)
            } else if ratio > 1.0 {
                metrics += repeatElement(0, count: missingCount)
            }
        }
        if scaleUpWithUnready { metrics += repeatElement(0, count: unreadyCount) }
        let (newRatio, _) = Self.usageRatio(metrics, targetUsage)
        if tolerances.isWithin(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0) {
            return MetricProposal(replicas: current, value: usage)
        }
        let proposal = ceilInt32(newRatio * Double(metrics.count))
        if (newRatio < 1.0 && proposal > current) || (newRatio > 1.0 && proposal < current) {
            return MetricProposal(replicas: current, value: usage)
        }
        return MetricProposal(replicas: proposal, value: usage)
    }

    /// `GetMetricUsageRatio`: the integer average of the samples over the target.
    static func usageRatio(_ metrics: [Int64], _ target: Int64) -> (Double, Int64) {
        let usage = metrics.reduce(0, &+) / Int64(metrics.count)
        return (Double(usage) / Double(target), usage)
    }

    /// `GetObjectMetricReplicas` / `GetExternalMetricReplicas` with a Value target (`getUsageRatioReplicaCount`):
    /// the ratio scales the ready pods; at 0 replicas, `ceil(ratio)`.
    public func valueReplicas(
        current: Int32, usage: Int64, targetValue: Int64, tolerances: Tolerances, readyPods: Int
    ) -> MetricProposal {
        let ratio = Double(usage) / Double(targetValue)
        guard current != 0 else { return MetricProposal(replicas: ceilInt32(ratio), value: usage) }
        if tolerances.isWithin(ratio) { return MetricProposal(replicas: current, value: usage) }
        return MetricProposal(replicas: ceilInt32(ratio * Double(readyPods)), value: usage)
    }

    /// `GetObjectPerPodMetricReplicas` / `GetExternalPerPodMetricReplicas`: an AverageValue target over
    /// `status.replicas`; the value seen is the usage per replica, rounded up.
    public func averageValueReplicas(
        statusReplicas: Int32, usage: Int64, targetAverage: Int64, tolerances: Tolerances
    ) -> MetricProposal {
        var replicas = statusReplicas
        let ratio = Double(usage) / (Double(targetAverage) * Double(statusReplicas))
        if !tolerances.isWithin(ratio) { replicas = ceilInt32(Double(usage) / Double(targetAverage)) }
        let perPod = statusReplicas == 0 ? usage : Int64((Double(usage) / Double(statusReplicas)).rounded(.up))
        return MetricProposal(replicas: replicas, value: perPod)
    }
}

/// `int32(math.Ceil(x))`, saturating at the int32 range as the controller's newer code does.
func ceilInt32(_ value: Double) -> Int32 {
    let rounded = value.rounded(.up)
    if rounded.isNaN { return 0 }
    if rounded >= Double(Int32.max) { return .max }
    if rounded <= Double(Int32.min) { return .min }
    return Int32(rounded)
}
