import Engine
import Foundation
import Hummingbird
import Logging
import Manifests
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// The repository root (Tests/AuditTests/Support/ → ../../..).
enum AuditFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func value(_ relative: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(relative).path) else {
            throw AuditTestFailure("cannot read \(relative)")
        }
        return try JSONParser.parse(Array(data))
    }

    /// The recorded cluster of testdata/audit/cluster: every list the audit reads, by collection.
    static func cluster() throws -> [StandInKubeAPI.Collection: [JSONValue]] {
        var lists: [StandInKubeAPI.Collection: [JSONValue]] = [:]
        for (file, apiVersion, resource) in [
            ("hpas", "autoscaling/v2", "horizontalpodautoscalers"), ("deployments", "apps/v1", "deployments"),
            ("statefulsets", "apps/v1", "statefulsets"), ("replicasets", "apps/v1", "replicasets"),
            ("events", "v1", "events"), ("limitranges", "v1", "limitranges"),
            ("pdbs", "policy/v1", "poddisruptionbudgets"),
        ] {
            lists[.init(apiVersion: apiVersion, resource: resource)] =
                try value("testdata/audit/cluster/\(file).json")["items"]?.arrayValue ?? []
        }
        return lists
    }
}

struct AuditTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A Kubernetes API server in the test process, on loopback, that answers lists as a real one does: items in
/// pages of `limit` with `metadata.continue` until the last page, a namespace in the path narrowing the items,
/// `fieldSelector=involvedObject.kind=...` for events, bearer-token auth, and a `Status` body for 404 (an API that
/// is not installed), 403 (RBAC) and 401. A collection can be made to refuse (403) or to hang. `stop()` ends it.
final class StandInKubeAPI: Sendable {
    struct Collection: Hashable, Sendable {
        let apiVersion: String
        let resource: String
    }

    enum Behaviour: Sendable { case serve, forbid, hang }

    static let token = "audit-test-token"
    private let lists: Mutex<[Collection: [JSONValue]]>
    private let objects: Mutex<[String: JSONValue]>
    private let behaviours = Mutex<[Collection: Behaviour]>([:])
    private let seen = Mutex<[String]>([])
    private let group = Mutex<ServiceGroup?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let stopping = Mutex(false)

    private let forbidden: Set<String>

    /// `objects` are served by path; a GET of a path in `forbidden` is refused (403).
    init(lists: [Collection: [JSONValue]], objects: [String: JSONValue] = [:], forbidden: Set<String> = []) {
        self.lists = Mutex(lists)
        self.objects = Mutex(objects)
        self.forbidden = forbidden
    }

    /// Every request so far, path and query.
    var requests: [String] { seen.withLock { $0 } }

    func set(_ behaviour: Behaviour, for collection: Collection) { behaviours.withLock { $0[collection] = behaviour } }

    /// Starts on 127.0.0.1 (plain HTTP: the client's TLS is the webhook tests' business); returns the port.
    func start() async throws -> Int {
        let router = Router()
        router.get("**") { [self] request, _ -> Response in await answer(request) }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "stand-in-kube-api")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: logger))
        group.withLock { $0 = serviceGroup }
        task.withLock { $0 = Task { try? await serviceGroup.run() } }
        for await port in ports { return port }
        throw AuditTestFailure("the stand-in API server did not start")
    }

    func stop() async {
        stopping.withLock { $0 = true }  // releases hung handlers
        await group.withLock { $0 }?.triggerGracefulShutdown()
        await task.withLock { $0 }?.value
    }

    private func answer(_ request: Request) async -> Response {
        let path = String(request.uri.path)
        seen.withLock { $0.append(path + (request.uri.query.map { "?\($0)" } ?? "")) }
        guard request.headers[.authorization] == "Bearer \(Self.token)" else {
            return Self.status(401, "Unauthorized", "Unauthorized")
        }
        if path == "/version" {
            return Self.json(["major": "1", "minor": "33", "gitVersion": "v1.33.2"])
        }
        if forbidden.contains(path) { return Self.status(403, "Forbidden", "\(path) is forbidden") }
        if let object = objects.withLock({ $0[path] }) { return Self.json(object) }
        guard let (collection, namespace) = Self.parse(path), let items = lists.withLock({ $0[collection] }) else {
            return Self.status(404, "NotFound", "the server could not find the requested resource")
        }
        switch behaviours.withLock({ $0[collection] }) ?? .serve {
        case .forbid:
            return Self.status(
                403, "Forbidden",
                "\(collection.resource) is forbidden: User \"system:serviceaccount:ops:auditor\" cannot list resource "
                    + "\"\(collection.resource)\" in API group \"\(APIVersion(collection.apiVersion).group)\" at the cluster scope"
            )
        case .hang:
            let start = ContinuousClock.now
            // Far longer than any audit deadline a test sets, so that an audit which waited for it shows.
            while !stopping.withLock({ $0 }), ContinuousClock.now - start < .seconds(300), !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return Self.status(504, "Timeout", "too late")
        case .serve:
            break
        }
        let query = request.uri.queryParameters
        var selected = items.filter { namespace == nil || $0["metadata"]?["namespace"]?.stringValue == namespace }
        if let selector = query["fieldSelector"].map(String.init), selector.hasPrefix("involvedObject.kind=") {
            let kind = String(selector.dropFirst("involvedObject.kind=".count))
            selected = selected.filter { $0["involvedObject"]?["kind"]?.stringValue == kind }
        }
        let offset = query["continue"].flatMap { Int($0.dropFirst("page-".count)) } ?? 0
        let limit = query["limit"].flatMap { Int($0) } ?? Int.max
        let end = min(selected.count, offset + limit)
        var metadata: JSONValue = ["resourceVersion": "48213"]
        if end < selected.count {
            metadata.set(.string("page-\(end)"), at: "/continue")
            metadata.set(.int(Int64(selected.count - end)), at: "/remainingItemCount")
        }
        let kind = (items.first?["kind"]?.stringValue ?? collection.resource) + "List"
        // List items carry no apiVersion or kind, as the API server sends them.
        let page = selected[min(offset, selected.count)..<end].map { item -> JSONValue in
            guard case .object(var object) = item else { return item }
            object["apiVersion"] = nil
            object["kind"] = nil
            return .object(object)
        }
        return Self.json([
            "kind": .string(kind), "apiVersion": .string(collection.apiVersion), "metadata": metadata,
            "items": .array(page),
        ])
    }

    /// `/apis/G/V[/namespaces/NS]/RESOURCE` or `/api/V[/namespaces/NS]/RESOURCE`.
    static func parse(_ path: String) -> (Collection, String?)? {
        var parts = path.split(separator: "/").map(String.init)
        let apiVersion: String
        if parts.first == "api", parts.count >= 3 {
            apiVersion = parts[1]
            parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 4 {
            apiVersion = parts[1] + "/" + parts[2]
            parts.removeFirst(3)
        } else {
            return nil
        }
        var namespace: String?
        if parts.count == 3, parts[0] == "namespaces" {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard parts.count == 1 else { return nil }
        return (Collection(apiVersion: apiVersion, resource: parts[0]), namespace)
    }

    private static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    private static func status(_ code: Int, _ reason: String, _ message: String) -> Response {
        let body: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": .string(message),
            "reason": .string(reason), "code": .int(Int64(code)),
        ]
        return Response(
            status: .init(code: code), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body.serialized())))
    }
}

/// Runs `body` against a started stand-in, stopping it afterwards whatever happens.
func withStandIn<T>(_ api: StandInKubeAPI, _ body: (Int) async throws -> T) async throws -> T {
    let port = try await api.start()
    do {
        let result = try await body(port)
        await api.stop()
        return result
    } catch {
        await api.stop()
        throw error
    }
}
