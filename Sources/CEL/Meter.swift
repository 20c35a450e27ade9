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
}
