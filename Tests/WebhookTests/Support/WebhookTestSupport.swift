import AsyncHTTPClient
import Cluster
import Engine
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import Manifests
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

// MARK: - Files and processes

enum Fixtures {
    /// The repository root (Tests/WebhookTests/Support/ → ../../..).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(relative)) else {
            throw TestFailure("cannot read \(relative)")
        }
        return Array(data)
    }

    /// A YAML or JSON fixture as a value.
    static func value(_ relative: String) throws -> JSONValue { try YAMLValueLoader.load(bytes(relative)) }

    /// The built `hpaguard` binary: beside the test bundle, or $HPAGUARD_BIN.
    static var binary: String {
        get throws {
            if let path = ProcessInfo.processInfo.environment["HPAGUARD_BIN"] { return path }
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("hpaguard").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                directory.deleteLastPathComponent()
            }
            throw TestFailure("the hpaguard binary is not built beside the tests: run `swift build` first")
        }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hpaguard-webhook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion (bounded by `timeout`); stdout and stderr are collected.
@discardableResult
func runCommand(_ arguments: [String], input: String? = nil, timeout: TimeInterval = 60) async throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let stdin = Pipe()
    process.standardInput = stdin
    let outData = Mutex(Data())
    let errData = Mutex(Data())
    out.fileHandleForReading.readabilityHandler = { handle in
        let chunk = handle.availableData
        if chunk.isEmpty { handle.readabilityHandler = nil } else { outData.withLock { $0.append(chunk) } }
    }
    err.fileHandleForReading.readabilityHandler = { handle in
        let chunk = handle.availableData
        if chunk.isEmpty { handle.readabilityHandler = nil } else { errData.withLock { $0.append(chunk) } }
    }
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try? stdin.fileHandleForWriting.close()
    guard await process.exited(within: .milliseconds(Int(timeout * 1000))) else {
        throw TestFailure("\(arguments.joined(separator: " ")) did not finish within \(timeout) s")
    }
    out.fileHandleForReading.readabilityHandler = nil
    err.fileHandleForReading.readabilityHandler = nil
    let restOut = out.fileHandleForReading.readDataToEndOfFile()
    let restErr = err.fileHandleForReading.readDataToEndOfFile()
    let stdout = outData.withLock { $0 + restOut }
    let stderr = errData.withLock { $0 + restErr }
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

// MARK: - Certificates

/// A test CA and serving certificates made with `openssl` in a temporary directory.
struct TestPKI {
    enum KeyKind: String, CaseIterable, Sendable { case rsaPKCS1 = "rsa-pkcs1", ecSEC1 = "ec-sec1", pkcs8 }

    let directory: URL
    var caCertificate: String { directory.appendingPathComponent("ca.crt").path }
    var caKey: String { directory.appendingPathComponent("ca.key").path }

    init() async throws {
        directory = try Fixtures.temporaryDirectory()
        try await openssl([
            "req", "-x509", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-days", "2",
            "-subj", "/CN=hpaguard-test-ca", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", caKey, "-out", caCertificate,
        ])
    }

    /// A leaf for 127.0.0.1/localhost signed by the CA, with `serial`; files named `<name>.crt` / `<name>.key`.
    @discardableResult
    func leaf(
        _ name: String, key kind: KeyKind = .ecSEC1, serial: Int, in folder: URL? = nil,
        subjectAltName: String = "IP:127.0.0.1,DNS:localhost"
    ) async throws -> (certificate: String, key: String) {
        let base = folder ?? directory
        let key = base.appendingPathComponent("\(name).key").path
        let certificate = base.appendingPathComponent("\(name).crt").path
        let csr = directory.appendingPathComponent("\(name)-\(serial).csr").path
        let ext = directory.appendingPathComponent("\(name)-\(serial).ext").path
        switch kind {
        case .rsaPKCS1: try await openssl(["genrsa", "-traditional", "-out", key, "2048"])
        case .ecSEC1: try await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
        case .pkcs8: try await openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
        }
        try await openssl(["req", "-new", "-key", key, "-subj", "/CN=localhost", "-out", csr])
        try "subjectAltName=\(subjectAltName)\nextendedKeyUsage=serverAuth\n".write(toFile: ext, atomically: true, encoding: .utf8)
        try await openssl([
            "x509", "-req", "-in", csr, "-CA", caCertificate, "-CAkey", caKey, "-set_serial", String(serial),
            "-days", "2", "-extfile", ext, "-out", certificate,
        ])
        return (certificate, key)
    }

    private func openssl(_ arguments: [String]) async throws {
        let result = try await runCommand(["openssl"] + arguments)
        guard result.status == 0 else { throw TestFailure("openssl \(arguments.first ?? ""): \(result.stderr)") }
    }
}

/// The serial of the certificate a new TLS connection to `port` gets (openssl s_client), as openssl prints it.
func servedSerial(port: Int) async throws -> String {
    let result = try await runCommand(
        ["sh", "-c", "openssl s_client -connect 127.0.0.1:\(port) -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -serial"],
        timeout: 20)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
}

// MARK: - The webhook process

/// `hpaguard serve` started as a process on loopback with ports chosen by the system (read back from its log).
final class WebhookProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let metricsPort: Int
    private let output: OutputBuffer

    /// Every structured log line so far.
    var logLines: [JSONValue] {
        output.text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
    }

    var log: String { output.text }

    /// How long the webhook took to answer the review `uid`, from its own review log line (`duration_ms`). Timing
    /// bounds are checked on this rather than on the test's clock: the test process shares two cores with the whole
    /// suite, and its clock also counts the seconds a task can wait there for a thread.
    func reviewMilliseconds(uid: String) async throws -> Double {
        try await fromLog(within: .seconds(10), "a review log line with uid \(uid)") { lines in
            let line = lines.first { $0["msg"]?.stringValue == "review" && $0["uid"]?.stringValue == uid }
            switch line?["duration_ms"] {
            case .double(let milliseconds)?: return milliseconds
            case .int(let milliseconds)?: return Double(milliseconds)
            default: return nil
            }
        }
    }

    /// How long the webhook's shutdown took by its own log: from its "stopping" line (SIGTERM arrived) to its
    /// "stopped" line, for the reason `reviewMilliseconds` gives.
    func shutdownMilliseconds() async throws -> Double {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try await fromLog(within: .seconds(5), "\"stopping\" and \"stopped\" log lines with their times") { lines in
            func time(of message: String) -> Date? {
                let line = lines.first { $0["msg"]?.stringValue == message }
                return line?["time"]?.stringValue.flatMap { formatter.date(from: $0) }
            }
            guard let stopping = time(of: "stopping"), let stopped = time(of: "stopped") else { return nil }
            return stopped.timeIntervalSince(stopping) * 1000
        }
    }

    /// What `read` finds in the log lines, waited for up to `timeout` (the pipe is read by another thread, so a
    /// line the webhook has written may not be here yet); `missing` names it in the failure.
    private func fromLog<Value>(
        within timeout: Duration, _ missing: String, _ read: ([JSONValue]) -> Value?
    ) async throws -> Value {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if let value = read(logLines) { return value }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        throw TestFailure("no \(missing):\n\(log)")
    }

    private init(process: Process, port: Int, metricsPort: Int, output: OutputBuffer) {
        self.process = process
        self.port = port
        self.metricsPort = metricsPort
        self.output = output
    }

    /// `user`: run as this uid and gid with no groups (through setpriv; the test process must be root).
    static func start(certificate: String, key: String, arguments: [String] = [], user: UInt32? = nil) async throws -> WebhookProcess {
        let process = Process()
        let serve = [
            "serve", "--tls-cert-file", certificate, "--tls-key-file", key, "--address", "127.0.0.1", "--port", "0",
            "--metrics-port", "0", "--tls-reload-interval", "500ms",
        ] + arguments
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", try Fixtures.binary] + serve
        } else {
            process.executableURL = URL(fileURLWithPath: try Fixtures.binary)
            process.arguments = serve
        }
        var environment = ProcessInfo.processInfo.environment
        environment["KUBERNETES_SERVICE_HOST"] = nil  // never the real in-cluster config
        process.environment = environment
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let output = OutputBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil  // end of file: the process exited
            } else {
                output.append(chunk)
            }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let lines = output.text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
            let ports = Dictionary(
                lines.filter { $0["msg"]?.stringValue == "listening" }.compactMap { line -> (String, Int)? in
                    guard let server = line["server"]?.stringValue, let port = line["port"]?.integerValue else { return nil }
                    return (server, Int(port))
                }, uniquingKeysWith: { first, _ in first })
            if let webhook = ports["webhook"], let metrics = ports["metrics"] {
                return WebhookProcess(process: process, port: webhook, metricsPort: metrics, output: output)
            }
            if !process.isRunning {
                throw TestFailure("hpaguard serve exited \(process.terminationStatus): \(output.text)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw TestFailure("hpaguard serve did not start within 30 s: \(output.text)")
    }

    var url: String { "https://127.0.0.1:\(port)" }
    var metricsURL: String { "http://127.0.0.1:\(metricsPort)" }

    /// SIGTERM, then the exit status and how long it took (SIGKILL after `timeout`).
    @discardableResult
    func stop(timeout: Duration = .seconds(12)) async -> (status: Int32, took: Duration) {
        let start = ContinuousClock.now
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        _ = await process.exited(within: timeout)
        return (process.terminationStatus, ContinuousClock.now - start)
    }
}

/// What a child process wrote, collected from its pipe's handler thread.
final class OutputBuffer: Sendable {
    private let data = Mutex(Data())
    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }
    var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }
}

/// A value shared between test tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

/// Runs `body`; when it throws, stops `webhook` before passing the error on (every server a test starts, it stops).
func stopping(_ webhook: WebhookProcess, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await webhook.stop()
        throw error
    }
}

// MARK: - HTTPS client

/// AsyncHTTPClient trusting the test CA (real verification, hostname 127.0.0.1 in the SAN).
func makeClient(trusting ca: String) throws -> HTTPClient {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
    let configuration = HTTPClient.Configuration(
        tlsConfiguration: tls, timeout: .init(connect: .seconds(5), read: .seconds(15)))
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}

struct HTTPAnswer {
    let status: Int
    let body: [UInt8]
    var json: JSONValue? { try? JSONParser.parse(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

func post(
    _ client: HTTPClient, _ url: String, body: [UInt8], contentType: String? = "application/json"
) async throws -> HTTPAnswer {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await client.execute(request, timeout: .seconds(15))
    let collected = try await response.body.collect(upTo: 16 << 20)
    return HTTPAnswer(status: Int(response.status.code), body: Array(buffer: collected))
}

func get(_ client: HTTPClient, _ url: String) async throws -> HTTPAnswer {
    let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(15))
    let collected = try await response.body.collect(upTo: 16 << 20)
    return HTTPAnswer(status: Int(response.status.code), body: Array(buffer: collected))
}

// MARK: - AdmissionReview as the API server sends it

enum Reviews {
    static func request(
        uid: String = UUID().uuidString.lowercased(), operation: String = "CREATE", object: JSONValue?,
        oldObject: JSONValue? = nil, dryRun: Bool = false, namespace: String = "ml"
    ) -> [UInt8] {
        let sent = object ?? oldObject
        let version = APIVersion(sent?["apiVersion"]?.stringValue ?? "autoscaling/v2")
        let kind: JSONValue = ["group": .string(version.group), "version": .string(version.version), "kind": "HorizontalPodAutoscaler"]
        let resource: JSONValue = [
            "group": .string(version.group), "version": .string(version.version), "resource": "horizontalpodautoscalers",
        ]
        let options: JSONValue
        switch operation {
        case "CREATE": options = ["kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1", "fieldManager": "kubectl-client-side-apply"]
        case "UPDATE": options = ["kind": "UpdateOptions", "apiVersion": "meta.k8s.io/v1", "fieldManager": "kubectl-client-side-apply"]
        case "DELETE": options = ["kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1", "propagationPolicy": "Background"]
        default: options = nil
        }
        let review: JSONValue = [
            "kind": "AdmissionReview",
            "apiVersion": "admission.k8s.io/v1",
            "request": [
                "uid": .string(uid), "kind": kind, "resource": resource, "requestKind": kind, "requestResource": resource,
                "name": sent?["metadata"]?["name"] ?? "vllm", "namespace": .string(namespace),
                "operation": .string(operation),
                "userInfo": ["username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]],
                "object": object ?? nil, "oldObject": oldObject ?? nil, "dryRun": .bool(dryRun), "options": options,
            ],
        ]
        return Array(review.serialized().utf8)
    }

    /// The parity manifests and the others as the API server would carry them (JSON).
    static func hpa(_ relative: String) throws -> JSONValue { try Fixtures.value("testdata/webhook/" + relative) }
}

/// The `response` of an AdmissionReview answer, checked for the envelope.
func admissionResponse(_ answer: HTTPAnswer, uid: String? = nil) throws -> JSONValue {
    guard answer.status == 200, let json = answer.json else {
        throw TestFailure("expected 200 with an AdmissionReview, got \(answer.status): \(answer.text)")
    }
    #expect(json["apiVersion"]?.stringValue == "admission.k8s.io/v1")
    #expect(json["kind"]?.stringValue == "AdmissionReview")
    guard let response = json["response"] else { throw TestFailure("no response in \(answer.text)") }
    if let uid { #expect(response["uid"]?.stringValue == uid) }
    return response
}

func warnings(_ response: JSONValue) -> [String] { (response["warnings"]?.arrayValue ?? []).compactMap(\.stringValue) }

/// Rule ids named `[rule]` in a denial message and warnings.
func ruleIDs(_ response: JSONValue) -> Set<String> {
    let texts = warnings(response) + [response["status"]?["message"]?.stringValue ?? ""]
    var ids: Set<String> = []
    for text in texts {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "]") else { break }
            let id = after[..<close]
            // Rule ids are kebab-case; an admission policy's are `vap:NAME`.
            let name = id.hasPrefix("vap:") ? id.dropFirst(4) : id
            if let first = name.first, first.isLowercase, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) {
                ids.insert(String(id))
            }
            rest = after[after.index(after: close)...]
        }
    }
    return ids
}

// MARK: - A Kubernetes API server for tests

/// An HTTPS server in the test process that answers like the Kubernetes API: recorded objects by path, bearer-token
/// auth, 404 Status otherwise; it can hang or fail on demand. Loopback only; `stop()` ends it.
final class FakeKubeAPI: Sendable {
    enum Mode: Sendable { case normal, hang, error500 }

    static let token = "test-token-4f1c"
    let mode = Mutex(Mode.normal)
    private let objects: Mutex<[String: [UInt8]]>
    private let seen = Mutex<[String]>([])
    private let group = Mutex<ServiceGroup?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(objects: [String: [UInt8]]) { self.objects = Mutex(objects) }

    /// The recorded Deployment ml/vllm, HPAs, PDBs and LimitRanges of ml (testdata/webhook).
    static func recorded() throws -> FakeKubeAPI {
        FakeKubeAPI(objects: [
            "/apis/apps/v1/namespaces/ml/deployments/vllm": try Fixtures.bytes("testdata/webhook/deployment-vllm.json"),
            "/apis/autoscaling/v2/namespaces/ml/horizontalpodautoscalers": try Fixtures.bytes("testdata/webhook/hpa-list-ml.json"),
            "/apis/policy/v1/namespaces/ml/poddisruptionbudgets": try Fixtures.bytes("testdata/webhook/pdb-list-ml.json"),
            "/api/v1/namespaces/ml/limitranges": try Fixtures.bytes("testdata/webhook/limitrange-list-ml.json"),
        ])
    }

    var requests: [String] { seen.withLock { $0 } }

    /// Starts on 127.0.0.1 with the given serving pair; returns the port.
    func start(certificate: String, key: String) async throws -> Int {
        let router = Router()
        router.get("**") { [self] request, _ -> Response in
            await answer(request)
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "fake-kube-api")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: logger))
        group.withLock { $0 = serviceGroup }
        task.withLock { $0 = Task { try? await serviceGroup.run() } }
        for await port in ports { return port }
        throw TestFailure("the test API server did not start")
    }

    func stop() async {
        mode.withLock { $0 = .normal }  // release hung handlers
        await group.withLock { $0 }?.triggerGracefulShutdown()
        await task.withLock { $0 }?.value
    }

    private func answer(_ request: Request) async -> Response {
        let path = request.uri.path
        seen.withLock { $0.append(path) }
        guard request.headers[.authorization] == "Bearer \(Self.token)" else {
            return Self.status(401, "Unauthorized", "Unauthorized")
        }
        switch mode.withLock({ $0 }) {
        case .hang:
            let start = ContinuousClock.now
            while mode.withLock({ $0 }) == .hang, ContinuousClock.now - start < .seconds(15) {
                try? await Task.sleep(for: .milliseconds(50))
            }
        case .error500:
            return Self.status(500, "InternalError", "etcd is unhappy")
        case .normal:
            break
        }
        guard let body = objects.withLock({ $0[path] }) else {
            return Self.status(404, "NotFound", "the server could not find the requested resource")
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func status(_ code: Int, _ reason: String, _ message: String) -> Response {
        let body: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "status": "Failure", "message": .string(message), "reason": .string(reason),
            "code": .int(Int64(code)),
        ]
        return Response(
            status: .init(code: code), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body.serialized())))
    }
}

/// A kubeconfig for `server`, written to `directory`.
func writeKubeconfig(
    in directory: URL, server: String, ca: String? = nil, caInline: Bool = false, token: String? = FakeKubeAPI.token,
    tokenFile: String? = nil, insecure: Bool = false, exec: Bool = false, tlsServerName: String? = nil,
    proxyURL: String? = nil, name: String = "kubeconfig"
) throws -> String {
    var cluster = "    server: \(server)\n"
    if let tlsServerName { cluster += "    tls-server-name: \(tlsServerName)\n" }
    if let proxyURL { cluster += "    proxy-url: \(proxyURL)\n" }
    if let ca {
        if caInline {
            let data = try Data(contentsOf: URL(fileURLWithPath: ca)).base64EncodedString()
            cluster += "    certificate-authority-data: \(data)\n"
        } else {
            cluster += "    certificate-authority: \(ca)\n"
        }
    }
    if insecure { cluster += "    insecure-skip-tls-verify: true\n" }
    var user = ""
    if let token { user += "    token: \(token)\n" }
    if let tokenFile { user += "    tokenFile: \(tokenFile)\n" }
    if exec {
        user += "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: gke-gcloud-auth-plugin\n"
    }
    if user.isEmpty { user = "    {}\n" }
    let text = """
        apiVersion: v1
        kind: Config
        current-context: test
        contexts:
        - name: other
          context: {cluster: nowhere, user: nobody}
        - name: test
          context:
            cluster: test-cluster
            user: test-user
            namespace: ml
        clusters:
        - name: nowhere
          cluster:
            server: https://192.0.2.1:6443
        - name: test-cluster
          cluster:
        \(cluster)users:
        - name: test-user
          user:
        \(user)
        """
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A port on 127.0.0.1 with nothing listening (bound, then closed).
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw TestFailure("bind") }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// testdata/webhook/connect_proxy.py as a process: an HTTP CONNECT proxy on 127.0.0.1 that logs each request.
final class ConnectProxy {
    let port: Int
    private let process: Process
    private let logPath: String

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    init(in directory: URL) async throws {
        let portFile = directory.appendingPathComponent("proxy.port").path
        logPath = directory.appendingPathComponent("proxy.log").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.path("testdata/webhook/connect_proxy.py"), portFile, logPath]
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        var port: Int?
        while port == nil, ContinuousClock.now < deadline, process.isRunning {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let port else {
            process.terminate()
            throw TestFailure("the CONNECT proxy did not start")
        }
        self.port = port
    }

    /// SIGKILL: started from the test runner, the proxy was seen to outlive SIGTERM; it has nothing to finish.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
