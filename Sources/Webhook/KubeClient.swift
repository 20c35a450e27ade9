import AsyncHTTPClient
import Engine
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// What one GET against the Kubernetes API gave.
public enum KubeResult: Sendable, Equatable {
    case object(JSONValue)
    case notFound
    /// Timeout, connection failure, TLS failure, 401/403/5xx: the reason is shown to the user in a warning.
    case failed(String)
}

/// Reads objects from the Kubernetes API over verified HTTPS (AsyncHTTPClient over swift-nio-ssl).
///
/// Every call has a hard deadline; the caller never waits longer, whatever the API server or the network does.
public final class KubeClient: Sendable {
    private let http: HTTPClient
    private let config: KubeAPIConfig
    /// `config.server`, with the tls-server-name as its host when one is set (the connection goes to the real host).
    private let base: String
    private let token: Mutex<(value: String?, readAt: ContinuousClock.Instant?)>
    /// The largest response body read (a namespace's HPAs with managedFields stay far below).
    static let maxBodyBytes = 32 << 20
    /// managedFields of an object or of a list's items: no rule reads them, and a list's answer stays in the lookup
    /// cache for its lifetime, so they are checked as JSON and not kept.
    static let unreadMembers = JSONParser.UnreadMembers([
        ["metadata", "managedFields"], ["items", "*", "metadata", "managedFields"],
    ])

    public init(config: KubeAPIConfig, connectTimeout: Duration) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let ca = config.certificateAuthorityPEM {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
            } catch {
                throw KubeConfigError("\(config.source): the certificate authority is not PEM: \(error)")
            }
        }
        if config.insecureSkipTLSVerify { tls.certificateVerification = .none }
        if let certificate = config.clientCertificatePEM, let key = config.clientKeyPEM {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            } catch {
                throw KubeConfigError("\(config.source): the client certificate or key cannot be read: \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(connectTimeout.nanoseconds)), read: .nanoseconds(Int64(connectTimeout.nanoseconds))))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        configuration.httpVersion = .http1Only
        var base = config.server
        if let name = config.tlsServerName {
            // The request names the host the certificate is for; the connection goes where `server` points.
            guard var server = URLComponents(string: config.server), let host = server.host else {
                throw KubeConfigError("\(config.source): server \(config.server) has no host")
            }
            configuration.dnsOverride[name] = host
            server.host = name
            base = server.string ?? config.server
        }
        switch config.proxy {
        case .http(let host, let port, let user, let password)?:
            let authorization = user.map { HTTPClient.Authorization.basic(username: $0, password: password ?? "") }
            configuration.proxy = .server(host: host, port: port, authorization: authorization)
        case .socks5(let host, let port)?:
            configuration.proxy = .socksServer(host: host, port: port)
        case nil:
            break
        }
        self.base = base
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.config = config
        self.token = Mutex((config.token, nil))
    }

    public var source: String { config.source }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// GET `path` (with query) within `timeout`.
    public func get(_ path: String, timeout: Duration) async -> KubeResult {
        var request = HTTPClientRequest(url: base + path)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "hpaguard-webhook")
        if let token = currentToken() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
            let body = try await response.body.collect(upTo: Self.maxBodyBytes)
            switch response.status.code {
            case 200:
                do {
                    return .object(try JSONParser.parse(Array(buffer: body), leavingOut: Self.unreadMembers))
                } catch {
                    return .failed("the API server's answer is not JSON (\(error))")
                }
            case 404: return .notFound
            case 401: return .failed("the API server refused the credentials (401)")
            case 403: return .failed("forbidden (403): RBAC does not allow get/list here")
            default: return .failed("the API server answered \(response.status.code)")
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .failed("no answer within \(Self.format(timeout))")
        } catch let error as HTTPClientError where error == .connectTimeout {
            return .failed("cannot connect within \(Self.format(timeout))")
        } catch is CancellationError {
            return .failed("no answer within \(Self.format(timeout))")
        } catch {
            return .failed("cannot reach the API server (\(Self.describe(error)))")
        }
    }

    /// The bearer token; a token file is re-read every minute (kubelet rotates projected tokens).
    private func currentToken() -> String? {
        guard let file = config.tokenFile else { return config.token }
        let now = ContinuousClock.now
        return token.withLock { cached in
            if let readAt = cached.readAt, now - readAt < .seconds(60) { return cached.value }
            if let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) {
                cached.value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            cached.readAt = now
            return cached.value
        }
    }

    /// "2s" or "1500ms", as --lookup-timeout is written.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}

extension Duration {
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

/// Races `operation` against `timeout`: the result, or `fallback` once the time is up. A late operation is cancelled
/// and left to finish in the background; the caller never waits for it.
func withDeadline<T: Sendable>(
    _ timeout: Duration, fallback: T, _ operation: @escaping @Sendable () async -> T
) async -> T {
    let race = DeadlineRace<T>()
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        let work = Task { race.finish(await operation()) }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            race.finish(fallback)
        }
        race.track([work, timer])
    }
}

/// The shared state of one `withDeadline`: whoever finishes first resumes the caller and cancels the other.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var tasks: [Task<Void, Never>] = []
        var finished = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func track(_ tasks: [Task<Void, Never>]) {
        let finished = state.withLock { state in
            state.tasks = tasks
            return state.finished
        }
        if finished { tasks.forEach { $0.cancel() } }
    }

    func finish(_ value: T) {
        let (continuation, tasks) = state.withLock { state in
            defer {
                state.continuation = nil
                state.finished = true
            }
            return (state.continuation, state.tasks)
        }
        guard let continuation else { return }
        continuation.resume(returning: value)
        tasks.forEach { $0.cancel() }
    }
}
