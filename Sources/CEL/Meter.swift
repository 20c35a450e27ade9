/// Counts the cost of one evaluation against its budget (Kubernetes' per-expression cost limit, in spirit).
///
/// Every evaluated call, selection, index and comprehension step costs 1; string and list work costs about one
/// unit per ten characters or elements it touches; regexes cost their subject's length. Over budget, evaluation
/// stops with ``CELEvalError/Kind/costExceeded``.
public struct Meter: Sendable {
    public private(set) var used: Int64 = 0
    public let limit: Int64

    public init(limit: Int64) { self.limit = limit }

    @inline(__always)
    mutating func charge(_ n: Int64) throws(CELEvalError) {
        used &+= n
        if used > limit {
            throw CELEvalError(.costExceeded, "operation cancelled: cost limit \(limit) exceeded")
        }
    }

    /// Charges for touching `count` characters or elements.
    @inline(__always)
    mutating func chargeSize(_ count: Int) throws(CELEvalError) {
        try charge(Int64(count / 10 + 1))
    }

    /// Charges for walking a value, before work that visits all of it (equality, `%s`): one unit per list
    /// element or map entry at every depth, one per ten bytes of long strings. A structure that shares its parts
    /// (a list holding the same list many times) is charged for every visit, so the walk itself stays in budget.
    mutating func chargeWalk(_ v: CELValue) throws(CELEvalError) {
        switch v {
        case .list(let items):
            try charge(Int64(items.count))
            for item in items { try chargeWalk(item) }
        case .map(let m):
            try charge(Int64(m.count))
            for entry in m.entries { try chargeWalk(entry.value) }
        case .string(let s):
            let n = s.utf8.count
            if n > 100 { try charge(Int64(n / 10)) }
        case .bytes(let b):
            if b.count > 100 { try charge(Int64(b.count / 10)) }
        case .optional(let o?): try chargeWalk(o)
        default: break
        }
    }
}
