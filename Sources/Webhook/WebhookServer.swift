// `hpaguard serve`: the admission webhook. Choices, and why:
//
// - HTTP server: Hummingbird 2 (HummingbirdCore over SwiftNIO). Small, structured-concurrency native, runs as a
//   swift-service-lifecycle `Service`, and gives graceful shutdown (stop accepting, quiesce keep-alive connections,
//   finish in-flight requests) for free. Vapor would bring far more than a two-route server needs.
// - TLS: swift-nio-ssl, the SwiftNIO TLS handler over BoringSSL (Google's OpenSSL fork, vendored and built with the
//   package: no system OpenSSL, same behaviour on every distro). It reads PEM RSA (PKCS#1), EC (SEC1) and PKCS#8
//   keys, and TLS 1.2+ is enforced. HummingbirdTLS fixes its SSL context at start; `ReloadingTLSChannel` takes it
//   from `CertificateStore` per connection instead, so a rotated certificate is used without a restart or a failed
//   handshake.
// - Kubernetes API client: AsyncHTTPClient (already in the build through Hummingbird's test support), same
//   swift-nio-ssl underneath: verified HTTPS with the cluster CA, bearer tokens or client certificates, per-request
//   deadlines and a connection pool. A hand-written NIO client would duplicate its pool and timeout handling.
//   Lookups go through a short single-flight cache and a hard deadline (`KubernetesClusterReader`).
// - Lifecycle: one `ServiceGroup` runs the webhook server, the plain-HTTP metrics server, the certificate watcher and
//   the API client, and shuts them down in order on SIGTERM.
// - Metrics: swift-prometheus with a registry of its own (only hpaguard's five metrics on /metrics).
// - Logs: swift-log with a JSON-lines handler: one line per review with uid, object, operation, decision, duration.
//
// Failure stance (deploy/ and README): the webhook answers every review in time. When the Kubernetes API is slow or
// down it admits with a warning naming what it could not check, so a cluster never depends on it to apply HPAs.
import Engine
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
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
final class Readiness: Sendable {
    private let ready = Mutex(true)
    var isReady: Bool { ready.withLock { $0 } }
    func shutDown() { ready.withLock { $0 = false } }
}

/// Marks the process not ready as soon as graceful shutdown starts (it is the first service shut down).
private struct ReadinessService: Service {
    let readiness: Readiness
    func run() async throws {
        try? await gracefulShutdown()
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

        let (cluster, client) = try makeClusterReader(options: options, metrics: metrics, logger: logger)
        let controller = AdmissionController(
            engine: engine, cluster: cluster, mutator: ProfileMutations(engine: engine), metrics: metrics, logger: logger)
        let limiter = ConcurrencyLimiter(limit: options.maxConcurrentReviews, queueLimit: options.maxQueuedReviews)
        let readiness = Readiness()

        let webhookRouter = Router()
        for endpoint in [AdmissionController.Endpoint.validate, .mutate] {
            webhookRouter.post(RouterPath(stringLiteral: endpoint.rawValue)) { request, _ -> Response in
                await admission(request, endpoint: endpoint, controller: controller, limiter: limiter, options: options)
            }
        }
        addProbes(to: webhookRouter, readiness: readiness)

        let metricsRouter = Router()
        metricsRouter.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        addProbes(to: metricsRouter, readiness: readiness)

        let requestTimeout = options.requestTimeout
        let http1 = HTTP1Channel.Configuration(idleTimeout: options.idleTimeout)
        let webhook = Application(
            router: webhookRouter,
            server: HTTPServerBuilder { responder in
                ReloadingTLSChannel(
                    base: HTTP1Channel(responder: responder, configuration: http1), store: store,
                    requestTimeout: requestTimeout)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(options.address, port: options.port), serverName: nil, backlog: 256,
                availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections)),
            onServerRunning: { channel in
                logger.info(
                    "listening", metadata: ["server": "webhook", "scheme": "https", "port": .stringConvertible(channel.localAddress?.port ?? -1)])
            },
            logger: quietLogger(logger))
        let metricsServer = Application(
            router: metricsRouter,
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: ApplicationConfiguration(
                address: .hostname(options.address, port: options.metricsPort),
                availableConnectionsDelegate: MaximumAvailableConnections(64)),
            onServerRunning: { channel in
                logger.info(
                    "listening", metadata: ["server": "metrics", "scheme": "http", "port": .stringConvertible(channel.localAddress?.port ?? -1)])
            },
            logger: quietLogger(logger))

        // Graceful shutdown runs in reverse order: not-ready first, then the webhook drains, then the rest.
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: ClientShutdownService(client: client)),
                .init(service: CertificateWatcher(store: store, interval: options.certificateReloadInterval, logger: logger)),
                .init(service: metricsServer),
                .init(service: webhook),
                .init(service: ReadinessService(readiness: readiness), successTerminationBehavior: .ignore),
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

    /// The API reader: --kubeconfig, else in-cluster, else none (lookups skipped with a warning).
    static func makeClusterReader(
        options: ServeOptions, metrics: WebhookMetrics, logger: Logger
    ) throws -> (any ClusterReader, KubeClient?) {
        let config: KubeAPIConfig?
        do {
            if let kubeconfig = options.kubeconfig {
                config = try KubeConfigLoader.load(kubeconfig: kubeconfig)
            } else {
                config = try KubeConfigLoader.inCluster()
            }
        } catch {
            throw ServeError(error.description)
        }
        guard let config else {
            logger.warning(
                "no Kubernetes API: not in a cluster and no --kubeconfig; targets, other scalers and PDBs will not be checked")
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
        let reader = KubernetesClusterReader(client: client, timeout: options.lookupTimeout) { metrics.recordLookupError() }
        return (reader, client)
    }

    /// POST /validate and /mutate: content type, size and concurrency checks, then the review.
    static func admission(
        _ request: Request, endpoint: AdmissionController.Endpoint, controller: AdmissionController,
        limiter: ConcurrencyLimiter, options: ServeOptions
    ) async -> Response {
        let contentType = request.headers[.contentType]?.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard contentType == "application/json" else {
            return status(415, "UnsupportedMediaType", "hpaguard: Content-Type must be application/json (an AdmissionReview v1)")
        }
        let tooLarge = "hpaguard: the body is over \(options.maxBodyBytes) bytes; an AdmissionReview is at most ~3 MiB"
        if let length = request.headers[.contentLength].flatMap(Int.init), length > options.maxBodyBytes {
            return status(413, "RequestEntityTooLarge", tooLarge)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: options.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return status(413, "RequestEntityTooLarge", tooLarge)
        } catch {
            return status(400, "BadRequest", "hpaguard: cannot read the request body")
        }
        let answer = await limiter.run { await controller.review(Array(buffer: body), endpoint: endpoint) }
        guard let answer else {
            var response = status(503, "ServiceUnavailable", "hpaguard: too many reviews in flight; retry")
            response.headers[.retryAfter] = "1"
            return response
        }
        return Response(
            status: .init(code: answer.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    static func status(_ code: Int, _ reason: String, _ message: String) -> Response {
        Response(
            status: .init(code: code), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: statusBody(code: code, reason: reason, message: message))))
    }

    private static func addProbes(to router: Router<BasicRequestContext>, readiness: Readiness) {
        router.get("healthz") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("readyz") { _, _ -> Response in
            readiness.isReady
                ? Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
                : Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: "shutting down\n")))
        }
    }

    /// Library loggers: warnings and above only, so that the review lines stay the log's content.
    private static func quietLogger(_ logger: Logger) -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }
}
