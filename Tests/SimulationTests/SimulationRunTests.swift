import Engine
import Foundation
import Manifests
import Testing

@testable import Simulation

/// The pod model and the run over a trace, and scenarios built from manifests.
@Suite struct SimulationRunTests {
    static func configuration(
        metric: ControllerSpec.Metric = ControllerSpec.Metric(
            source: .pods(name: "queue"), target: .averageValue(5000)),
        min: Int32 = 1, max: Int32 = 10, behavior: ControllerSpec.Behavior? = nil, load: Double = 0,
        capacity: Double? = 5, mapping: LoadMapping = .perPodShare, request: Int64 = 0
    ) -> RunConfiguration {
        RunConfiguration(
            name: "as written",
            spec: ControllerSpec(minReplicas: min, maxReplicas: max, metrics: [metric], behavior: behavior),
            behavior: .null, options: ControllerOptions(), mapping: mapping, loadSeconds: load, capacity: capacity,
            requestMilli: request, initialReplicas: min, acceleratorsPerPod: 0)
    }

    @Test func stepWithoutLoadTime() throws {
        let results = try Simulator.run(
            [Self.configuration()], trace: TraceSource.step(from: 5, to: 20, at: 60).open(bucketSeconds: 15),
            syncPeriod: 15, duration: 120)
        let run = try #require(results.first)
        #expect(run.timeline.map(\.time) == [0, 15, 30, 45, 60, 75, 90, 105, 120])
        // At 60 s: one pod sees 20 against a target of 5 → 4 replicas, ready at once.
        #expect(run.timeline[4].desiredReplicas == 4)
        #expect(run.timeline[4].replicas == 4)
        #expect(run.timeline[4].readyReplicas == 4)
        #expect(run.timeline[4].metric == 20)
        #expect(run.summary.unservedLoadSeconds == 0)
        #expect(run.summary.peakReplicas == 4)
        #expect(run.summary.scaleUps == 1)
        // 1 pod for 60 s, 4 pods for 60 s.
        #expect(run.summary.replicaSeconds == 300)
        #expect(run.summary.duration == 120)
    }

    /// New pods are Ready after the load time; meanwhile the load above the ready pods' capacity is unserved, and
    /// the controller counts the loading pods (no metrics yet) as 0 on scale-up.
    @Test func loadTimeLeavesLoadUnserved() throws {
        let results = try Simulator.run(
            [Self.configuration(load: 100)], trace: TraceSource.step(from: 5, to: 20, at: 60).open(bucketSeconds: 15),
            syncPeriod: 15, duration: 300)
        let run = try #require(results.first)
        let at60 = run.timeline[4]
        #expect(at60.replicas == 4)
        #expect(at60.readyReplicas == 1)
        // 15 above capacity from 60 s to 160 s.
        #expect(run.summary.unservedLoadSeconds == 1500)
        #expect(run.summary.longestUnservedSeconds == 100)
        #expect(run.summary.unservedStretches == [UnservedStretch(start: 60, seconds: 100)])
        // While loading: ready pod at 20 → ratio 4, missing pods as 0 → (20 + 0 + 0 + 0) / 4 = 5 → ratio 1 → keep 4.
        #expect(run.timeline[5].desiredReplicas == 4)
        #expect(run.timeline[5].replicas == 4)
        #expect(run.timeline.last?.readyReplicas == 4)
    }

    @Test func withoutCapacityUnservedIsUnknownNotZero() throws {
        let results = try Simulator.run(
            [Self.configuration(capacity: nil)],
            trace: TraceSource.step(from: 5, to: 20, at: 60).open(bucketSeconds: 15),
            syncPeriod: 15, duration: 120)
        let summary = try #require(results.first?.summary)
        #expect(summary.unservedLoadSeconds == nil)
        #expect(summary.longestUnservedSeconds == nil)
        #expect(results.first?.timeline.first?.capacity == nil)
    }

    /// CPU Utilization: a loading pod is unready (the CPU rules) and counts as 0 on scale-up.
    @Test func cpuUtilization() throws {
        let metric = ControllerSpec.Metric(source: .resource(name: "cpu", container: nil), target: .utilization(50))
        let results = try Simulator.run(
            [Self.configuration(metric: metric, min: 2, max: 20, load: 60, capacity: 1, request: 1000)],
            trace: TraceSource.step(from: 1, to: 4, at: 30).open(bucketSeconds: 15), syncPeriod: 15, duration: 180)
        let run = try #require(results.first)
        // 4 cores over 2 pods of 1 core = 200 % against 50 % → ratio 4 → 8 replicas, limited to max(4, 4) = 4... no
        // behavior: max(2 × 2, 4) = 4.
        #expect(run.timeline[2].metric == 200)
        #expect(run.timeline[2].desiredReplicas == 8)
        #expect(run.timeline[2].replicas == 4)
        #expect(run.timeline[2].reason == "ScaleUpLimit")
        // Next sync: 2 ready at 200 %, 2 unready → rebalanced as 0: 4000 m / 4000 m = 100 % → ratio 2 → 8.
        #expect(run.timeline[3].desiredReplicas == 8)
        #expect(run.timeline[3].replicas == 8)
    }

    @Test func objectValueSeesTheLoadItself() throws {
        let metric = ControllerSpec.Metric(source: .external(name: "queue"), target: .value(10_000))
        let results = try Simulator.run(
            [Self.configuration(metric: metric, min: 2, capacity: nil, mapping: .total)],
            trace: TraceSource.step(from: 10, to: 40, at: 15).open(bucketSeconds: 15), syncPeriod: 15, duration: 30)
        let run = try #require(results.first)
        #expect(run.timeline[1].metric == 40)
        // ratio 4 × 2 ready pods = 8, limited to max(2 × 2, 4) = 4.
        #expect(run.timeline[1].desiredReplicas == 8)
    }

    /// A file trace runs to its last row by default.
    @Test func durationDefaultsToTheTracesEnd() throws {
        let path = try TraceTests.file("seconds,load\n0,5\n100,10\n")
        let results = try Simulator.run(
            [Self.configuration()], trace: TraceSource.file(path).open(bucketSeconds: 15), syncPeriod: 15, duration: nil
        )
        let run = try #require(results.first)
        #expect(run.timeline.last?.time == 90)
        #expect(run.summary.duration == 100)
        #expect(run.summary.replicaSeconds >= 100)
    }

    /// Two runs read the trace once, in lockstep.
    @Test func twoRunsInLockstep() throws {
        let paced = ControllerSpec.Behavior(
            scaleUp: ControllerSpec.Rules(
                stabilizationWindowSeconds: 0, selectPolicy: .max,
                policies: [ControllerSpec.Policy(.pods, 1, periodSeconds: 60)]))
        var second = Self.configuration(behavior: paced)
        second.name = "with profile"
        let results = try Simulator.run(
            [Self.configuration(), second], trace: TraceSource.step(from: 5, to: 20, at: 60).open(bucketSeconds: 15),
            syncPeriod: 15, duration: 300)
        #expect(results.count == 2)
        #expect(results[0].summary.peakReplicas == 4)
        #expect(results[1].timeline[4].replicas == 2)
        #expect(results[1].summary.unservedLoadSeconds! > results[0].summary.unservedLoadSeconds!)
    }

    // MARK: - Scenarios from manifests

    static func hpa(_ path: String) throws -> (HPA, Workload?, Policy) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent(path)
        let bytes = Array(try Data(contentsOf: url))
        let loaded = ManifestLoader.load(bytes, file: path)
        let policy = try PolicyLoader.defaultPolicy()
        let resolver = InventoryResolver(objects: loaded.objects, kinds: policy.settings.workloadKinds)
        let hpa = try #require(loaded.objects.first(where: HPA.isHPA).flatMap(HPA.init))
        var workload: Workload?
        if case .found(let found) = resolver.resolve(hpa.scaleTargetRef, namespace: hpa.namespace) { workload = found }
        return (hpa, workload, policy)
    }

    @Test func llmProfileScenario() throws {
        let (hpa, workload, policy) = try Self.hpa("testdata/profiles/llm-vllm-detected/before.yaml")
        var options = SimulationOptions()
        options.withProfile = true
        options.capacity = 5
        let scenario = try Scenario(hpa: hpa, workload: workload, policy: policy, options: options)
        #expect(scenario.loadSeconds == 360)
        #expect(scenario.loadSource == "the target's startupProbe budget")
        #expect(scenario.runs.map(\.name) == ["as written", "with profile"])
        #expect(scenario.runs[0].spec.behavior == nil)
        #expect(scenario.runs[1].spec.behavior != nil)
        #expect(scenario.runs[0].acceleratorsPerPod == 1)
        #expect(scenario.profile?.hasPrefix("llm-inference") == true)
        #expect(scenario.assumptions.contains { $0.contains("not a measurement") })
    }

    @Test func loadTimeFlagOverrides() throws {
        let (hpa, workload, policy) = try Self.hpa("testdata/profiles/llm-vllm-detected/before.yaml")
        var options = SimulationOptions()
        options.modelLoadSeconds = 42
        let scenario = try Scenario(hpa: hpa, workload: workload, policy: policy, options: options)
        #expect(scenario.loadSeconds == 42)
        #expect(scenario.loadSource == "--model-load-seconds")
        #expect(scenario.capacity == nil)
    }

    @Test func utilizationWithoutACapacityIsRefused() throws {
        let yaml = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: missing}
              maxReplicas: 5
            """
        let loaded = ManifestLoader.load(Array(yaml.utf8), file: "web.yaml")
        let hpa = try #require(loaded.objects.first.flatMap(HPA.init))
        #expect {
            _ = try Scenario(
                hpa: hpa, workload: nil, policy: try PolicyLoader.defaultPolicy(), options: SimulationOptions())
        } throws: { error in
            "\(error)".contains("needs --capacity")
        }
        var options = SimulationOptions()
        options.capacity = 0.5
        let scenario = try Scenario(hpa: hpa, workload: nil, policy: try PolicyLoader.defaultPolicy(), options: options)
        #expect(scenario.metricDescription == "cpu")
        #expect(scenario.runs[0].spec.metrics[0].target == .utilization(80))
        #expect(scenario.runs[0].requestMilli == 500)

        // A per-request trace is in requests per second: the request in cores cannot stand in for a capacity.
        var perRequest = SimulationOptions()
        perRequest.perRequestTrace = true
        #expect {
            _ = try Scenario(hpa: hpa, workload: nil, policy: try PolicyLoader.defaultPolicy(), options: perRequest)
        } throws: { error in
            "\(error)".contains("the trace counts requests")
        }
        perRequest.capacity = 3
        let counted = try Scenario(
            hpa: hpa, workload: nil, policy: try PolicyLoader.defaultPolicy(), options: perRequest)
        #expect(counted.loadUnit == "requests/s")
    }
}
