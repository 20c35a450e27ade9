import Testing

@testable import Simulation

/// The sync loop: jumps, several metrics, stabilization and rate limits with and without behavior (cases after
/// kubernetes `horizontal_test.go`'s normalization and limit tables, and hand-computed runs).
@Suite struct HPAControllerStateMachineTests {
    /// A Pods metric with a target of 1 (1000 milli): each ready pod reporting `perPod` proposes
    /// `ceil(perPod × pods)` replicas.
    static let podsMetric = ControllerSpec.Metric(source: .pods(name: "queue"), target: .averageValue(1000))

    func observation(_ replicas: Int32, perPod: Double) -> Observation {
        let pods = Array(repeating: ObservedPod(), count: Int(replicas))
        let sample = PodSample(value: Int64(perPod * 1000))
        return Observation(
            specReplicas: replicas, pods: pods, readings: [.perPod(Array(repeating: sample, count: Int(replicas)))])
    }

    /// Runs syncs every 15 s, each observing `want` replicas' worth of load spread over the current pods.
    func run(_ machine: inout HPAControllerStateMachine, from start: Int32, want: Double, syncs: Int) -> [SyncDecision]
    {
        var current = start
        var decisions: [SyncDecision] = []
        for step in 0..<syncs {
            let decision = machine.sync(
                now: Double(step) * 15, observation: observation(current, perPod: want / Double(current)))
            decisions.append(decision)
            current = decision.replicas
        }
        return decisions
    }

    @Test func withoutBehaviorScaleUpDoublesPerSync() {
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(minReplicas: 1, maxReplicas: 30, metrics: [Self.podsMetric]))
        let decisions = run(&machine, from: 3, want: 40, syncs: 5)
        #expect(decisions.map(\.replicas) == [6, 12, 24, 30, 30])
        #expect(
            decisions.map(\.reason) == [
                "ScaleUpLimit", "ScaleUpLimit", "ScaleUpLimit", "TooManyReplicas", "TooManyReplicas",
            ])
        #expect(decisions[0].desiredReplicas == 40)
    }

    @Test func withoutBehaviorTheLimitIsAtLeastFour() {
        #expect(
            HPAControllerStateMachine.convertDesiredReplicasWithRules(current: 1, desired: 10, min: 1, max: 10) == (
                4, "ScaleUpLimit"
            ))
        #expect(
            HPAControllerStateMachine.convertDesiredReplicasWithRules(current: 3, desired: 10, min: 1, max: 5) == (
                5, "TooManyReplicas"
            ))
        #expect(
            HPAControllerStateMachine.convertDesiredReplicasWithRules(current: 3, desired: 1, min: 2, max: 5) == (
                2, "TooFewReplicas"
            ))
        #expect(
            HPAControllerStateMachine.convertDesiredReplicasWithRules(current: 3, desired: 4, min: 2, max: 5) == (
                4, "DesiredWithinRange"
            ))
    }

    /// stabilizeRecommendation: the highest proposal of the last 5 minutes; a sample exactly 300 s old still counts.
    @Test func withoutBehaviorScaleDownWaitsFiveMinutes() {
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(minReplicas: 1, maxReplicas: 20, metrics: [Self.podsMetric]))
        _ = machine.sync(now: 0, observation: observation(10, perPod: 1))  // seeds 10, proposes 10
        var replicas: [Int32] = []
        for step in 1...22 {
            let decision = machine.sync(now: Double(step) * 15, observation: observation(10, perPod: 0.2))
            replicas.append(decision.replicas)
            if decision.replicas != 10 { break }
        }
        // Proposals of 2 from t = 15 s; the 10s recorded at t = 0 leave the window after t = 300 s.
        #expect(replicas.count == 21)
        #expect(replicas.last == 2)
    }

    @Test func currentAboveMaxOrBelowMinJumps() {
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(minReplicas: 2, maxReplicas: 5, metrics: [Self.podsMetric]))
        let above = machine.sync(now: 0, observation: observation(8, perPod: 0))
        #expect(above.replicas == 5)
        #expect(above.desiredReplicas == 5)
        #expect(above.reason == "TooManyReplicas")
        let below = machine.sync(now: 15, observation: observation(1, perPod: 100))
        #expect(below.replicas == 2)
        #expect(below.reason == "TooFewReplicas")
    }

    @Test func zeroReplicasMeansScalingIsDisabled() {
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(minReplicas: 1, maxReplicas: 5, metrics: [Self.podsMetric]))
        let decision = machine.sync(
            now: 0, observation: Observation(specReplicas: 0, pods: [], readings: [.perPod([])]))
        #expect(decision.replicas == 0)
        #expect(decision.reason == "ScalingDisabled")
    }

    @Test func severalMetricsTakeTheLargestProposal() {
        let spec = ControllerSpec(
            minReplicas: 1, maxReplicas: 50,
            metrics: [
                Self.podsMetric, ControllerSpec.Metric(source: .external(name: "queue"), target: .averageValue(10_000)),
            ])
        var machine = HPAControllerStateMachine(spec: spec)
        var observation = observation(4, perPod: 1.5)  // proposes 6
        observation.readings.append(.total(100_000))  // 100 / 10 per pod → 10
        let decision = machine.sync(now: 0, observation: observation)
        #expect(decision.desiredReplicas == 10)
        #expect(decision.metricValues == [1500, 25_000])
    }

    /// computeReplicasForMetrics: one failed metric blocks a scale-down, not a scale-up.
    @Test func aFailedMetricBlocksScaleDownOnly() {
        let spec = ControllerSpec(
            minReplicas: 1, maxReplicas: 50,
            metrics: [
                Self.podsMetric, ControllerSpec.Metric(source: .external(name: "queue"), target: .value(1000)),
            ])
        var machine = HPAControllerStateMachine(spec: spec)
        var down = observation(4, perPod: 0.1)
        down.readings.append(.unavailable("no data"))
        let blocked = machine.sync(now: 0, observation: down)
        #expect(blocked.replicas == 4)
        #expect(blocked.reason == "FailedComputeMetricsReplicas")
        var up = observation(4, perPod: 2)
        up.readings.append(.unavailable("no data"))
        #expect(machine.sync(now: 15, observation: up).replicas == 8)
    }

    // MARK: - With behavior

    static func behavior(
        up: ControllerSpec.Rules = .defaultScaleUp, down: ControllerSpec.Rules = .defaultScaleDown
    ) -> ControllerSpec.Behavior { ControllerSpec.Behavior(scaleUp: up, scaleDown: down) }

    /// The API defaults: max(4 pods, 100 %) per 15 s.
    @Test func defaultBehaviorScaleUp() {
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(
                minReplicas: 1, maxReplicas: 100, metrics: [Self.podsMetric], behavior: Self.behavior()))
        let decisions = run(&machine, from: 2, want: 48, syncs: 5)
        #expect(decisions.map(\.replicas) == [6, 12, 24, 48, 48])
        #expect(decisions[0].reason == "ScaleUpLimit")
    }

    @Test func selectPolicyMinAndDisabled() {
        let rules = ControllerSpec.Rules(
            stabilizationWindowSeconds: 0, selectPolicy: .min,
            policies: [
                ControllerSpec.Policy(.pods, 4, periodSeconds: 15),
                ControllerSpec.Policy(.percent, 100, periodSeconds: 15),
            ])
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(
                minReplicas: 1, maxReplicas: 100, metrics: [Self.podsMetric], behavior: Self.behavior(up: rules)))
        #expect(run(&machine, from: 2, want: 48, syncs: 3).map(\.replicas) == [4, 8, 12])

        var disabled = rules
        disabled.selectPolicy = .disabled
        var frozen = HPAControllerStateMachine(
            spec: ControllerSpec(
                minReplicas: 1, maxReplicas: 100, metrics: [Self.podsMetric], behavior: Self.behavior(up: disabled)))
        let decisions = run(&frozen, from: 2, want: 48, syncs: 2)
        #expect(decisions.map(\.replicas) == [2, 2])
        #expect(decisions[0].reason == "ScaleUpLimit")
    }

    /// Percent up rounds up: 3 × 1.1 = 3.3 → 4; Percent down truncates: 3 × 0.9 = 2.7 → 2.
    @Test func percentRounding() {
        let up = ControllerSpec.Rules(
            stabilizationWindowSeconds: 0, selectPolicy: .max,
            policies: [ControllerSpec.Policy(.percent, 10, periodSeconds: 60)])
        #expect(HPAControllerStateMachine.scaleUpLimit(now: 0, current: 3, up: [], down: [], rules: up) == 4)
        #expect(HPAControllerStateMachine.scaleDownLimit(now: 0, current: 3, up: [], down: [], rules: up) == 2)
    }

    /// Percent 10 % per 60 s from 80: 72 at once, 64 once the first event leaves the period (at t = 60 s).
    @Test func percentScaleDownPerPeriod() {
        let down = ControllerSpec.Rules(
            stabilizationWindowSeconds: 0, selectPolicy: .max,
            policies: [ControllerSpec.Policy(.percent, 10, periodSeconds: 60)])
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(
                minReplicas: 1, maxReplicas: 100, metrics: [Self.podsMetric], behavior: Self.behavior(down: down)))
        let decisions = run(&machine, from: 80, want: 10, syncs: 9)
        #expect(decisions.map(\.replicas) == [72, 72, 72, 72, 64, 64, 64, 64, 57])
        #expect(decisions[0].reason == "ScaleDownLimit")
    }

    /// Pods 2 per 60 s: the events inside the period lower the period's start.
    @Test func podsPolicyCountsEventsInThePeriod() {
        let up = ControllerSpec.Rules(
            stabilizationWindowSeconds: 0, selectPolicy: .max,
            policies: [ControllerSpec.Policy(.pods, 2, periodSeconds: 60)])
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(
                minReplicas: 1, maxReplicas: 100, metrics: [Self.podsMetric], behavior: Self.behavior(up: up)))
        #expect(run(&machine, from: 2, want: 20, syncs: 6).map(\.replicas) == [4, 4, 4, 4, 6, 6])
    }

    /// Scale-ups inside a scale-down period lower its start: 10 now, +4 ten seconds ago → start 6, Pods 1 → 5.
    @Test func eventsOfTheOtherDirectionCount() {
        let down = ControllerSpec.Rules(
            stabilizationWindowSeconds: 0, selectPolicy: .max,
            policies: [ControllerSpec.Policy(.pods, 1, periodSeconds: 60)])
        let events = [HPAControllerStateMachine.Timestamped(replicas: 4, time: -10)]
        #expect(HPAControllerStateMachine.scaleDownLimit(now: 0, current: 10, up: events, down: [], rules: down) == 5)
    }

    /// stabilizeRecommendationWithBehaviors: a scale-up window takes the lowest recent proposal.
    @Test func scaleUpStabilizationWindow() {
        let up = ControllerSpec.Rules(
            stabilizationWindowSeconds: 60, selectPolicy: .max,
            policies: [ControllerSpec.Policy(.percent, 1000, periodSeconds: 15)])
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(
                minReplicas: 1, maxReplicas: 100, metrics: [Self.podsMetric], behavior: Self.behavior(up: up)))
        // The seed (2 at t = 0) holds the count until it leaves the window, at t = 60 s.
        let decisions = run(&machine, from: 2, want: 10, syncs: 6)
        #expect(decisions.map(\.replicas) == [2, 2, 2, 2, 10, 10])
    }

    @Test func scaleDownWindowFromTheControllerWhenUnset() {
        var machine = HPAControllerStateMachine(
            spec: ControllerSpec(minReplicas: 1, maxReplicas: 20, metrics: [Self.podsMetric], behavior: Self.behavior())
        )
        _ = machine.sync(now: 0, observation: observation(10, perPod: 1))
        var firstDrop: Double?
        for step in 1...30 {
            let decision = machine.sync(now: Double(step) * 15, observation: observation(10, perPod: 0.2))
            if decision.replicas != 10 {
                firstDrop = Double(step) * 15
                break
            }
        }
        // With behavior the sample must be strictly after now − 300 s: at t = 300 s the t = 0 proposal is out.
        #expect(firstDrop == 300)
    }

    @Test func perHPAToleranceNeedsTheGate() {
        var rules = ControllerSpec.Rules.defaultScaleUp
        rules.tolerance = 0.5
        let spec = ControllerSpec(
            minReplicas: 1, maxReplicas: 100, metrics: [Self.podsMetric], behavior: Self.behavior(up: rules))
        var gated = HPAControllerStateMachine(spec: spec)
        #expect(gated.sync(now: 0, observation: observation(4, perPod: 1.4)).replicas == 4)
        var old = HPAControllerStateMachine(spec: spec, options: ControllerOptions(configurableTolerance: false))
        #expect(old.sync(now: 0, observation: observation(4, perPod: 1.4)).replicas == 6)
    }
}
