import ArgumentParser
import Cluster
import Engine
import Foundation
import Logging
import Webhook

struct Serve: AsyncParsableCommand {
    /// The webhook's own defaults: the options below start from them.
    private static let defaults = ServeOptions(certificateFile: "", keyFile: "")

    static let configuration = CommandConfiguration(
        abstract: "Run the validating and mutating admission webhook on the same engine and policy as `lint`.",
        discussion: """
            POST /validate and /mutate take AdmissionReview admission.k8s.io/v1 over HTTPS. GET /healthz and /readyz \
            answer on both ports; /metrics (Prometheus) on the metrics port, plain HTTP. The target workload, other \
            scalers, PDBs and LimitRanges are read from the Kubernetes API: in-cluster, or --kubeconfig. SIGTERM \
            drains and exits 0.
            """
    )

    @Option(name: .customLong("tls-cert-file"), help: "PEM certificate (chain) to serve; reloaded when it changes.")
    var tlsCertFile: String

    @Option(name: .customLong("tls-key-file"), help: "PEM private key: RSA (PKCS#1), EC (SEC1) or PKCS#8.")
    var tlsKeyFile: String

    @Option(help: "HTTPS port of the webhook.")
    var port: Int = defaults.port

    @Option(name: .customLong("metrics-port"), help: "Plain-HTTP port of /metrics, /healthz and /readyz.")
    var metricsPort: Int = defaults.metricsPort

    @Option(help: "Address to listen on.")
    var address: String = defaults.address

    @Option(help: "A policy file laid over the embedded default (policies/default.yaml).")
    var policy: String?

    @Option(
        help: "ValidatingAdmissionPolicies, bindings and parameters (a file or directory) to review HPAs with, as `lint --vap` does.")
    var vap: [String] = []

    @Option(help: "A kubeconfig (its current context) for target lookups; default: the in-cluster service account.")
    var kubeconfig: String?

    @Option(name: .customLong("lookup-timeout"), help: "Deadline of the Kubernetes API lookups of one review (e.g. 2s, 500ms).")
    var lookupTimeout = DurationArgument(defaults.lookupTimeout)

    @Option(name: .customLong("kube-version"), help: "The Kubernetes version to check against (X.Y).")
    var kubeVersion: KubeVersion = .newestStable

    @Option(name: .customLong("tls-reload-interval"), help: .hidden)
    var tlsReloadInterval = DurationArgument(defaults.certificateReloadInterval)

    @Option(name: .customLong("request-timeout"), help: .hidden)
    var requestTimeout = DurationArgument(.nanoseconds(defaults.requestTimeout.nanoseconds))

    @Option(
        name: .customLong("audit-interval"),
        help: "Run `hpaguard audit --all-namespaces` in the background this often (e.g. 5m) and export hpaguard_audit_findings; off by default.")
    var auditInterval: DurationArgument?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        for (name, value) in [("--port", port), ("--metrics-port", metricsPort)] where !(0...65535).contains(value) {
            throw ValidationError("\(name) must be 0-65535")
        }
        if port == metricsPort, port != 0 { throw ValidationError("--port and --metrics-port must differ") }
        guard lookupTimeout.duration > .zero, lookupTimeout.duration <= .seconds(25) else {
            throw ValidationError("--lookup-timeout must be between 1ms and 25s (inside the webhook's timeoutSeconds)")
        }
        if let auditInterval, auditInterval.duration < .seconds(10) {
            throw ValidationError("--audit-interval must be at least 10s")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \(logLevel)") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "hpaguard")
        logger.logLevel = level
        // The admission vantage: the API server has defaulted the object, so absent and defaulted fields look alike.
        let engine = Engine(
            policy: try loadPolicy(policy).adding(customRules: try loadAdmissionPolicies(vap)), kubeVersion: kubeVersion,
            vantage: .admission)
        var options = ServeOptions(certificateFile: tlsCertFile, keyFile: tlsKeyFile)
        options.address = address
        options.port = port
        options.metricsPort = metricsPort
        options.kubeconfig = kubeconfig
        options.lookupTimeout = lookupTimeout.duration
        options.auditInterval = auditInterval?.duration
        if let interval = auditInterval?.duration { options.auditTimeout = min(options.auditTimeout, interval) }
        options.certificateReloadInterval = tlsReloadInterval.duration
        options.requestTimeout = .nanoseconds(requestTimeout.duration.nanoseconds)

        do {
            try await WebhookServer.run(options: options, engine: engine, logger: logger)
        } catch {
            warn("hpaguard serve: \(error)")
            throw ExitCode(error is ServeError ? 2 : 1)
        }
    }
}

/// `2s`, `500ms`, `1.5s`, `1m`, `1h` or plain seconds.
struct DurationArgument: ExpressibleByArgument {
    let duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var text = argument.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        duration = .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    var defaultValueDescription: String { KubeClient.format(duration) }
}
