// `hpaguard serve`: the admission webhook. Choices, and why:
//
// - HTTP server: SwiftNIO's HTTP/1.1 codec and pipelining handler with a small handler of ours (`HTTPServer`), run
//   as a swift-service-lifecycle `Service` with NIOExtras' quiescing for graceful shutdown. A review whose cluster
//   facts are at hand (no API, or every lookup cached) runs on the event loop that read it, with no task hop; the
//   first version on Hummingbird spent most of each review's time in that hop and its async body streams.
// - TLS: swift-nio-ssl, the SwiftNIO TLS handler over BoringSSL (Google's OpenSSL fork, vendored and built with the
//   package: no system OpenSSL, same behaviour on every distro). It reads PEM RSA (PKCS#1), EC (SEC1) and PKCS#8
//   keys, and TLS 1.2+ is enforced. Each connection takes its context from `CertificateStore`, so a rotated
//   certificate is used without a restart or a failed handshake.
// - Kubernetes API client: AsyncHTTPClient, same swift-nio-ssl underneath: verified HTTPS with the cluster CA,
//   bearer tokens or client certificates, per-request deadlines and a connection pool. A hand-written NIO client
//   would duplicate its pool and timeout handling.
//   Lookups go through a short single-flight cache and a hard deadline (`KubernetesClusterReader`).
// - Lifecycle: one `ServiceGroup` runs the webhook server, the plain-HTTP metrics server, the certificate watcher and
//   the API client, and shuts them down in order on SIGTERM.
// - Metrics: swift-prometheus with a registry of its own (only hpaguard's five metrics on /metrics).
// - Logs: swift-log with a JSON-lines handler: one line per review with uid, object, operation, decision, duration.
//
// Failure stance (deploy/README.md "Failure policies"): the webhook answers every review in time. When the
// Kubernetes API is slow or down it admits with a warning naming what it could not check, so a cluster never depends
// on it to apply HPAs.
import Audit
import Cluster
import Engine
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Everything `hpaguard serve` is told on its command line.
public struct ServeOptions: Sendable {
    public var certificateFile: String
    public var keyFile: String
    public var address = "0.0.0.0"
    public var port = 8443
    public var metricsPort = 9090
    public var kubeconfig: String?
    public var lookupTimeout: Duration = .seconds(2)
    public var certificateReloadInterval: Duration = .seconds(2)
    /// Reviews evaluated at once; more wait (up to `maxQueuedReviews`), then get 503.
    public var maxConcurrentReviews = 64
    public var maxQueuedReviews = 1024
    public var maxConnections = 1024
    /// AdmissionReview bodies above this get 413 (objects are at most ~1.5 MiB; a review carries two).
    public var maxBodyBytes = 3 << 20
    /// A request must arrive whole (and be answered) within this from its first byte.
    public var requestTimeout: TimeAmount = .seconds(10)
    /// A kept-alive connection with no request is closed after this; longer than the API server's own 90 s idle
    /// timeout so that the client, not hpaguard, closes idle connections (no request races a close).
    public var idleTimeout: TimeAmount = .seconds(120)
    public var shutdownGracePeriod: Duration = .seconds(8)
    /// `--audit-interval`: run `hpaguard audit --all-namespaces` in the background this often; nil: never.
    public var auditInterval: Duration?
    /// The background audit's own deadline (each run).
    public var auditTimeout: Duration = .seconds(30)

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

/// A configuration `serve` cannot start with: message on stderr, exit 2.
public struct ServeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Tells the probes whether to send traffic here: true from start until shutdown begins.
public final class Readiness: Sendable {
    private let ready = Mutex(true)
    public init() {}
    public var isReady: Bool { ready.withLock { $0 } }
    public func shutDown() { ready.withLock { $0 = false } }
}

/// Marks the process not ready as soon as graceful shutdown starts (it is the first service shut down).
private struct ReadinessService: Service {
    let readiness: Readiness
    let logger: Logger
    func run() async throws {
        try? await gracefulShutdown()
        // The first service shut down: this line and "stopped" bracket the drain in the log.
        logger.info("stopping")
        readiness.shutDown()
    }
}

/// Shuts the API client down once the servers have drained (it is the last service shut down).
private struct ClientShutdownService: Service {
    let client: KubeClient?
    func run() async throws {
        try? await gracefulShutdown()
        await client?.shutdown()
    }
}

public enum WebhookServer {
    /// Builds everything from `options` (throwing `ServeError` for what cannot start), then serves until SIGTERM.
    public static func run(options: ServeOptions, engine: Engine, logger: Logger) async throws {
        let metrics = WebhookMetrics()
        let store: CertificateStore
        do {
            store = try CertificateStore(certificateFile: options.certificateFile, keyFile: options.keyFile) {
                metrics.setCertificateExpiry(Double($0))
            }
        } catch {
            throw ServeError("cannot load the serving certificate: \(error)")
        }

        // Read once: the lookups and the background audit reach the API with the same account.
        let apiConfig = try Self.apiConfig(options)
        let (cluster, client) = try makeClusterReader(
            config: apiConfig, options: options, readsNamespace: engine.customRulesReadNamespace, metrics: metrics,
            logger: logger)
        let controller = AdmissionController(
            engine: engine, cluster: cluster, mutator: ProfileMutations(engine: engine), metrics: metrics, logger: logger)
        let readiness = Readiness()
        let routes = WebhookRoutes(
            controller: controller,
            limiter: ConcurrencyLimiter(limit: options.maxConcurrentReviews, queueLimit: options.maxQueuedReviews),
            readiness: readiness, metrics: metrics)
        let webhook = HTTPServer(
            name: "webhook", host: options.address, port: options.port, tls: store,
            limits: HTTPServerLimits(
                maxBodyBytes: options.maxBodyBytes, requestTimeout: options.requestTimeout, idleTimeout: options.idleTimeout,
                maxConnections: options.maxConnections),
            routes: { routes.route($0, on: .webhook) }, logger: logger)
        let metricsServer = HTTPServer(
            name: "metrics", host: options.address, port: options.metricsPort, tls: nil,
            limits: HTTPServerLimits(
                maxBodyBytes: 64 << 10, requestTimeout: options.requestTimeout, idleTimeout: .seconds(60), maxConnections: 64),
            routes: { routes.route($0, on: .metrics) }, logger: logger)

        var audit: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let interval = options.auditInterval {
            // A background audit that ends (it only does on shutdown) must not take the webhook down with it.
            audit = [
                .init(
                    service: try makeBackgroundAudit(
                        config: apiConfig,
                        options: options, interval: interval, engine: engine, metrics: metrics, logger: logger),
                    successTerminationBehavior: .ignore),
            ]
        }
        // Graceful shutdown runs in reverse order: not-ready first, then the webhook drains, then the rest.
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: ClientShutdownService(client: client)),
            ] + audit + [
                .init(service: CertificateWatcher(store: store, interval: options.certificateReloadInterval, logger: logger)),
                .init(service: metricsServer),
                .init(service: webhook),
                .init(service: ReadinessService(readiness: readiness, logger: logger), successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: quietLogger(logger))
        configuration.maximumGracefulShutdownDuration = options.shutdownGracePeriod
        configuration.maximumCancellationDuration = .seconds(1)
        logger.info(
            "starting",
            metadata: [
                "kube_api": .string(client?.source ?? "none"),
                "lookup_timeout": .string(KubeClient.format(options.lookupTimeout)),
                "certificate_not_after": .stringConvertible(store.notAfter),
            ])
        try await ServiceGroup(configuration: configuration).run()
        logger.info("stopped")
    }

    /// How to reach the API: --kubeconfig, else in-cluster, else nil.
    static func apiConfig(_ options: ServeOptions) throws(ServeError) -> KubeAPIConfig? {
        do {
            if let kubeconfig = options.kubeconfig { return try KubeConfigLoader.load(kubeconfig: kubeconfig) }
            return try KubeConfigLoader.inCluster()
        } catch {
            throw ServeError(error.description)
        }
    }

    /// The API reader: --kubeconfig, else in-cluster, else none (lookups skipped with a warning).
    static func makeClusterReader(
        config: KubeAPIConfig?, options: ServeOptions, readsNamespace: Bool, metrics: WebhookMetrics, logger: Logger
    ) throws -> (any ClusterReader, KubeClient?) {
        guard let config else {
            logger.warning(
                "no Kubernetes API: not in a cluster and no --kubeconfig; targets, other scalers, PDBs and LimitRanges will not be checked")
            return (NoClusterReader(), nil)
        }
        let client: KubeClient
        do {
            client = try KubeClient(config: config, connectTimeout: options.lookupTimeout)
        } catch let error as KubeConfigError {
            throw ServeError(error.description)
        }
        if config.insecureSkipTLSVerify {
            logger.warning("insecure-skip-tls-verify: the API server's certificate is not verified", metadata: ["source": .string(config.source)])
        }
        let reader = KubernetesClusterReader(
            client: client, timeout: options.lookupTimeout, readsNamespace: readsNamespace
        ) { metrics.recordLookupError() }
        return (reader, client)
    }

    /// The background audit, with an API client of its own (its lists must not queue behind, or in front of,
    /// the reviews' lookups); the same kubeconfig or in-cluster account as the lookups.
    static func makeBackgroundAudit(
        config: KubeAPIConfig?, options: ServeOptions, interval: Duration, engine: Engine, metrics: WebhookMetrics,
        logger: Logger
    ) throws -> BackgroundAudit {
        guard let config else { throw ServeError("--audit-interval needs a Kubernetes API: run in a cluster or give --kubeconfig") }
        let client: KubeClient
        do {
            client = try KubeClient(config: config, connectTimeout: min(options.auditTimeout, .seconds(10)), userAgent: "hpaguard-audit")
        } catch let error as KubeConfigError {
            throw ServeError(error.description)
        }
        var audit = AuditOptions()
        audit.deadline = options.auditTimeout
        audit.requestTimeout = min(options.auditTimeout, .seconds(10))
        return BackgroundAudit(
            client: client, policy: engine.policy, interval: interval, options: audit, metrics: metrics, logger: logger)
    }

    /// Library loggers: warnings and above only, so that the review lines stay the log's content.
    private static func quietLogger(_ logger: Logger) -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }
}
