// Live rules: what an HPA does in the cluster, read from its status and its events (`hpaguard audit`).
//
// They live in the engine, beside the spec rules, because they are rules like the others to everything but the
// audit: `hpaguard rules` and `explain` list them, `docs/rules.md` documents them, the policy gives them a severity
// and parameters and is validated against them, and exemptions and `hpaguard.io/ignore` silence them. Only the
// audit has status and events to give them, so the engine's manifest path (`Rule.check`, which they leave at its
// default) finds nothing for them, and `Engine.evaluateLive` runs them for the audit.

/// A rule about how an HPA behaves in the cluster: it reads the HPA's status conditions, its metrics and its
/// events, not only its spec.
public protocol LiveRule: Rule {
    /// The violations of this rule by the HPA in `state`. Pointers are into the HPA as the API server returns it
    /// (`Violation(_:atWritten:)`), usually at a status condition.
    func check(_ state: LiveHPAState, in context: RuleContext) -> [Violation]
}

extension LiveRule {
    public var asLiveRule: (any LiveRule)? { self }
}

/// An HPA as the cluster reports it: its spec (as every rule sees it), its status, and its recent events.
public struct LiveHPAState: Sendable {
    public let hpa: HPA
    public let status: HPAStatus
    /// The HPA's events (involvedObject kind HorizontalPodAutoscaler) that were last seen within `window`, oldest
    /// first.
    public let events: [HPAEvent]
    /// When the state was read.
    public let now: Timestamp
    /// How far back the audit looks (`--since`), in seconds.
    public let window: Int64
    /// What could not be read for this HPA and the checks that therefore did not run, worded for the user
    /// ("LimitRanges in ml: forbidden (403); target-missing-request cannot see their default requests").
    public let unread: [String]

    /// Reads the state of `object` (an HPA as the API server returns it) and `events` (core/v1 Events about it).
    /// Events older than `window` before `now` are left out. Nil when `object` is not an HPA.
    public init?(object: ManifestObject, events: [JSONValue], now: Timestamp, window: Int64, unread: [String] = []) {
        guard let hpa = HPA(object) else { return nil }
        self.init(hpa: hpa, events: events.compactMap(HPAEvent.init), now: now, window: window, unread: unread)
    }

    public init(hpa: HPA, events: [HPAEvent], now: Timestamp, window: Int64, unread: [String] = []) {
        self.unread = unread
        self.hpa = hpa
        self.status = HPAStatus(hpa.object.value["status"] ?? .null)
        self.events = events.filter { ($0.lastSeen ?? now) >= now.adding(-window) }.sorted {
            ($0.lastSeen ?? now, $0.firstSeen ?? now) < ($1.lastSeen ?? now, $1.firstSeen ?? now)
        }
        self.now = now
        self.window = window
    }

    /// The condition of `type` (AbleToScale, ScalingActive, ScalingLimited), if the controller has set it.
    public func condition(_ type: String) -> HPACondition? { status.conditions.first { $0.type == type } }

    /// How long the condition has held, from its lastTransitionTime; nil when unknown.
    public func age(of condition: HPACondition) -> Int64? {
        condition.lastTransitionTime.map { now.seconds - $0.seconds }
    }

    /// The `SuccessfulRescale` events in the window as (time, new size), oldest first; an aggregated event (count
    /// above 1) stands for that many rescales to the same size.
    public var rescales: [(time: Timestamp?, size: Int64, count: Int64, reason: String)] {
        events.filter { $0.reason == "SuccessfulRescale" }.compactMap { event in
            guard let size = HPAEvent.newSize(in: event.message) else { return nil }
            return (event.lastSeen, size, max(1, event.count), HPAEvent.rescaleReason(in: event.message))
        }
    }

    /// The date the examples of live rules are observed at: 2026-01-01T12:00:00Z. Their timestamps are written
    /// relative to it, and their window is the default (`--since 1h`).
    public static let exampleNow = Timestamp("2026-01-01T12:00:00Z")!
    public static let defaultWindow: Int64 = 3600
}

/// `status` of an autoscaling/v2 HPA.
public struct HPAStatus: Sendable {
    public let currentReplicas: Int64?
    public let desiredReplicas: Int64?
    public let lastScaleTime: Timestamp?
    public let conditions: [HPACondition]
    /// `status.currentMetrics`, in the shape of `spec.metrics` with `current` instead of `target`.
    public let currentMetrics: [JSONValue]

    public init(_ status: JSONValue) {
        currentReplicas = status["currentReplicas"]?.integerValue
        desiredReplicas = status["desiredReplicas"]?.integerValue
        lastScaleTime = status["lastScaleTime"]?.stringValue.flatMap(Timestamp.init)
        conditions = (status["conditions"]?.arrayValue ?? []).enumerated().map {
            HPACondition($0.element, index: $0.offset)
        }
        currentMetrics = status["currentMetrics"]?.arrayValue ?? []
    }
}

/// One entry of `status.conditions` (Kubernetes API conventions: type, status, reason, message,
/// lastTransitionTime).
public struct HPACondition: Sendable, Hashable {
    public let type: String
    /// "True", "False" or "Unknown".
    public let status: String
    public let reason: String
    public let message: String
    public let lastTransitionTime: Timestamp?
    /// Its index in `status.conditions`.
    public let index: Int

    init(_ value: JSONValue, index: Int) {
        type = value["type"]?.stringValue ?? ""
        status = value["status"]?.stringValue ?? ""
        reason = value["reason"]?.stringValue ?? ""
        message = value["message"]?.stringValue ?? ""
        lastTransitionTime = value["lastTransitionTime"]?.stringValue.flatMap(Timestamp.init)
        self.index = index
    }

    public var isTrue: Bool { status == "True" }
    public var isFalse: Bool { status == "False" }
    /// Where findings about this condition point: `/status/conditions/N`.
    public var pointer: JSONPointer { JSONPointer("/status/conditions") / index }
}

/// A core/v1 Event about an HPA, as the HPA controller records them (`SuccessfulRescale`, `FailedGetScale`,
/// `FailedGetResourceMetric`, ...).
public struct HPAEvent: Sendable, Hashable {
    public let reason: String
    public let message: String
    /// "Normal" or "Warning".
    public let type: String
    /// How many times the event was seen (`count`, or `series.count` for events recorded with a series).
    public let count: Int64
    public let firstSeen: Timestamp?
    public let lastSeen: Timestamp?

    public init(
        reason: String, message: String, type: String = "Normal", count: Int64 = 1, firstSeen: Timestamp?,
        lastSeen: Timestamp?
    ) {
        self.reason = reason
        self.message = message
        self.type = type
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// An Event object; nil when it has no reason. The times are those client-go's recorder fills: firstTimestamp
    /// and lastTimestamp with count, or eventTime and series (count, lastObservedTime) for the newer API.
    public init?(_ value: JSONValue) {
        guard let reason = value["reason"]?.stringValue else { return nil }
        func time(_ key: String) -> Timestamp? { value[key]?.stringValue.flatMap(Timestamp.init) }
        let series = value["series"]
        let first = time("firstTimestamp") ?? time("eventTime")
        let last = series?["lastObservedTime"]?.stringValue.flatMap(Timestamp.init) ?? time("lastTimestamp") ?? first
        self.init(
            reason: reason, message: value["message"]?.stringValue ?? "", type: value["type"]?.stringValue ?? "Normal",
            count: series?["count"]?.integerValue ?? value["count"]?.integerValue ?? 1, firstSeen: first, lastSeen: last
        )
    }

    /// N of "New size: N; reason: ..." (the HPA controller's SuccessfulRescale message).
    static func newSize(in message: String) -> Int64? {
        guard let start = message.range(of: "New size: ") else { return nil }
        return Int64(message[start.upperBound...].prefix { $0.isNumber })
    }

    /// What follows "reason: " in a SuccessfulRescale message.
    static func rescaleReason(in message: String) -> String {
        guard let start = message.range(of: "reason: ") else { return "" }
        return String(message[start.upperBound...])
    }
}

/// A point in time, to the second, as Kubernetes writes it (RFC 3339: `2026-01-01T12:00:00Z`, with optional
/// fractional seconds and a numeric offset).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month),
            (1...31).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index == bytes.count - 1 else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6)
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        seconds = Self.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public func adding(_ seconds: Int64) -> Timestamp { Timestamp(seconds: self.seconds + seconds) }

    /// `2026-01-01T12:00:00Z`.
    public var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // civil_from_days
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

    /// "3h12m", "45m", "50s": how long, as the findings say it.
    public static func describe(_ seconds: Int64) -> String {
        if seconds >= 86_400 {
            return "\(seconds / 86_400)d\(seconds % 86_400 / 3600 > 0 ? "\(seconds % 86_400 / 3600)h" : "")"
        }
        if seconds >= 3600 { return "\(seconds / 3600)h\(seconds % 3600 / 60 > 0 ? "\(seconds % 3600 / 60)m" : "")" }
        if seconds >= 60 { return "\(seconds / 60)m" }
        return "\(max(0, seconds))s"
    }
}
