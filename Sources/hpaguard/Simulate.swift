import ArgumentParser
import Engine
import Foundation
import Manifests
import Simulation

enum SimulationFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, svg, html
}

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a load trace through the HPA controller's algorithm, model load time included.",
        discussion: """
            The HPA (any autoscaling version, converted and defaulted as the API server does) is run at the \
            controller's sync period over the trace: CSV `seconds,load`, a per-request trace (Azure LLM inference, \
            BurstGPT), or step:FROM:TO@T, spike:BASE:PEAK@T+D, ramp:FROM:TO@T1-T2, diurnal:LOW:HIGH/PERIOD. \
            The load is in the unit of the HPA's metric, summed over the workload. Exit status: 0 simulated, \
            2 usage error, unreadable input or trace, or an HPA that cannot be simulated.
            """
    )

    @Option(help: "A policy file laid over the embedded default (its profiles are the ones --with-profile applies).")
    var policy: String?
    @Option(name: .customLong("kube-version"), help: "The Kubernetes version the controller runs (X.Y).")
    var kubeVersion: KubeVersion = .newestStable
    @Option(help: "The offered load: a CSV file or a built-in shape (see the discussion).")
    var trace: String
    @Option(help: "The HPA to simulate when PATHs hold several: [NAMESPACE/]NAME.")
    var hpa: String?
    @Option(help: "The metric the trace drives (its name, or the resource name); default: the first.")
    var metric: String?
    @Option(help: "The load one pod carries (at 100 % of its request for a Utilization target).")
    var capacity: Double?
    @Option(name: .customLong("initial-replicas"), help: "Pods at the start, all ready (default: minReplicas).")
    var initialReplicas: Int32?
    @Option(
        name: .customLong("model-load-seconds"),
        help: "Seconds from a pod's creation to Ready (default: as the profiles read it).")
    var modelLoadSeconds: Double?
    @Option(name: .customLong("sync-period"), help: "The controller's sync period (Go duration).")
    var syncPeriod: String = "15s"
    @Option(help: "How long to simulate (Go duration; default: the trace's last time).")
    var duration: String?
    @Flag(
        name: .customLong("with-profile"), help: "Also run the HPA as `hpaguard mutate` would leave it, side by side.")
    var withProfile = false
    @Option(help: "Output format: text, json, svg or html.")
    var format: SimulationFormat = .text
    @Option(help: "Write the result to this file instead of standard output.")
    var output: String?
    @Argument(help: "Files, directories, or - for standard input: the HPA and, when present, its target.")
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one PATH (or - for standard input)") }
        guard let period = GoDuration.seconds(syncPeriod), period > 0 else {
            throw ValidationError("--sync-period '\(syncPeriod)' is not a positive duration (15s, 1m)")
        }
        if let duration {
            guard GoDuration.seconds(duration) != nil else {
                throw ValidationError("--duration '\(duration)' is not a duration (90s, 15m, 1h)")
            }
        }
        if let capacity, !(capacity > 0 && capacity.isFinite) {
            throw ValidationError("--capacity must be a number above 0")
        }
        if let initialReplicas, initialReplicas < 0 { throw ValidationError("--initial-replicas must be 0 or more") }
        if let modelLoadSeconds, !(modelLoadSeconds >= 0 && modelLoadSeconds.isFinite) {
            throw ValidationError("--model-load-seconds must be 0 or more")
        }
        if let duration = duration.flatMap(GoDuration.seconds), duration / period > 5_000_000 {
            throw ValidationError("--duration over --sync-period is more than 5 million syncs")
        }
    }

    func run() throws {
        let policy = try loadPolicy(policy)
        let contents = try readAll(try collectInputs(paths))
        let loaded = contents.map { ManifestLoader.load($0.bytes, file: $0.name) }
        let objects = loaded.flatMap(\.objects)
        let resolver = InventoryResolver(objects: objects, kinds: policy.settings.workloadKinds)
        let hpas = objects.filter(HPA.isHPA)
        func fail(_ message: String) -> ExitCode {
            warn("hpaguard simulate: \(message)")
            return ExitCode(2)
        }
        for file in loaded {
            for problem in file.problems { warn("hpaguard simulate: \(file.file): \(problem.message)") }
        }
        func label(_ object: ManifestObject) -> String {
            "\(object.namespace.map { "\($0)/" } ?? "")\(object.name ?? "(unnamed)") (\(object.file))"
        }
        let chosen: ManifestObject
        if let wanted = hpa {
            let parts = wanted.split(separator: "/", maxSplits: 1).map(String.init)
            let (namespace, name) = parts.count == 2 ? (Optional(parts[0]), parts[1]) : (nil, parts[0])
            let matches = hpas.filter {
                $0.name == name && (namespace == nil || ($0.namespace ?? "default") == namespace)
            }
            guard let match = matches.first else {
                throw fail(
                    "no HPA \(wanted) in the files given (HPAs: \(hpas.isEmpty ? "none" : hpas.map(label).joined(separator: ", ")))"
                )
            }
            guard matches.count == 1 else {
                throw fail(
                    "--hpa \(wanted) matches several HPAs: \(matches.map(label).joined(separator: ", ")); name the namespace"
                )
            }
            chosen = match
        } else {
            guard let first = hpas.first else { throw fail("no HorizontalPodAutoscaler in the files given") }
            guard hpas.count == 1 else {
                throw fail(
                    "the files hold \(hpas.count) HPAs; pick one with --hpa [NAMESPACE/]NAME:\n"
                        + hpas.map { "  \(label($0))" }.joined(separator: "\n"))
            }
            chosen = first
        }
        guard let hpa = HPA(chosen) else { throw fail("\(label(chosen)) is not an HPA") }
        let workload: Workload? = {
            if case .found(let workload) = resolver.resolve(hpa.scaleTargetRef, namespace: hpa.namespace) {
                return workload
            }
            return nil
        }()

        let period = GoDuration.seconds(syncPeriod)!
        let source: TraceSource
        let stream: TraceStream
        do {
            source = try TraceSource.parse(trace)
            stream = try source.open(bucketSeconds: period)
        } catch {
            throw fail("\(error)")
        }
        var options = SimulationOptions()
        options.metric = metric
        options.capacity = capacity
        options.initialReplicas = initialReplicas
        options.modelLoadSeconds = modelLoadSeconds
        options.syncPeriod = period
        options.withProfile = withProfile
        options.kubeVersion = kubeVersion
        options.perRequestTrace = stream.format?.isPerRequest ?? false

        let scenario: Scenario
        do {
            scenario = try Scenario(hpa: hpa, workload: workload, policy: policy, options: options)
        } catch {
            throw fail("cannot simulate: \(error)")
        }
        let results: [RunResult]
        do {
            results = try Simulator.run(
                scenario.runs, trace: stream, syncPeriod: period,
                duration: duration.flatMap(GoDuration.seconds) ?? source.defaultDuration)
        } catch {
            throw fail("\(error)")
        }
        var traceLabel = source.description
        if case .file = source, let format = stream.format { traceLabel += " (\(format.rawValue))" }
        let report = SimulationReport(scenario: scenario, trace: traceLabel, syncPeriod: period, results: results)
        let rendered: String
        switch format {
        case .text: rendered = report.text()
        case .json: rendered = report.json()
        case .svg: rendered = report.svg()
        case .html: rendered = report.html()
        }
        if let output {
            do {
                try Data(rendered.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw fail("\(output): cannot write: \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(rendered.utf8))
        }
    }
}
