import Synchronization

/// Short-lived cache of API answers: single-flight (concurrent reviews share one call), bounded, and failures kept
/// briefly so that a down API server is not hammered by every review. `cached` answers without waiting, which lets a
/// review whose lookups are all cached run straight on the connection's thread.
package final class LookupCache: Sendable {
    private enum Entry {
        case pending(Task<KubeResult, Never>)
        case ready(KubeResult, expires: ContinuousClock.Instant)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let successTTL: Duration
    private let failureTTL: Duration

    package init(capacity: Int, successTTL: Duration, failureTTL: Duration) {
        self.capacity = capacity
        self.successTTL = successTTL
        self.failureTTL = failureTTL
    }

    /// The answer for `key` if one is cached and fresh.
    package func cached(_ key: String) -> KubeResult? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard case .ready(let result, let expires)? = state.entries[key], expires > now else { return nil }
            return result
        }
    }

    package func value(for key: String, fetch: @escaping @Sendable () async -> KubeResult) async -> KubeResult {
        enum Step {
            case cached(KubeResult)
            case wait(Task<KubeResult, Never>, owner: Bool)
        }
        let now = ContinuousClock.now
        let step: Step = state.withLock { state in
            switch state.entries[key] {
            case .ready(let result, let expires)? where expires > now:
                return .cached(result)
            case .pending(let task)?:
                return .wait(task, owner: false)
            default:
                let task = Task { await fetch() }
                store(key, .pending(task), in: &state)
                return .wait(task, owner: true)
            }
        }
        switch step {
        case .cached(let result):
            return result
        case .wait(let task, owner: false):
            return await task.value
        case .wait(let task, owner: true):
            let result = await task.value
            let ttl: Duration
            switch result {
            case .object: ttl = successTTL
            case .notFound: ttl = min(successTTL, .seconds(5))  // GitOps creates targets soon after their HPAs
            case .failed: ttl = failureTTL
            }
            let expires = ContinuousClock.now + ttl
            state.withLock { store(key, .ready(result, expires: expires), in: &$0) }
            return result
        }
    }

    private func store(_ key: String, _ entry: Entry, in state: inout State) {
        if state.entries.updateValue(entry, forKey: key) == nil { state.order.append(key) }
        guard state.entries.count > capacity else { return }
        let now = ContinuousClock.now
        // Expired first, then the oldest; pending lookups stay (their callers hold them).
        var kept: [String] = []
        for candidate in state.order {
            switch state.entries[candidate] {
            case .ready(_, let expires)? where expires <= now || state.entries.count > capacity:
                state.entries[candidate] = nil
            case nil:
                continue
            default:
                kept.append(candidate)
            }
        }
        state.order = kept
    }
}
