import Engine

/// The pods and the clock around the controller: pods start ready, new ones take the model load time, ready pods
/// share the load evenly; the load between syncs is integrated against what the ready pods can carry.

/// How the load becomes the metric the controller reads.
public enum LoadMapping: Sendable, Hashable {
    /// Resource and Pods metrics: each ready pod reports its share of the load.
    case perPodShare
    /// Object and External metrics: the load is the metric's value.
    case total
}

/// One run: an HPA (as written, or as the profile leaves it) and the pod model's parameters.
public struct RunConfiguration: Sendable {
    public var name: String
    /// The controller's view of the HPA: the simulated metric only.
    public var spec: ControllerSpec
    /// `spec.behavior` after the API server's defaulting, as JSON (null without behavior).
    public var behavior: JSONValue
    public var options: ControllerOptions
    public var mapping: LoadMapping
    /// Seconds from a pod's creation to Ready.
    public var loadSeconds: Double
    /// The load one ready pod carries, in the load's unit; nil: unserved load is not computed.
    public var capacity: Double?
    /// The pod's request for a Resource metric (milli-units of the load's unit).
    public var requestMilli: Int64
    public var initialReplicas: Int32
    /// Accelerators per pod (GPU-hours = replica-seconds × this / 3600); 0 when none.
    public var acceleratorsPerPod: Double
    /// The window a metrics-server sample covers (the CPU readiness rule reads it).
    public var metricWindow: Double = 15

    public init(
        name: String, spec: ControllerSpec, behavior: JSONValue, options: ControllerOptions,
        mapping: LoadMapping, loadSeconds: Double, capacity: Double?, requestMilli: Int64, initialReplicas: Int32,
        acceleratorsPerPod: Double
    ) {
        self.name = name
        self.spec = spec
        self.behavior = behavior
        self.options = options
        self.mapping = mapping
        self.loadSeconds = loadSeconds
        self.capacity = capacity
        self.requestMilli = requestMilli
        self.initialReplicas = initialReplicas
        self.acceleratorsPerPod = acceleratorsPerPod
    }

    /// The scale-down stabilization window in effect (the HPA's, else the controller's 300 s).
    public var scaleDownWindow: Double {
        if let behavior = spec.behavior, let window = behavior.scaleDown.stabilizationWindowSeconds {
            return Double(window)
        }
        return options.downscaleStabilizationSeconds
    }
}

/// One sync as the output shows it.
public struct TimelineEntry: Sendable, Hashable {
    public var time: Double
    public var load: Double
    /// What the controller saw: utilization in percent, or the value in the metric's unit; nil when it read nothing.
    public var metric: Double?
    public var desiredReplicas: Int32
    public var replicas: Int32
    public var readyReplicas: Int32
    public var reason: String
    /// Ready pods × capacity after the sync; nil without a capacity.
    public var capacity: Double?
    /// Load above capacity integrated from this sync to the next; nil without a capacity.
    public var unservedLoadSeconds: Double?
}

/// A stretch of unserved load: when it began and how long until the ready pods carried the load again.
public struct UnservedStretch: Sendable, Hashable {
    public var start: Double
    public var seconds: Double
}

public struct RunSummary: Sendable, Hashable {
    public var peakReplicas: Int32
    public var scaleUps: Int
    public var scaleDowns: Int
    /// Scale events whose direction reverses the previous one within the scale-down stabilization window.
    public var flaps: Int
    public var unservedLoadSeconds: Double?
    public var longestUnservedSeconds: Double?
    /// Time to capacity after each rise: every stretch of unserved load.
    public var unservedStretches: [UnservedStretch]?
    public var replicaSeconds: Double
    public var acceleratorHours: Double?
    public var secondsAtMax: Double
    public var duration: Double
}

public struct RunResult: Sendable {
    public var configuration: RunConfiguration
    public var timeline: [TimelineEntry]
    public var summary: RunSummary
}

/// The state of one run between syncs.
struct SimulationRun {
    let configuration: RunConfiguration
    var controller: HPAControllerStateMachine
    /// The pods' ready times, oldest first (every pod takes the same load time, so creation order is ready order).
    var readyAt: [Double]
    /// Pods with `readyAt` at or before the clock: always a prefix of `readyAt`.
    var readyCount: Int
    var timeline: [TimelineEntry] = []
    var peak: Int32
    var scaleUps = 0, scaleDowns = 0, flaps = 0
    var lastScale: (up: Bool, time: Double)?
    var replicaSeconds = 0.0, secondsAtMax = 0.0, unserved = 0.0
    var stretches: [UnservedStretch] = []
    var stretchStart: Double?
    var readyPodsScratch: [ObservedPod] = []

    init(_ configuration: RunConfiguration) {
        self.configuration = configuration
        controller = HPAControllerStateMachine(spec: configuration.spec, options: configuration.options)
        readyAt = Array(repeating: -Double.infinity, count: Int(max(0, configuration.initialReplicas)))
        readyCount = readyAt.count
        peak = configuration.initialReplicas
    }

    var capacityPerPod: Double? { configuration.capacity }

    mutating func advanceReadiness(to time: Double) {
        while readyCount < readyAt.count, readyAt[readyCount] <= time { readyCount += 1 }
    }

    /// One controller sync at `time` with the load then in effect; the new scale takes effect at once (pods
    /// created now are listed from the next sync on and are Ready after the load time).
    mutating func sync(at time: Double, load: Double) {
        advanceReadiness(to: time)
        let current = Int32(readyAt.count)
        let spec = configuration.spec
        let isCPU = spec.metrics.first?.source.isCPU ?? false
        var pods: [ObservedPod] = []
        pods.reserveCapacity(readyAt.count)
        var samples: [PodSample?] = []
        let share = readyCount > 0 ? load / Double(readyCount) : 0
        let shareMilli = Int64((share * 1000).rounded())
        for (index, ready) in readyAt.enumerated() {
            let isReady = index < readyCount
            let created = ready - configuration.loadSeconds
            pods.append(
                ObservedPod(
                    phase: .running, ready: isReady, readyTransitionTime: isReady ? ready : created,
                    startTime: created.isFinite ? created : -86400, request: configuration.requestMilli))
            if isReady {
                samples.append(PodSample(value: shareMilli, timestamp: time, window: configuration.metricWindow))
            } else {
                // A loading pod: metrics-server has CPU samples of its container, a model server exports nothing yet.
                samples.append(isCPU ? PodSample(value: 0, timestamp: time, window: configuration.metricWindow) : nil)
            }
        }
        let reading: MetricReading =
            configuration.mapping == .total ? .total(Int64((load * 1000).rounded())) : .perPod(samples)
        let decision = controller.sync(
            now: time, observation: Observation(specReplicas: current, pods: pods, readings: [reading]))

        let new = decision.replicas
        if new > current {
            readyAt += repeatElement(time + configuration.loadSeconds, count: Int(new - current))
            advanceReadiness(to: time)
        } else if new < current {
            // The ReplicaSet removes pods that are not ready first, then the newest.
            readyAt.removeLast(Int(current - new))
            readyCount = min(readyCount, readyAt.count)
        }
        if new != current {
            let up = new > current
            if up { scaleUps += 1 } else { scaleDowns += 1 }
            if let last = lastScale, last.up != up, time - last.time < configuration.scaleDownWindow { flaps += 1 }
            lastScale = (up, time)
        }
        peak = max(peak, new)
        var metric: Double?
        if let value = decision.metricValues.first ?? nil {
            if case .utilization = spec.metrics.first?.target {
                metric = Double(value)
            } else {
                metric = Double(value) / 1000
            }
        }
        timeline.append(
            TimelineEntry(
                time: time, load: load, metric: metric, desiredReplicas: decision.desiredReplicas, replicas: new,
                readyReplicas: Int32(readyCount), reason: decision.reason,
                capacity: capacityPerPod.map { Double(readyCount) * $0 },
                unservedLoadSeconds: capacityPerPod == nil ? nil : 0))
    }

    /// Integrates `[start, end)` at a constant `load`: cost, time at max, and unserved load as pods become ready.
    mutating func integrate(from start: Double, to end: Double, load: Double) {
        var cursor = start
        while cursor < end {
            advanceReadiness(to: cursor)
            let nextReady = readyCount < readyAt.count ? readyAt[readyCount] : .infinity
            let segmentEnd = min(end, nextReady)
            let length = segmentEnd - cursor
            replicaSeconds += Double(readyAt.count) * length
            if Int32(readyAt.count) >= configuration.spec.maxReplicas { secondsAtMax += length }
            if let capacity = capacityPerPod {
                let missing = load - Double(readyCount) * capacity
                if missing > 1e-9 {
                    unserved += missing * length
                    if !timeline.isEmpty { timeline[timeline.count - 1].unservedLoadSeconds! += missing * length }
                    if stretchStart == nil { stretchStart = cursor }
                } else if let began = stretchStart {
                    stretches.append(UnservedStretch(start: began, seconds: cursor - began))
                    stretchStart = nil
                }
            }
            cursor = segmentEnd
        }
    }

    mutating func finish(at end: Double) -> RunResult {
        if let began = stretchStart {
            stretches.append(UnservedStretch(start: began, seconds: end - began))
            stretchStart = nil
        }
        let hasCapacity = capacityPerPod != nil
        let summary = RunSummary(
            peakReplicas: peak, scaleUps: scaleUps, scaleDowns: scaleDowns, flaps: flaps,
            unservedLoadSeconds: hasCapacity ? unserved : nil,
            longestUnservedSeconds: hasCapacity ? (stretches.map(\.seconds).max() ?? 0) : nil,
            unservedStretches: hasCapacity ? stretches : nil, replicaSeconds: replicaSeconds,
            acceleratorHours: configuration.acceleratorsPerPod > 0
                ? replicaSeconds * configuration.acceleratorsPerPod / 3600 : nil,
            secondsAtMax: secondsAtMax, duration: end)
        return RunResult(configuration: configuration, timeline: timeline, summary: summary)
    }
}

/// The trace as a step function read forward once.
struct LoadCursor {
    var stream: TraceStream
    var current = 0.0
    var upcoming: TracePoint?
    var exhausted = false
    var lastTime = 0.0

    init(_ stream: TraceStream) { self.stream = stream }

    /// Where the trace ends: its last point (a per-request trace: the end of its last bucket).
    var endTime: Double { lastTime + stream.trailingSeconds }

    mutating func peek() throws(TraceError) {
        guard upcoming == nil, !exhausted else { return }
        upcoming = try stream.next()
        if upcoming == nil { exhausted = true }
    }

    /// Takes every point at or before `time`; the load then in effect.
    @discardableResult
    mutating func advance(to time: Double) throws(TraceError) -> Double {
        while true {
            try peek()
            guard let point = upcoming, point.time <= time else { return current }
            current = point.load
            lastTime = max(lastTime, point.time)
            upcoming = nil
        }
    }

    /// Calls `body` for each constant-load piece of `[start, end)`.
    mutating func segments(
        from start: Double, to end: Double, clipToTraceEnd: Bool, _ body: (Double, Double, Double) -> Void
    ) throws(TraceError) {
        try advance(to: start)
        var cursor = start
        while cursor < end {
            try peek()
            var pieceEnd = min(end, upcoming?.time ?? end)
            if clipToTraceEnd, exhausted { pieceEnd = min(pieceEnd, endTime) }
            guard pieceEnd > cursor else { break }
            body(cursor, pieceEnd, current)
            cursor = pieceEnd
            try advance(to: cursor)
        }
    }
}

/// Runs one or more configurations over the same trace, in lockstep, reading the trace once.
public enum Simulator {
    /// - Parameters:
    ///   - duration: seconds to simulate; nil: up to the trace's end.
    /// - Returns: one result per configuration.
    /// - Throws: `TraceError` for a trace row that cannot be read; nothing is returned then.
    public static func run(
        _ configurations: [RunConfiguration], trace: TraceStream, syncPeriod: Double, duration: Double?
    ) throws(TraceError) -> [RunResult] {
        precondition(syncPeriod > 0, "the sync period must be positive")
        var cursor = LoadCursor(trace)
        var runs = configurations.map(SimulationRun.init)
        var end = duration
        var step = 0
        while true {
            let time = Double(step) * syncPeriod
            if let end, time > end { break }
            let load = try cursor.advance(to: time)
            if end == nil {
                try cursor.peek()
                if cursor.exhausted, time > cursor.endTime {
                    end = cursor.endTime
                    break
                }
            }
            for index in runs.indices { runs[index].sync(at: time, load: load) }
            let next = time + syncPeriod
            try cursor.segments(from: time, to: min(next, end ?? next), clipToTraceEnd: end == nil) {
                start, stop, load in
                for index in runs.indices { runs[index].integrate(from: start, to: stop, load: load) }
            }
            if end == nil, cursor.exhausted, cursor.endTime < next {
                end = max(cursor.endTime, time)
                break
            }
            step += 1
        }
        let finalEnd = end ?? 0
        return runs.indices.map { runs[$0].finish(at: finalEnd) }
    }
}
