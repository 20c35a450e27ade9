import Foundation
import NIOCore
import NIOHTTP1

/// The routes of `serve`'s two ports, as a value: a request in, its answer out.
///
/// `WebhookServer.run` builds one and hands each port's `HTTPServer` its routes; tests call it in-process, with no
/// socket, as Hummingbird's routers are tested. The webhook port takes `POST /validate` and `POST /mutate`, the
/// metrics port `GET /metrics`; both answer the probes, 405 (with `Allow`) for another method on a path they serve
/// and 404 for the rest.
public struct WebhookRoutes: Sendable {
    /// The listening ports: the webhook's (HTTPS) and the metrics' (plain HTTP).
    public enum Port: Sendable {
        case webhook, metrics

        /// The port's own paths with the method each takes (the probes' are common to both).
        fileprivate var paths: [Substring: String] {
            switch self {
            case .webhook: ["/validate": "POST", "/mutate": "POST"]
            case .metrics: ["/metrics": "GET"]
            }
        }
    }

    /// Reviews at most this large run on the event loop that read them when nothing needs waiting for; larger ones
    /// (up to 3 MiB, tens of milliseconds) go to a task so that they do not hold up the loop's other connections.
    static let immediateReviewLimit = 256 << 10

    let controller: AdmissionController
    let limiter: ConcurrencyLimiter
    let readiness: Readiness
    let metrics: WebhookMetrics

    /// The routes `serve` runs.
    ///
    /// - Parameters:
    ///   - controller: reviews the bodies of `/validate` and `/mutate`.
    ///   - limiter: bounds the reviews that go to a task (waiting for the cluster, or large); 503 past its queue.
    ///   - readiness: what `/readyz` says.
    ///   - metrics: what `/metrics` renders.
    public init(
        controller: AdmissionController, limiter: ConcurrencyLimiter, readiness: Readiness, metrics: WebhookMetrics
    ) {
        self.controller = controller
        self.limiter = limiter
        self.readiness = readiness
        self.metrics = metrics
    }

    /// The answer to `request` on `port`: on the spot (the server writes it from the event loop that read the
    /// request), or later, for a review that waits for the cluster, for a slot, or is large.
    public func route(_ request: HTTPRequest, on port: Port) -> Routed {
        switch (port, request.method, request.path) {
        case (.webhook, .POST, "/validate"):
            admission(request, endpoint: .validate)
        case (.webhook, .POST, "/mutate"):
            admission(request, endpoint: .mutate)
        case (.metrics, .GET, "/metrics"):
            .now(HTTPAnswer(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.render()))
        default:
            probes(request, others: port.paths)
        }
    }

    /// The answer to `request` on `port`, waited for when the route defers it: what a client of the port reads.
    public func respond(to request: HTTPRequest, on port: Port) async -> HTTPAnswer {
        switch route(request, on: port) {
        case .now(let answer): answer
        case .later(let work): await work()
        }
    }

    /// POST /validate and /mutate: content type and concurrency checks, then the review (the server has checked the
    /// size already).
    private func admission(_ request: HTTPRequest, endpoint: AdmissionController.Endpoint) -> Routed {
        guard let contentType = request.headers.first(name: "content-type"), Self.namesJSON(contentType) else {
            let message = "hpaguard: Content-Type must be application/json (an AdmissionReview v1)"
            return .now(Self.status(415, "UnsupportedMediaType", message))
        }
        let body = Array(buffer: request.body)
        let review: @Sendable () async -> WebhookAnswer
        if body.count > Self.immediateReviewLimit {
            review = { await controller.review(body, endpoint: endpoint) }
        } else {
            switch controller.start(body, endpoint: endpoint) {
            case .answered(let answer): return .now(.json(answer.status, answer.body))
            case .waiting(let pending): review = pending.finish
            }
        }
        return .later {
            guard let answer = await limiter.run(review) else {
                var busy = Self.status(503, "ServiceUnavailable", "hpaguard: too many reviews in flight; retry")
                busy.extraHeaders.append(("retry-after", "1"))
                return busy
            }
            return .json(answer.status, answer.body)
        }
    }

    /// Whether a Content-Type value is JSON: its media type (before any `;` and its parameters, without the spaces
    /// and tabs around it) is `application/json` in any case (RFC 9110 §8.3.1). Read as bytes: every review
    /// carries one.
    static func namesJSON(_ contentType: String) -> Bool {
        let value = contentType.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        let mediaType = value.prefix { $0 != UInt8(ascii: ";") }
        var start = mediaType.startIndex
        var end = mediaType.endIndex
        while start < end, isSpace(value[start]) { start = value.index(after: start) }
        while start < end, isSpace(value[value.index(before: end)]) { end = value.index(before: end) }
        let json = "application/json".utf8
        guard value.distance(from: start, to: end) == json.count else { return false }
        return zip(value[start..<end], json).allSatisfy { $0.asciiLowercased == $1 }
    }

    private static func status(_ code: Int, _ reason: String, _ message: String) -> HTTPAnswer {
        .json(code, statusBody(code: code, reason: reason, message: message))
    }

    /// GET /healthz and /readyz; 405 for another method on a known path (`others`: the port's other paths with the
    /// method each takes), 404 for the rest.
    private func probes(_ request: HTTPRequest, others: [Substring: String]) -> Routed {
        switch (request.method, request.path) {
        case (.GET, "/healthz"):
            return .now(.text(.ok, "ok\n"))
        case (.GET, "/readyz"):
            return .now(readiness.isReady ? .text(.ok, "ok\n") : .text(.serviceUnavailable, "shutting down\n"))
        case (_, let path):
            guard let allowed = path == "/healthz" || path == "/readyz" ? "GET" : others[path] else {
                return .now(.text(.notFound, "not found\n"))
            }
            var answer = HTTPAnswer.text(.methodNotAllowed, "method not allowed\n")
            answer.extraHeaders.append(("allow", allowed))
            return .now(answer)
        }
    }
}
