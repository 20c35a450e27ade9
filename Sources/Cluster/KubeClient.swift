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

/// What a paginated list gave.
package enum KubeListResult: Sendable {
    case items([JSONValue])
    /// The API (a CRD's group or version) does not exist in this cluster.
    case notFound
    /// RBAC does not allow listing this kind here.
    case forbidden(String)
    /// Timeout, connection failure, 401/5xx, an expired continue token.
    case failed(String)
}

/// The items of a List answer.
package enum KubeList {
    /// The items of `list`, with the `apiVersion` and `kind` the API server leaves out of list items.
    package static func items(of list: JSONValue, kind: String) -> [JSONValue] {
        let apiVersion = list["apiVersion"]?.stringValue ?? ""
        return (list["items"]?.arrayValue ?? []).compactMap { item in
            guard case .object(var object) = item else { return nil }
            if object["apiVersion"] == nil { object["apiVersion"] = .string(apiVersion) }
            if object["kind"] == nil { object["kind"] = .string(kind) }
            return .object(object)
        }
    }
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
    private let userAgent: String
    /// The largest response body read (a namespace's HPAs with managedFields stay far below).
    package static let maxBodyBytes = 32 << 20
    /// managedFields of an object or of a list's items: no rule reads them, and a list's answer stays in the lookup
    /// cache for its lifetime, so they are checked as JSON and not kept.
    package static let unreadMembers = JSONParser.UnreadMembers([
        ["metadata", "managedFields"], ["items", "*", "metadata", "managedFields"],
    ])
    private static let knownStrings = JSONParser.KnownStrings(KubernetesVocabulary.objects + KubernetesVocabulary.lists)

    /// - Parameter userAgent: what the API server's audit log shows as the client (`hpaguard-webhook`,
    ///   `hpaguard-audit`).
    public init(config: KubeAPIConfig, connectTimeout: Duration, userAgent: String = "hpaguard-webhook") throws {
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
        self.userAgent = userAgent
    }

    public var source: String { config.source }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// GET `path` (with query) within `timeout`.
    public func get(_ path: String, timeout: Duration) async -> KubeResult {
        switch await request(path, timeout: timeout) {
        case .ok(let value): return .object(value)
        case .status(404, _): return .notFound
        case .status(_, let reason): return .failed(reason)
        case .failed(let reason): return .failed(reason)
        }
    }

    /// One GET's answer with the HTTP status kept, for callers that tell a 403 from other failures.
    package enum Response: Sendable {
        case ok(JSONValue)
        /// Any other HTTP status, with the reason worded for the user.
        case status(Int, String)
        /// No HTTP answer: timeout, connection or TLS failure.
        case failed(String)
    }

    /// GET `path` within `timeout`, keeping the status of a non-200 answer.
    package func request(_ path: String, timeout: Duration) async -> Response {
        var request = HTTPClientRequest(url: base + path)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        if let token = currentToken() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
            let body = try await response.body.collect(upTo: Self.maxBodyBytes)
            switch response.status.code {
            case 200:
                do {
                    return .ok(try JSONParser.parse(
                        Array(buffer: body), leavingOut: Self.unreadMembers, knownStrings: Self.knownStrings))
                } catch {
                    return .failed("the API server's answer is not JSON (\(error))")
                }
            case 404: return .status(404, "not found (404)")
            case 401: return .status(401, "the API server refused the credentials (401)")
            case 403: return .status(403, "forbidden (403): RBAC does not allow get/list here")
            // A list's continue token outlived etcd's compaction; the list must start again.
            case 410: return .status(410, "the list's continue token expired (410 Gone)")
            default: return .status(Int(response.status.code), "the API server answered \(response.status.code)")
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

    /// Every item of the collection at `path` (no query), read a page of `limit` items at a time, following
    /// `metadata.continue` as the API server hands it out (Kubernetes API concepts, "Retrieving large results sets
    /// in chunks"). Items get the `apiVersion` and `kind` that list items leave out.
    ///
    /// - Parameters:
    ///   - kind: the kind of the items (`HorizontalPodAutoscaler` for a list of them).
    ///   - pageTimeout: the deadline of each page's GET; the caller bounds the whole list.
    ///   - query: more query parameters, already escaped (`fieldSelector=involvedObject.kind%3DHorizontalPodAutoscaler`).
    package func list(
        _ path: String, kind: String, query extra: String = "", limit: Int = 500, pageTimeout: Duration
    ) async -> KubeListResult {
        var items: [JSONValue] = []
        var token: String?
        var pages = 0
        repeat {
            var query = "?limit=\(limit)"
            if !extra.isEmpty { query += "&" + extra }
            if let token { query += "&continue=" + Self.queryEscaped(token) }
            switch await request(path + query, timeout: pageTimeout) {
            case .ok(let page):
                items += KubeList.items(of: page, kind: kind)
                let next = page["metadata"]?["continue"]?.stringValue ?? ""
                token = next.isEmpty ? nil : next
                pages += 1
            case .status(let code, let reason):
                return code == 404 ? .notFound : code == 403 ? .forbidden(reason) : .failed(reason)
            case .failed(let reason):
                return .failed(reason)
            }
            if Task.isCancelled { return .failed("cancelled after \(pages) pages") }
        } while token != nil
        return .items(items)
    }

    /// `text` escaped for a query parameter's value.
    package static func queryEscaped(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
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

    /// "2s", "1500ms", "5m" or "1h", as --lookup-timeout, --since and --audit-interval are written.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds > 0, milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds > 0, milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
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

/// Races `operation` against `timeout`: the result, or `fallback` once the time is up or the caller's task is
/// cancelled (the audit stopping on SIGTERM). A late operation is cancelled and left to finish in the background; the
/// caller never waits for it.
package func withDeadline<T: Sendable>(
    _ timeout: Duration, fallback: T, _ operation: @escaping @Sendable () async -> T
) async -> T {
    let race = DeadlineRace<T>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            race.start(continuation)
            let work = Task { race.finish(await operation()) }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                race.finish(fallback)
            }
            race.track([work, timer])
        }
    } onCancel: {
        race.finish(fallback)
    }
}

/// The shared state of one `withDeadline`: whoever finishes first resumes the caller and cancels the other.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var tasks: [Task<Void, Never>] = []
        var finished = false
        /// The value of a finish that came before `start`.
        var early: T?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, Never>) {
        // Finished before it started (the caller was cancelled already): answer at once.
        let early: T? = state.withLock { state in
            guard state.finished else {
                state.continuation = continuation
                return nil
            }
            return state.early
        }
        if let early { continuation.resume(returning: early) }
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
            if !state.finished, state.continuation == nil { state.early = value }
            return (state.continuation, state.tasks)
        }
        guard let continuation else { return }
        continuation.resume(returning: value)
        tasks.forEach { $0.cancel() }
    }
}
