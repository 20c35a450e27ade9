import Testing

@testable import Simulation

/// Cases shaped after kubernetes `replica_calculator_test.go` (pods, levels, requests, readiness, target) with the
/// expected counts worked out by hand from the algorithm, plus the hand-computed checks.
@Suite struct ReplicaCalculatorTests {
    let calculator = ReplicaCalculator()
    let now = 0.0

    /// Ready pods started long ago (past the CPU initialization period).
    func readyPods(_ count: Int, request: Int64 = 1000) -> [ObservedPod] {
        Array(repeating: ObservedPod(request: request), count: count)
    }

    /// A pod started 60 s ago whose Ready condition is still False (within the CPU initialization period).
    func loadingPod(request: Int64 = 1000) -> ObservedPod {
        ObservedPod(ready: false, readyTransitionTime: -60, startTime: -60, request: request)
    }

    func samples(_ values: [Int64?]) -> [PodSample?] { values.map { $0.map { PodSample(value: $0, timestamp: now) } } }

    @Test func fiftyPodsAtNinetyPercentOfSeventyFiveGoToSixty() throws {
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 50, targetUtilization: 75, isCPU: true, tolerances: Tolerances(), pods: readyPods(50),
            samples: samples(Array(repeating: 900, count: 50)), now: now)
        #expect(proposal == MetricProposal(replicas: 60, value: 90))
    }

    @Test func aRatioOfExactlyOnePointOneKeepsTheCount() throws {
        let utilization = try calculator.resourceUtilizationReplicas(
            current: 4, targetUtilization: 50, isCPU: true, tolerances: Tolerances(), pods: readyPods(4),
            samples: samples(Array(repeating: 550, count: 4)), now: now)
        #expect(utilization.replicas == 4)
        let average = try calculator.plainMetricReplicas(
            current: 4, targetUsage: 10_000, isCPU: false, tolerances: Tolerances(), pods: readyPods(4),
            samples: samples(Array(repeating: 11_000, count: 4)), now: now)
        #expect(average.replicas == 4)
        // Just outside the band: 1.1 + one percent point.
        let above = try calculator.resourceUtilizationReplicas(
            current: 4, targetUtilization: 50, isCPU: true, tolerances: Tolerances(), pods: readyPods(4),
            samples: samples(Array(repeating: 560, count: 4)), now: now)
        #expect(above.replicas == 5)
    }

    /// TestReplicaCalcScaleUp: 3 pods at 300/500/700 m of 1000 m, target 30 % → 50 %, 5 replicas.
    @Test func scaleUp() throws {
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 3, targetUtilization: 30, isCPU: true, tolerances: Tolerances(), pods: readyPods(3),
            samples: samples([300, 500, 700]), now: now)
        #expect(proposal == MetricProposal(replicas: 5, value: 50))
    }

    /// TestReplicaCalcScaleUpUnreadyLessScale: an unready CPU pod counts as 0 on scale-up → 4, not 6.
    @Test func scaleUpCountsUnreadyPodsAsZero() throws {
        let pods = [loadingPod(), ObservedPod(request: 1000), ObservedPod(request: 1000)]
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 3, targetUtilization: 30, isCPU: true, tolerances: Tolerances(), pods: pods,
            samples: samples([300, 500, 700]), now: now)
        #expect(proposal == MetricProposal(replicas: 4, value: 60))
    }

    /// TestReplicaCalcScaleUpUnreadyNoScale: with the unready pods at 0 the direction flips → keep 3.
    @Test func scaleUpThatFlipsWithUnreadyPodsKeepsTheCount() throws {
        let pods = [loadingPod(), ObservedPod(request: 1000), loadingPod()]
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 3, targetUtilization: 30, isCPU: true, tolerances: Tolerances(), pods: pods,
            samples: samples([400, 500, 700]), now: now)
        #expect(proposal.replicas == 3)
        #expect(proposal.value == 50)
    }

    /// TestReplicaCalcScaleDown: 5 pods summing 1400 m of 5000 m, target 50 % → 28 %, ceil(0.56 × 5) = 3.
    @Test func scaleDown() throws {
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 5, targetUtilization: 50, isCPU: true, tolerances: Tolerances(), pods: readyPods(5),
            samples: samples([100, 300, 500, 250, 250]), now: now)
        #expect(proposal == MetricProposal(replicas: 3, value: 28))
    }

    /// TestReplicaCalcScaleDownExcludeUnreadyPods: unready pods are left out on scale-down, the ready count scales.
    @Test func scaleDownLeavesUnreadyPodsOut() throws {
        let pods = [
            loadingPod(), loadingPod(), ObservedPod(request: 1000), ObservedPod(request: 1000),
            ObservedPod(request: 1000),
        ]
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 5, targetUtilization: 50, isCPU: true, tolerances: Tolerances(), pods: pods,
            samples: samples([100, 300, 500, 250, 250]), now: now)
        // 1000 m of 3000 m = 33 %, ratio 0.66, ceil(0.66 × 3) = 2.
        #expect(proposal == MetricProposal(replicas: 2, value: 33))
    }

    /// Memory and custom metrics: a Running pod that is not Ready still counts when it has a sample.
    @Test func notReadyPodsWithSamplesCountForMemory() throws {
        let pods = [loadingPod(), ObservedPod(request: 1000)]
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 2, targetUtilization: 50, isCPU: false, tolerances: Tolerances(), pods: pods,
            samples: samples([1000, 1000]), now: now)
        #expect(proposal == MetricProposal(replicas: 4, value: 100))
    }

    /// A CPU pod that turned Ready inside the initialization period is unready until one sample window later.
    @Test func freshlyReadyCPUPodWaitsOneSampleWindow() throws {
        let fresh = ObservedPod(ready: true, readyTransitionTime: -10, startTime: -100, request: 1000)
        let pods = [fresh, ObservedPod(request: 1000)]
        let groups = calculator.group(
            pods, [PodSample(value: 0, timestamp: 0, window: 15), PodSample(value: 0, timestamp: 0, window: 15)],
            isCPU: true, now: 0)
        #expect(groups == [.unready, .ready])
        let later = calculator.group(
            pods, [PodSample(value: 0, timestamp: 10, window: 15), PodSample(value: 0, timestamp: 10, window: 15)],
            isCPU: true, now: 10)
        #expect(later == [.ready, .ready])
        // Past the initialization period a pod that was never ready stays unready.
        let neverReady = ObservedPod(ready: false, readyTransitionTime: -400, startTime: -400, request: 1000)
        #expect(calculator.group([neverReady], [PodSample(value: 0)], isCPU: true, now: 0) == [.unready])
    }

    @Test func pendingFailedAndDeletedPods() {
        let pods = [
            ObservedPod(phase: .pending), ObservedPod(phase: .failed), ObservedPod(deleted: true), ObservedPod(),
        ]
        let groups = calculator.group(pods, samples([1, 1, 1, nil]), isCPU: false, now: 0)
        #expect(groups == [.unready, .ignored, .ignored, .missing])
    }

    /// Missing pods on scale-down count as the target for Pods metrics: (10 + 10 + 20 + 20) / 4 = 15 → 3.
    @Test func missingPodsCountAsTheTargetOnScaleDown() throws {
        let proposal = try calculator.plainMetricReplicas(
            current: 4, targetUsage: 20, isCPU: false, tolerances: Tolerances(), pods: readyPods(4),
            samples: samples([10, 10, nil, nil]), now: now)
        #expect(proposal == MetricProposal(replicas: 3, value: 10))
    }

    /// Missing pods on scale-up count as 0: (40 + 40 + 0 + 0) / 4 = 20, ratio 1 → keep 4.
    @Test func missingPodsCountAsZeroOnScaleUp() throws {
        let proposal = try calculator.plainMetricReplicas(
            current: 4, targetUsage: 20, isCPU: false, tolerances: Tolerances(), pods: readyPods(4),
            samples: samples([40, 40, nil, nil]), now: now)
        #expect(proposal.replicas == 4)
    }

    /// Resource metrics: a missing pod counts as max(100 %, target) of its request on scale-down.
    @Test func missingPodsCountAsTheTargetAbove100Percent() throws {
        // At 150 %: (300 + 1500) / 2000 = 90 % → ratio 0.6 → ceil(1.2) = 2 (at 100 % it would be 1).
        let proposal = try calculator.resourceUtilizationReplicas(
            current: 2, targetUtilization: 150, isCPU: false, tolerances: Tolerances(), pods: readyPods(2),
            samples: samples([300, nil]), now: now)
        #expect(proposal.replicas == 2)
        let atHundred = try calculator.resourceUtilizationReplicas(
            current: 2, targetUtilization: 50, isCPU: false, tolerances: Tolerances(), pods: readyPods(2),
            samples: samples([100, nil]), now: now)
        // 10 % → ratio 0.2; missing as 100 %: (100 + 1000) / 2000 = 55 % → 1.1 → within the band → keep 2.
        #expect(atHundred.replicas == 2)
    }

    @Test func noSamplesFromReadyPodsIsAFailure() {
        #expect(throws: MetricFailure.self) {
            _ = try calculator.plainMetricReplicas(
                current: 2, targetUsage: 20, isCPU: false, tolerances: Tolerances(), pods: readyPods(2),
                samples: samples([nil, nil]), now: now)
        }
    }

    /// Object/External Value: the ratio scales the ready pods; at 0 replicas `ceil(ratio)`.
    @Test func valueTargets() {
        #expect(
            calculator.valueReplicas(current: 3, usage: 400, targetValue: 100, tolerances: Tolerances(), readyPods: 2)
                .replicas == 8)
        #expect(
            calculator.valueReplicas(current: 3, usage: 105, targetValue: 100, tolerances: Tolerances(), readyPods: 2)
                .replicas == 3)
        #expect(
            calculator.valueReplicas(current: 0, usage: 250, targetValue: 100, tolerances: Tolerances(), readyPods: 0)
                .replicas == 3)
    }

    /// Object/External AverageValue: over status.replicas, `ceil(usage / target)` outside the band.
    @Test func averageValueTargets() {
        let proposal = calculator.averageValueReplicas(
            statusReplicas: 3, usage: 1500, targetAverage: 100, tolerances: Tolerances())
        #expect(proposal == MetricProposal(replicas: 15, value: 500))
        #expect(
            calculator.averageValueReplicas(statusReplicas: 3, usage: 310, targetAverage: 100, tolerances: Tolerances())
                .replicas == 3)
    }

    @Test func tolerancesPerDirection() {
        let tolerances = Tolerances(scaleDown: 0.05, scaleUp: 0.5)
        #expect(tolerances.isWithin(1.5))
        #expect(!tolerances.isWithin(1.51))
        #expect(tolerances.isWithin(0.95))
        #expect(!tolerances.isWithin(0.94))
    }
}
