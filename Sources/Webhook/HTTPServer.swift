// The webhook's HTTP/1.1 server: SwiftNIO channel handlers, with TLS from `CertificateStore` per connection.
//
// Why not a framework: an admission review is a few hundred microseconds of CPU, and in a framework with an async
// request/response body model most of a request's time went to hopping between the connection's event loop and the
// concurrency pool. Here a review whose cluster facts are at hand runs straight on the event loop that read it; only
// a review that must wait for the Kubernetes API goes to a task. The server is small because it serves five routes.
import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// One request as the routes see it: method, path (no query), headers and the whole body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var path: Substring
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(method: HTTPMethod, path: Substring, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// One answer: status, content type, body, and extra headers (`Retry-After`).
public struct HTTPAnswer: Sendable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: [UInt8]
    public var extraHeaders: [(String, String)] = []

    static func text(_ status: HTTPResponseStatus, _ text: String) -> HTTPAnswer {
        HTTPAnswer(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    static func json(_ code: Int, _ body: [UInt8]) -> HTTPAnswer {
        HTTPAnswer(status: HTTPResponseStatus(statusCode: code), contentType: "application/json", body: body)
    }
}

/// What a route does with a request: answer on the spot (on the event loop), or after waiting.
public enum Routed {
    case now(HTTPAnswer)
    case later(@Sendable () async -> HTTPAnswer)
}

/// The routes of one port. Called on the connection's event loop: must not block beyond its own CPU work.
typealias HTTPRoutes = @Sendable (HTTPRequest) -> Routed

/// Limits of one listening port.
struct HTTPServerLimits: Sendable {
    /// Bodies above this get 413 and the connection is closed (the rest of the body is not read).
    var maxBodyBytes: Int
    /// From a request's first byte (the connection's, for the first request) to its answer.
    var requestTimeout: TimeAmount
    /// A kept-alive connection with no request is closed after this.
    var idleTimeout: TimeAmount
    /// Open connections; further ones wait in the listen backlog until one closes.
    var maxConnections: Int
}

/// Serves one port until graceful shutdown: then stops accepting, lets each connection finish the request it is in
/// (HTTP/1.1 keep-alive connections are closed after their current answer), and returns when all are closed.
struct HTTPServer: Service {
    let name: String
    let host: String
    let port: Int
    let tls: CertificateStore?
    let limits: HTTPServerLimits
    let routes: HTTPRoutes
    let logger: Logger

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let quiesce = ServerQuiescingHelper(group: group)
        let limits = limits
        let routes = routes
        let tls = tls
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                    try channel.pipeline.syncOperations.addHandler(ConnectionLimitHandler(maximum: limits.maxConnections))
                }
            }
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        // Per connection, so that a rotated certificate is used by the next handshake.
                        try pipeline.addHandler(NIOSSLServerHandler(context: tls.context))
                    }
                    try pipeline.addHandler(RequestTimeoutHandler(timeout: limits.requestTimeout))
                    try pipeline.addHandler(IdleStateHandler(readTimeout: limits.idleTimeout))
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try pipeline.addHandler(HTTPConnectionHandler(routes: routes, maxBodyBytes: limits.maxBodyBytes))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        logger.info(
            "listening",
            metadata: [
                "server": .string(name), "scheme": .string(tls == nil ? "http" : "https"),
                "port": .stringConvertible(channel.localAddress?.port ?? port),
            ])

        let drained = group.next().makePromise(of: Void.self)
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await drained.futureResult.get()
            } onCancel: {
                // Past the grace period: close what is left.
                channel.close(promise: nil)
                drained.succeed()
            }
        } onGracefulShutdown: {
            quiesce.initiateShutdown(promise: drained)
        }
    }
}

/// Stops accepting at `maximum` open connections (the kernel's backlog holds the next ones) and resumes when one
/// closes, rather than accepting and dropping them.
private final class ConnectionLimitHandler: ChannelInboundHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel

    private let maximum: Int
    private var open = 0
    private var paused = false

    init(maximum: Int) { self.maximum = maximum }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        open += 1
        if open >= maximum, !paused {
            paused = true
            context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        child.closeFuture.whenComplete { _ in
            loop.execute {
                let (handler, context) = bound.value
                handler.closed(context: context)
            }
        }
        context.fireChannelRead(data)
    }

    private func closed(context: ChannelHandlerContext) {
        open -= 1
        if paused, open < maximum {
            paused = false
            context.channel.setOption(.autoRead, value: true).whenFailure { _ in }
            context.read()
        }
    }
}

/// One connection's requests: collects each body (up to the limit), asks the routes, writes the answer.
/// `HTTPServerPipelineHandler` in front of it holds pipelined requests back until the previous answer is out, so
/// there is at most one request here at a time.
final class HTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        /// The body is over the limit: 413 is on its way and the connection closes after it.
        case refusing
        case answering
    }

    private let routes: HTTPRoutes
    private let maxBodyBytes: Int
    private var state = State.idle

    init(routes: @escaping HTTPRoutes, maxBodyBytes: Int) {
        self.routes = routes
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            if declared > maxBodyBytes {
                refuse(context: context)
            } else {
                state = .receiving(head, context.channel.allocator.buffer(capacity: declared))
            }
        case (.body(var chunk), .receiving(let head, var body)):
            if body.readableBytes + chunk.readableBytes > maxBodyBytes {
                refuse(context: context)
            } else {
                state = .answering  // lets `body` be the buffer's only reference while it grows
                body.writeBuffer(&chunk)
                state = .receiving(head, body)
            }
        case (.end, .receiving(let head, let body)):
            state = .answering
            let path = head.uri.firstIndex(of: "?").map { head.uri[..<$0] } ?? head.uri[...]
            let request = HTTPRequest(method: head.method, path: path, headers: head.headers, body: body)
            switch routes(request) {
            case .now(let answer):
                respond(answer, keepAlive: head.isKeepAlive, context: context)
            case .later(let work):
                let keepAlive = head.isKeepAlive
                context.eventLoop.makeFutureWithTask(work).assumeIsolated().whenSuccess { answer in
                    self.respond(answer, keepAlive: keepAlive, context: context)
                }
            }
        case (.body, _), (.end, _):
            break  // the rest of a refused request
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            if case .idle = state { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // TLS and socket errors end the connection; HTTP parse errors were answered with 400 before this.
        context.close(promise: nil)
    }

    private func refuse(context: ChannelHandlerContext) {
        if case .refusing = state { return }
        state = .refusing
        write(Self.tooLarge(maxBodyBytes), keepAlive: false, context: context)
    }

    private func respond(_ answer: HTTPAnswer, keepAlive: Bool, context: ChannelHandlerContext) {
        guard case .answering = state else { return }
        state = .idle
        write(answer, keepAlive: keepAlive, context: context)
    }

    private func write(_ answer: HTTPAnswer, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.reserveCapacity(3 + answer.extraHeaders.count)
        headers.add(name: "content-type", value: answer.contentType)
        headers.add(name: "content-length", value: String(answer.body.count))
        for (name, value) in answer.extraHeaders { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var body = context.channel.allocator.buffer(capacity: answer.body.count)
        body.writeBytes(answer.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }

    static func tooLarge(_ limit: Int) -> HTTPAnswer {
        .json(
            413,
            statusBody(
                code: 413, reason: "RequestEntityTooLarge",
                message: "hpaguard: the body is over \(limit) bytes; an AdmissionReview is at most ~3 MiB"))
    }
}
