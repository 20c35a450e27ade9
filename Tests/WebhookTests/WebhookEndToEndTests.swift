import AsyncHTTPClient
import Cluster
import Engine
import Foundation
import Synchronization
import Testing

/// `hpaguard serve` as a process over real TLS on loopback, with a test Kubernetes API server (HTTPS, token auth,
/// recorded objects) in the test process: what only a socket or the process shows (TLS, certificate rotation, the body
/// limit, timeouts, lookups over HTTPS, shutdown). The routes' answers are tested in-process in WebhookRoutesTests.
/// Serialized: each test starts and stops its own servers, and the machine has two cores.
@Suite("Webhook end to end", .serialized)
struct WebhookEndToEndTests {
    /// One webhook, one API server and a client; all stopped at the end whatever happens.
    static func withWebhook(
        api apiMode: FakeKubeAPI.Mode? = .normal, arguments: [String] = [],
        _ body: (WebhookProcess, HTTPClient, FakeKubeAPI?) async throws -> Void
    ) async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: 1001)
        var extra = arguments
        var api: FakeKubeAPI?
        if let apiMode {
            let apiServer = try FakeKubeAPI.recorded()
            apiServer.mode.withLock { $0 = apiMode }
            let apiPair = try await pki.leaf("api", serial: 2001)
            let port = try await apiServer.start(certificate: apiPair.certificate, key: apiPair.key)
            extra += ["--kubeconfig", try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:\(port)", ca: pki.caCertificate)]
            api = apiServer
        }
        let client = try makeClient(trusting: pki.caCertificate)
        var webhook: WebhookProcess?
        do {
            webhook = try await WebhookProcess.start(certificate: serving.certificate, key: serving.key, arguments: extra)
            if let webhook { try await body(webhook, client, api) }
        } catch {
            await webhook?.stop()
            await api?.stop()
            try? await client.shutdown()
            throw error
        }
        await webhook?.stop()
        await api?.stop()
        try await client.shutdown()
    }

    @Test("a valid HPA is allowed with its uid, no warnings and no patch")
    func validHPA() async throws {
        try await Self.withWebhook { webhook, client, api in
            let uid = "0c7e1d7c-9f5e-4c3a-a1b2-000000000001"
            let body = Reviews.request(uid: uid, object: try Reviews.hpa("parity/01-valid-v2.yaml"))
            let response = try admissionResponse(try await post(client, webhook.url + "/validate", body: body), uid: uid)
            #expect(response["allowed"]?.boolValue == true)
            #expect(response["status"] == nil)
            #expect(response["patch"] == nil && response["patchType"] == nil)
            #expect(!warnings(response).contains { $0.hasPrefix("hpaguard:") }, "every lookup succeeded: \(warnings(response))")
            #expect(api?.requests.contains("/apis/apps/v1/namespaces/ml/deployments/vllm") == true)
            #expect(api?.requests.contains("/api/v1/namespaces/ml/limitranges") == true)

            let mutated = try admissionResponse(try await post(client, webhook.url + "/mutate", body: body), uid: uid)
            #expect(mutated["allowed"]?.boolValue == true)
            #expect(mutated["patch"] == nil && mutated["patchType"] == nil, "nothing to change: no patch")

            // One line per review with uid, object, operation, decision and duration.
            let line = webhook.logLines.first { $0["msg"]?.stringValue == "review" && $0["uid"]?.stringValue == uid }
            #expect(line?["object"]?.stringValue == "HorizontalPodAutoscaler ml/vllm")
            #expect(line?["operation"]?.stringValue == "CREATE")
            #expect(line?["decision"]?.stringValue == "allowed")
            #expect(line?["duration_ms"] != nil)
        }
    }

    @Test("an oversized body gets 413 before it is read; the server keeps serving")
    func oversizedBody() async throws {
        try await Self.withWebhook(api: nil) { webhook, client, _ in
            let url = webhook.url + "/validate"
            let huge = try await post(client, url, body: [UInt8](repeating: 0x20, count: (3 << 20) + 1))
            #expect(huge.status == 413)
            // Still serving.
            let uid = "after-bad-bodies"
            let good = try await post(client, url, body: Reviews.request(uid: uid, object: try Reviews.hpa("parity/01-valid-v2.yaml")))
            #expect(try admissionResponse(good, uid: uid)["allowed"]?.boolValue == true)
            #expect(webhook.process.isRunning)
        }
    }

    @Test("a hung Kubernetes API: the review is answered within 3 s, allowed, with a warning")
    func apiHung() async throws {
        try await Self.withWebhook(api: .hang) { webhook, client, _ in
            let start = ContinuousClock.now
            let answer = try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "hung", object: try Reviews.hpa("parity/01-valid-v2.yaml")))
            let took = ContinuousClock.now - start
            let response = try admissionResponse(answer, uid: "hung")
            // Timed by the webhook itself; the test's own clock is only checked for a hang (see reviewMilliseconds).
            #expect(try await webhook.reviewMilliseconds(uid: "hung") < 3000)
            #expect(took < .seconds(30), "took \(took)")
            #expect(response["allowed"]?.boolValue == true)
            #expect(warnings(response).contains { $0.contains("Deployment ml/vllm not checked") && $0.contains("no answer within 2s") }, "\(warnings(response))")
            // An invalid object is still denied: its own errors need no lookup.
            let invalid = try admissionResponse(try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "hung2", object: try Reviews.hpa("parity/03-max-below-min.yaml"))), uid: "hung2")
            #expect(invalid["allowed"]?.boolValue == false)
            let metrics = try await get(client, webhook.metricsURL + "/metrics").text
            #expect(metrics.contains("hpaguard_lookup_errors_total "), "\(metrics)")
            #expect(!metrics.contains("hpaguard_lookup_errors_total 0\n"))
        }
    }

    @Test("API down or failing, or the target missing: allowed with a warning naming what was not checked")
    func apiDownOrMissing() async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: 1101)
        let client = try makeClient(trusting: pki.caCertificate)
        defer { Task { try? await client.shutdown() } }
        // Nothing listening.
        let down = try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:\(try closedPort())", ca: pki.caCertificate, name: "down")
        let webhook = try await WebhookProcess.start(certificate: serving.certificate, key: serving.key, arguments: ["--kubeconfig", down])
        try await stopping(webhook) {
            let response = try admissionResponse(try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "down", object: try Reviews.hpa("parity/01-valid-v2.yaml"))), uid: "down")
            #expect(try await webhook.reviewMilliseconds(uid: "down") < 3000)
            #expect(response["allowed"]?.boolValue == true)
            #expect(warnings(response).contains { $0.hasPrefix("hpaguard: target Deployment ml/vllm not checked: ") }, "\(warnings(response))")
        }
        await webhook.stop()

        try await Self.withWebhook(api: .normal) { webhook, client, _ in
            let missing = try admissionResponse(try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "404", object: try Reviews.hpa("missing-target-hpa.yaml"))), uid: "404")
            #expect(missing["allowed"]?.boolValue == true)
            #expect(warnings(missing).contains("hpaguard: target Deployment ml/tgi does not exist (yet); target checks skipped"), "\(warnings(missing))")
        }
        try await Self.withWebhook(api: .error500) { webhook, client, _ in
            let failing = try admissionResponse(try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "500", object: try Reviews.hpa("parity/01-valid-v2.yaml"))), uid: "500")
            #expect(failing["allowed"]?.boolValue == true)
            #expect(warnings(failing).contains { $0.contains("the API server answered 500") }, "\(warnings(failing))")
        }
    }

    @Test("kubeconfig tls-server-name and proxy-url: the certificate checked for the name it has, lookups through a proxy")
    func serverNameAndProxy() async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: 1501)
        let client = try makeClient(trusting: pki.caCertificate)
        // One API server whose certificate names only kubernetes.test, reached at 127.0.0.1; one for the proxy.
        let namedPair = try await pki.leaf("api-named", serial: 2501, subjectAltName: "DNS:kubernetes.test")
        let named = try FakeKubeAPI.recorded()
        let namedPort = try await named.start(certificate: namedPair.certificate, key: namedPair.key)
        let plainPair = try await pki.leaf("api-plain", serial: 2502)
        let plain = try FakeKubeAPI.recorded()
        let plainPort = try await plain.start(certificate: plainPair.certificate, key: plainPair.key)
        let proxy = try await ConnectProxy(in: pki.directory)
        defer { proxy.stop() }

        /// The "hpaguard:" warnings of one review by a webhook started with `kubeconfig`.
        func lookupWarnings(_ kubeconfig: String, uid: String) async throws -> [String] {
            let webhook = try await WebhookProcess.start(
                certificate: serving.certificate, key: serving.key, arguments: ["--kubeconfig", kubeconfig])
            var found: [String] = []
            try await stopping(webhook) {
                let body = Reviews.request(uid: uid, object: try Reviews.hpa("parity/01-valid-v2.yaml"))
                let response = try admissionResponse(try await post(client, webhook.url + "/validate", body: body), uid: uid)
                #expect(response["allowed"]?.boolValue == true)
                found = warnings(response).filter { $0.hasPrefix("hpaguard:") }
            }
            await webhook.stop()
            return found
        }
        do {
            let mismatched = try await lookupWarnings(
                writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:\(namedPort)", ca: pki.caCertificate, name: "mismatched"),
                uid: "mismatched")
            #expect(mismatched.contains { $0.hasPrefix("hpaguard: target Deployment ml/vllm not checked: ") }, "\(mismatched)")
            let withName = try await lookupWarnings(
                writeKubeconfig(
                    in: pki.directory, server: "https://127.0.0.1:\(namedPort)", ca: pki.caCertificate,
                    tlsServerName: "kubernetes.test", name: "named"),
                uid: "named")
            #expect(withName.isEmpty, "\(withName)")
            #expect(named.requests.contains("/apis/apps/v1/namespaces/ml/deployments/vllm"))

            let proxied = try await lookupWarnings(
                writeKubeconfig(
                    in: pki.directory, server: "https://127.0.0.1:\(plainPort)", ca: pki.caCertificate,
                    proxyURL: "http://hpaguard:s3cret@127.0.0.1:\(proxy.port)", name: "proxied"),
                uid: "proxied")
            #expect(proxied.isEmpty, "\(proxied)")
            #expect(plain.requests.contains("/apis/apps/v1/namespaces/ml/deployments/vllm"))
            #expect(proxy.log.contains("CONNECT 127.0.0.1:\(plainPort) auth=True"), "\(proxy.log)")
        } catch {
            await named.stop()
            await plain.stop()
            try? await client.shutdown()
            throw error
        }
        await named.stop()
        await plain.stop()
        try await client.shutdown()
    }

    @Test("without a kubeconfig and outside a cluster, lookups are skipped with a warning")
    func noCluster() async throws {
        try await Self.withWebhook(api: nil) { webhook, client, _ in
            let response = try admissionResponse(try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "alone", object: try Reviews.hpa("parity/01-valid-v2.yaml"))), uid: "alone")
            #expect(response["allowed"]?.boolValue == true)
            // hpaguard's own warning first; the engine's target rule reports the unavailable lookup too.
            #expect(warnings(response).first == "hpaguard: target, other scalers, PDBs and LimitRanges not checked: no Kubernetes API configured")
            #expect(warnings(response).dropFirst().allSatisfy { $0.hasPrefix("[target-not-found]") }, "\(warnings(response))")
        }
    }

    /// The image runs as 65532 with no capabilities: a socket option that only root may set would close every
    /// connection there and nowhere else (it did once: SO_DEBUG set by mistake for TCP_NODELAY).
    @Test("as the image's non-root user it serves reviews and probes", .enabled(if: getuid() == 0, "needs root to drop to 65532"))
    func nonRoot() async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: 1002)
        // A mounted Secret is readable by the pod's user (defaultMode 0644); the same here.
        for path in [pki.directory.path, serving.certificate, serving.key] {
            try FileManager.default.setAttributes([.posixPermissions: path == pki.directory.path ? 0o755 : 0o644], ofItemAtPath: path)
        }
        let client = try makeClient(trusting: pki.caCertificate)
        let webhook = try await WebhookProcess.start(certificate: serving.certificate, key: serving.key, user: 65532)
        do {
            let response = try admissionResponse(
                try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "non-root", object: try Reviews.hpa("parity/01-valid-v2.yaml"))),
                uid: "non-root")
            #expect(response["allowed"]?.boolValue == true)
            #expect(try await get(client, webhook.url + "/readyz").status == 200)
            #expect(try await get(client, webhook.metricsURL + "/metrics").status == 200)
        } catch {
            Issue.record(error)
        }
        #expect(await webhook.stop().status == 0)
        try await client.shutdown()
    }

    @Test("a burst of reviews in one namespace is a handful of API calls")
    func lookupCache() async throws {
        try await Self.withWebhook { webhook, client, api in
            let object = try Reviews.hpa("parity/01-valid-v2.yaml")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let response = try admissionResponse(try await post(client, webhook.url + "/validate", body: Reviews.request(uid: "burst-\(index)", object: object)), uid: "burst-\(index)")
                        #expect(response["allowed"]?.boolValue == true)
                    }
                }
                try await group.waitForAll()
            }
            let calls = api?.requests.count ?? 0
            #expect(calls <= 8, "20 reviews made \(calls) API calls: \(api?.requests ?? [])")
        }
    }

    @Test("/metrics has the five metrics; /healthz and /readyz answer on both ports")
    func metricsAndProbes() async throws {
        try await Self.withWebhook { webhook, client, _ in
            _ = try await post(client, webhook.url + "/validate", body: Reviews.request(object: try Reviews.hpa("parity/03-max-below-min.yaml")))
            let metrics = try await get(client, webhook.metricsURL + "/metrics")
            #expect(metrics.status == 200)
            for name in [
                "hpaguard_admission_requests_total{", "hpaguard_admission_duration_seconds_bucket",
                "hpaguard_findings_total{", "hpaguard_lookup_errors_total", "hpaguard_certificate_expiry_timestamp_seconds",
            ] {
                #expect(metrics.text.contains(name), "\(name) missing")
            }
            #expect(metrics.text.contains(#"hpaguard_admission_requests_total{endpoint="validate",operation="CREATE",decision="denied"} 1"#))
            #expect(metrics.text.contains(#"hpaguard_findings_total{rule="max-below-min",severity="error"} 1"#))
            for url in [webhook.url, webhook.metricsURL] {
                #expect(try await get(client, url + "/healthz").status == 200)
                #expect(try await get(client, url + "/readyz").status == 200)
            }
        }
    }

    @Test("stalled handshakes, headers and bodies are cut off by the request timeout, also on a kept-alive connection; the server keeps serving")
    func slowClients() async throws {
        try await Self.withWebhook(api: nil, arguments: ["--request-timeout", "1s"]) { webhook, client, _ in
            // Each case: connect over TLS, send a prefix and stall; the server must close within a few seconds, and
            // not before the timeout. "second" stalls the request after an answered one on the same connection, at
            // once or after a pause longer than the timeout: the timer of the first request still runs, or has run.
            let script = """
                import socket, ssl, sys, time
                port, mode = int(sys.argv[1]), sys.argv[2]
                raw = socket.create_connection(("127.0.0.1", port), timeout=10)
                start = time.monotonic()
                if mode != "handshake":
                    context = ssl.create_default_context(); context.check_hostname = False; context.verify_mode = ssl.CERT_NONE
                    conn = context.wrap_socket(raw)
                    if mode.startswith("second"):
                        conn.sendall(b"POST /unrouted HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}")
                        answer = b""
                        while b"\\r\\n\\r\\n" not in answer:
                            answer += conn.recv(1024)
                        head, _, body = answer.partition(b"\\r\\n\\r\\n")
                        length = int(next(l.split(b":")[1] for l in head.split(b"\\r\\n") if l.lower().startswith(b"content-length")))
                        while len(body) < length:
                            body += conn.recv(1024)
                        # Within the first request's timeout, then past it.
                        time.sleep(0.7 if mode == "second" else 1.5)
                        start = time.monotonic()
                        conn.sendall(b"POST /validate HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: appl")
                    elif mode == "headers":
                        conn.sendall(b"POST /validate HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: appl")
                    else:
                        conn.sendall(b"POST /validate HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\nContent-Length: 100\\r\\n\\r\\n{\\"kind\\"")
                else:
                    conn = raw  # never starts the TLS handshake
                try:
                    data = conn.recv(1024)
                except (ConnectionError, ssl.SSLError, socket.timeout) as e:
                    data = b""
                print(f"{time.monotonic() - start:.2f} {len(data)}")
                """
            let path = try Fixtures.temporaryDirectory().appendingPathComponent("slow.py").path
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            for mode in ["handshake", "headers", "body", "second", "second-after-pause"] {
                let result = try await runCommand(["python3", path, String(webhook.port), mode], timeout: 30)
                let seconds = Double(result.stdout.split(separator: " ").first ?? "") ?? 99
                #expect(result.status == 0, "\(mode): \(result.stderr)")
                #expect(seconds > 0.5 && seconds < 5, "\(mode): closed after \(result.stdout)")
            }
            let uid = "after-slow-clients"
            let good = try await post(client, webhook.url + "/validate", body: Reviews.request(uid: uid, object: try Reviews.hpa("parity/01-valid-v2.yaml")))
            #expect(try admissionResponse(good, uid: uid)["allowed"]?.boolValue == true)
        }
    }

    @Test("an exec-plugin kubeconfig is a clear start-up error (exit 2)")
    func execKubeconfig() async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", serial: 1201)
        let kubeconfig = try writeKubeconfig(in: pki.directory, server: "https://127.0.0.1:6443", ca: pki.caCertificate, token: nil, exec: true)
        let result = try await runCommand([
            try Fixtures.binary, "serve", "--tls-cert-file", serving.certificate, "--tls-key-file", serving.key,
            "--address", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--kubeconfig", kubeconfig,
        ], timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr.contains("exec credential plugin (gke-gcloud-auth-plugin)"), "\(result.stderr)")
    }

    @Test("RSA (PKCS#1), EC (SEC1) and PKCS#8 keys all serve", arguments: TestPKI.KeyKind.allCases)
    func keyFormats(kind: TestPKI.KeyKind) async throws {
        let pki = try await TestPKI()
        let serving = try await pki.leaf("webhook", key: kind, serial: 1300)
        let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: serving.key)), as: UTF8.self)
        switch kind {
        case .rsaPKCS1: #expect(header.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        case .ecSEC1: #expect(header.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        case .pkcs8: #expect(header.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        }
        let client = try makeClient(trusting: pki.caCertificate)
        let webhook = try await WebhookProcess.start(certificate: serving.certificate, key: serving.key)
        let status = try? await get(client, webhook.url + "/healthz").status
        await webhook.stop()
        try await client.shutdown()
        #expect(status == 200)
    }

    @Test("certificate rotation under load: file replacement and the ..data symlink swap, zero failed requests")
    func rotationUnderLoad() async throws {
        let pki = try await TestPKI()
        // A mounted Secret as the kubelet lays it out: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>.
        let mount = pki.directory.appendingPathComponent("mount")
        let first = mount.appendingPathComponent("..2025_01_01_00_00_00.000000001")
        try FileManager.default.createDirectory(at: first, withIntermediateDirectories: true)
        try await pki.leaf("tls", key: .rsaPKCS1, serial: 0x1001, in: first)
        try FileManager.default.createSymbolicLink(atPath: mount.appendingPathComponent("..data").path, withDestinationPath: first.lastPathComponent)
        for file in ["tls.crt", "tls.key"] {
            try FileManager.default.createSymbolicLink(atPath: mount.appendingPathComponent(file).path, withDestinationPath: "..data/\(file)")
        }
        let certificate = mount.appendingPathComponent("tls.crt").path
        let key = mount.appendingPathComponent("tls.key").path
        let client = try makeClient(trusting: pki.caCertificate)
        let webhook = try await WebhookProcess.start(certificate: certificate, key: key)
        do {
            try await stopping(webhook) {
                try await rotate(webhook: webhook, client: client, pki: pki, mount: mount, certificate: certificate, key: key)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func rotate(
        webhook: WebhookProcess, client: HTTPClient, pki: TestPKI, mount: URL, certificate: String, key: String
    ) async throws {
        #expect(try await servedSerial(port: webhook.port) == "1001")

        let body = Reviews.request(uid: "rotation", object: try Reviews.hpa("parity/01-valid-v2.yaml"))
        let failures = Locked<[String]>([])
        let done = Locked(false)
        let sent = Locked(0)
        // A bounded load: 4 keep-alive workers, at most 20 s or until the rotations are done.
        // Stops the load loop whatever happens below.
        defer { done.withLock { $0 = true } }
        let load = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let start = ContinuousClock.now
                        while !done.withLock({ $0 }), ContinuousClock.now - start < .seconds(20) {
                            do {
                                let answer = try await post(client, webhook.url + "/validate", body: body)
                                if answer.status != 200 { failures.withLock { $0.append("status \(answer.status)") } }
                            } catch {
                                failures.withLock { $0.append(String(describing: error)) }
                            }
                            sent.withLock { $0 += 1 }
                        }
                    }
                }
            }
        }
        func waitForSerial(_ serial: String) async throws -> Bool {
            for _ in 0..<40 {
                if try await servedSerial(port: webhook.port) == serial { return true }
                try await Task.sleep(for: .milliseconds(250))
            }
            return false
        }
        // 1. The kubelet's swap: a new timestamped directory, then ..data renamed over atomically. EC key this time.
        let second = mount.appendingPathComponent("..2025_02_01_00_00_00.000000002")
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
        try await pki.leaf("tls", key: .ecSEC1, serial: 0x2002, in: second)
        let temporaryLink = mount.appendingPathComponent("..data_tmp").path
        try FileManager.default.createSymbolicLink(atPath: temporaryLink, withDestinationPath: second.lastPathComponent)
        #expect(rename(temporaryLink, mount.appendingPathComponent("..data").path) == 0)
        #expect(try await waitForSerial("2002"), "the ..data swap was not picked up")

        // 2. A plain replacement of both files (key first: for a moment the pair does not match).
        let plain = pki.directory.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        let third = try await pki.leaf("tls", key: .pkcs8, serial: 0x3003, in: plain)
        for (source, target) in [(third.key, key), (third.certificate, certificate)] {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target + ".tmp")
            #expect(rename(target + ".tmp", target) == 0)
            try await Task.sleep(for: .milliseconds(700))  // longer than a poll: the mismatched pair is seen
        }
        #expect(try await waitForSerial("3003"), "the file replacement was not picked up")
        done.withLock { $0 = true }
        await load.value
        let status = await webhook.stop()
        #expect(failures.withLock { $0 }.isEmpty, "failed requests: \(failures.withLock { $0 }.prefix(5))")
        #expect(sent.withLock { $0 } > 20, "the load loop ran")
        #expect(status.status == 0)
        #expect(webhook.log.contains("serving certificate reloaded"))
    }

    @Test("SIGTERM during in-flight reviews: they complete, then exit 0 within 10 s")
    func gracefulShutdown() async throws {
        try await Self.withWebhook(api: .hang, arguments: ["--lookup-timeout", "1500ms"]) { webhook, client, _ in
            let body = Reviews.request(uid: "inflight", object: try Reviews.hpa("parity/01-valid-v2.yaml"))
            let inFlight = (0..<4).map { _ in
                Task { try await post(client, webhook.url + "/validate", body: body) }
            }
            try await Task.sleep(for: .milliseconds(400))  // the reviews are waiting on the hung API
            let stopping = Task { await webhook.stop() }
            for task in inFlight {
                let answer = try await task.value
                let response = try admissionResponse(answer, uid: "inflight")
                #expect(response["allowed"]?.boolValue == true)
            }
            let (status, _) = await stopping.value
            #expect(status == 0)
            #expect(try await webhook.shutdownMilliseconds() < 10_000, "\(webhook.log)")
        }
    }
}
