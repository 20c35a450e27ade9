import NIOCore
import Synchronization

/// Closes a connection whose request does not arrive within `timeout`: from the connection's start to the first
/// answer (handshake and request together), and from a later request's first byte to its answer.
///
/// It sits right after TLS and sees plain bytes: inbound bytes when no request is timed set a deadline, an outbound
/// write (the answer) clears it. The server's idle timeout covers a kept-alive connection between requests. Together
/// they bound slow handshakes, slowly sent headers and stalled bodies.
///
/// One timer per connection, not one per request: when it fires, a cleared deadline lets it lapse, a later one sets
/// it again. Scheduling and cancelling a task on the event loop costs a heap insertion, a removal and an allocation,
/// and requests come on the path of every review.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    /// When the request being read must have been answered; nil between requests.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) { startRequest(context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if deadline == nil { startRequest(context) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        deadline = nil
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) { stopTimer() }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    private func startRequest(_ context: ChannelHandlerContext) {
        let deadline = NIODeadline.now() + timeout
        self.deadline = deadline
        if timer == nil { schedule(at: deadline, context) }
    }

    private func schedule(at time: NIODeadline, _ context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: time) {
            let (handler, context) = bound.value
            handler.timerFired(context)
        }
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        timer = nil
        guard let deadline else { return }  // answered; the next request sets it again
        if deadline <= .now() {
            context.close(promise: nil)
        } else {
            schedule(at: deadline, context)
        }
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
        deadline = nil
    }
}

private enum LimiterAdmission { case now, wait, refuse }

/// At most `limit` reviews evaluate at once; up to `queueLimit` more wait their turn, later ones are refused (503)
/// rather than queued without bound.
public final class ConcurrencyLimiter: Sendable {
    private struct State {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let limit: Int
    let queueLimit: Int

    public init(limit: Int, queueLimit: Int) {
        self.limit = limit
        self.queueLimit = queueLimit
    }

    /// Runs `body` when a slot is free; nil when the queue is full.
    func run<T: Sendable>(_ body: () async -> T) async -> T? {
        let admission: LimiterAdmission = state.withLock { state in
            if state.running < limit {
                state.running += 1
                return .now
            }
            return state.waiters.count < queueLimit ? .wait : .refuse
        }
        switch admission {
        case .refuse: return nil
        case .wait:
            await withCheckedContinuation { continuation in
                let admitted = state.withLock { state -> Bool in
                    if state.running < limit {
                        state.running += 1
                        return true
                    }
                    state.waiters.append(continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
        case .now: break
        }
        let result = await body()
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()  // the slot passes to the next waiter
        }
        next?.resume()
        return result
    }
}
