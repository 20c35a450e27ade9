import Engine
import Foundation
import Logging
import Manifests
import Webhook

/// Measures the CPU cost of reviewing one AdmissionReview, HTTP aside: `AdmissionController.start` as
/// `serve` wires it (embedded default policy, admission vantage, no Kubernetes API, the ML profiles as mutator, the
/// JSON log handler and the Prometheus metrics), then `AdmissionReview.parseRequest` and `Engine.evaluate` alone.
///
///     hpaguard-review-bench [--policy FILE] REQUEST.json [ITERATIONS] [PART]  µs/review and reviews/s per endpoint
///     hpaguard-review-bench --dump REQUEST.json...         status and body of each endpoint's answer, for diffs
///
/// `--policy FILE` reviews with that policy over the default (its custom rules, say) and first prints how long
/// loading it takes (parse, and compile and check every CEL expression).
///
/// PART `paired` (with `--policy`) times /validate with the default policy and with FILE's in alternating batches,
/// and prints each side's fastest batch and the median difference of adjacent batches: on a shared machine, the
/// wall-clock figures that can show a microsecond.
///
/// PART (validate, mutate, parse or evaluate) runs that part only: under `valgrind --tool=callgrind`, the difference
/// between two iteration counts is the instructions of that many reviews, start-up aside (`callgrind.sh` beside
/// this file does that for each part).
///
/// Log lines go to /dev/null (standard error is redirected there), so they are built and written but not shown;
/// `--dump` keeps standard error, so the log lines can be compared too.
@main
struct ReviewBench {
    /// Synchronous, like `serve`: the reviews run on the concurrency pool while this thread waits (an async main
    /// parks the main thread in `dispatch_main`, which valgrind 3.19 does not survive).
    static func main() {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await run()
            } catch {
                print("hpaguard-review-bench: \(error)")
                exit(1)
            }
            done.signal()
        }
        done.wait()
    }

    static func run() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let dump = arguments.first == "--dump"
        if dump { arguments.removeFirst() }
        var policy = try PolicyLoader.defaultPolicy()
        if arguments.first == "--policy", arguments.count > 1 {
            let path = arguments[1]
            arguments.removeFirst(2)
            let text = String(decoding: try read(path), as: UTF8.self)
            let loads = 200
            let elapsed = try await measure(loads) { policy = try PolicyLoader.load(text: text, file: path) }
            report("policy load", elapsed, loads, extra: policy.customRules.count)
        }
        guard let first = arguments.first else {
            print("usage: hpaguard-review-bench REQUEST.json [ITERATIONS] | --dump REQUEST.json...")
            exit(2)
        }
        let engine = Engine(policy: policy, kubeVersion: .newestStable, vantage: .admission)
        let controller = Self.controller(engine)

        if dump {
            for path in arguments {
                let body = try read(path)
                for endpoint in [AdmissionController.Endpoint.validate, .mutate] {
                    let answer = await controller.review(body, endpoint: endpoint)
                    print("== \(path) \(endpoint.rawValue) \(answer.status)")
                    print(String(decoding: answer.body, as: UTF8.self))
                }
            }
            return
        }

        let body = try read(first)
        let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000
        let only = arguments.count > 2 ? arguments[2] : nil
        silenceStandardError()

        if only == "paired" {
            try await paired(body, iterations, with: controller)
            return
        }

        let endpoints = [AdmissionController.Endpoint.validate, .mutate]
        for endpoint in endpoints where only == nil || only == endpoint.rawValue {
            var bytes = 0
            let elapsed = try await measure(iterations) { bytes &+= await review(body, endpoint, by: controller) }
            report("review /\(endpoint.rawValue)", elapsed, iterations, extra: bytes)
        }

        if only == nil || only == "parse" {
            let parseTime = try await measure(iterations) { _ = try AdmissionReview.parseRequest(body) }
            report("parseRequest", parseTime, iterations, extra: 0)
        }

        guard only == nil || only == "evaluate", let value = try AdmissionReview.parseRequest(body).object else {
            return
        }
        let object = ManifestObject(value: value, file: "<admission request>")
        let resolver = SnapshotResolver(
            snapshot: await NoClusterReader().snapshot(around: object, namespace: object.namespace ?? "default"),
            reviewed: object, kinds: engine.policy.settings.workloadKinds)
        var findings = 0
        let evaluateTime = try await measure(iterations) {
            findings &+= engine.evaluate(object, resolver: resolver).count
        }
        report("engine.evaluate", evaluateTime, iterations, extra: findings)
    }

    /// One review as `serve` runs it: on the spot, since nothing needs waiting for without a Kubernetes API; the
    /// answer's size.
    static func review(_ body: [UInt8], _ endpoint: AdmissionController.Endpoint, by controller: AdmissionController) async -> Int {
        switch controller.start(body, endpoint: endpoint) {
        case .answered(let answer): answer.body.count
        case .waiting(let pending): await pending.finish().body.count
        }
    }

    /// The controller `serve` wires for `engine`.
    static func controller(_ engine: Engine) -> AdmissionController {
        AdmissionController(
            engine: engine, cluster: NoClusterReader(), mutator: ProfileMutations(engine: engine),
            metrics: WebhookMetrics(), logger: Logger(label: "hpaguard") { JSONLogHandler(label: $0) })
    }

    /// /validate with the default policy and with `controller`'s, in alternating batches of a hundred reviews: each
    /// side's fastest batch, and the median of the differences of adjacent batches (what the policy adds, with the
    /// machine's drift and neighbours affecting both sides of each difference alike).
    static func paired(_ body: [UInt8], _ iterations: Int, with controller: AdmissionController) async throws {
        let baseline = Self.controller(
            Engine(policy: try PolicyLoader.defaultPolicy(), kubeVersion: .newestStable, vantage: .admission))
        let batch = 100
        var fastest = (baseline: Duration.seconds(3600), policy: Duration.seconds(3600))
        var differences: [Duration] = []
        for round in 0...max(1, iterations / batch) {
            let baselineTime = try await measure(batch, warmUp: false) { _ = await review(body, .validate, by: baseline) }
            let policyTime = try await measure(batch, warmUp: false) { _ = await review(body, .validate, by: controller) }
            guard round > 0 else { continue }  // the first round warms both up
            fastest = (min(fastest.baseline, baselineTime), min(fastest.policy, policyTime))
            differences.append(policyTime - baselineTime)
        }
        report("default policy", fastest.baseline, batch, extra: 0)
        report("with --policy", fastest.policy, batch, extra: 0)
        report("median difference", differences.sorted()[differences.count / 2], batch, extra: differences.count)
    }

    /// Runs `body` a tenth of `iterations` times to warm up, then `iterations` times on the clock.
    static func measure(_ iterations: Int, warmUp: Bool = true, _ body: () async throws -> Void) async throws -> Duration {
        if warmUp { for _ in 0..<max(1, iterations / 10) { try await body() } }
        let start = ContinuousClock.now
        for _ in 0..<iterations { try await body() }
        return ContinuousClock.now - start
    }

    static func report(_ name: String, _ elapsed: Duration, _ iterations: Int, extra: Int) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let micros = seconds * 1e6 / Double(iterations)
        let perSecond = Double(iterations) / seconds
        let name = name.padding(toLength: 18, withPad: " ", startingAt: 0)
        let figures = String(format: "%9.2f µs  %9.0f /s", micros, perSecond)
        print("\(name) \(figures)  (n=\(iterations), \(extra))")
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            print("hpaguard-review-bench: cannot read \(path)")
            exit(2)
        }
        return Array(data)
    }

    /// The log handler writes to standard error: point that at /dev/null, so lines are written but not shown.
    static func silenceStandardError() {
        let null = open("/dev/null", O_WRONLY)
        guard null >= 0 else { return }
        dup2(null, STDERR_FILENO)
        close(null)
    }
}
