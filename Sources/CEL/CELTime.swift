import Foundation

/// A CEL duration (`google.protobuf.Duration`), held as nanoseconds like cel-go's (about ±292 years).
public struct CELDuration: Sendable, Hashable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Parses Go's duration syntax: `1h30m`, `-1.5s`, `300ms`, `10us`, `0`.
    static func parse(_ text: String) throws(CELEvalError) -> CELDuration {
        let bad = CELEvalError(.invalidArgument, "invalid duration '\(text)'")
        var scalars = Array(text.unicodeScalars)
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars.removeFirst()
        }
        if scalars.count == 1 && scalars[0] == "0" { return CELDuration(nanoseconds: 0) }
        if scalars.isEmpty { throw bad }
        var total: Double = 0
        var exact: Int64 = 0
        var exactOK = true
        var i = 0
        while i < scalars.count {
            var whole: Int64 = 0
            var wholeOverflow = false
            var digits = 0
            while i < scalars.count, let d = asciiDigit(scalars[i]) {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { wholeOverflow = true }
                whole = a
                digits += 1
                i += 1
            }
            var fraction: Double = 0
            var fractionDigits = 0
            if i < scalars.count && scalars[i] == "." {
                i += 1
                var scale = 0.1
                while i < scalars.count, let d = asciiDigit(scalars[i]) {
                    fraction += Double(d) * scale
                    scale /= 10
                    fractionDigits += 1
                    i += 1
                }
            }
            if digits == 0 && fractionDigits == 0 { throw bad }
            var unit = ""
            while i < scalars.count, scalars[i] != ".", asciiDigit(scalars[i]) == nil {
                unit.unicodeScalars.append(scalars[i])
                i += 1
            }
            let perUnit: Int64
            switch unit {
            case "ns": perUnit = 1
            case "us", "µs", "μs": perUnit = 1_000
            case "ms": perUnit = 1_000_000
            case "s": perUnit = 1_000_000_000
            case "m": perUnit = 60_000_000_000
            case "h": perUnit = 3_600_000_000_000
            default: throw bad
            }
            if wholeOverflow { throw CELEvalError(.overflow, "duration '\(text)' out of range") }
            let (w, o) = whole.multipliedReportingOverflow(by: perUnit)
            if o { exactOK = false }
            let f = Int64((fraction * Double(perUnit)).rounded(.towardZero))
            let (sum, o2) = exact.addingReportingOverflow(w)
            let (sum2, o3) = sum.addingReportingOverflow(f)
            if o2 || o3 { exactOK = false }
            exact = sum2
            total += Double(whole) * Double(perUnit) + fraction * Double(perUnit)
        }
        if !exactOK || total > 9.3e18 { throw CELEvalError(.overflow, "duration '\(text)' out of range") }
        return CELDuration(nanoseconds: negative ? -exact : exact)
    }

    /// Seconds with the fraction that is there: `3600s`, `1.5s`, `-0.000000001s` (as cel-go prints them).
    var text: String {
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        let seconds = magnitude / 1_000_000_000
        let nanos = magnitude % 1_000_000_000
        var out = negative ? "-" : ""
        out += String(seconds)
        if nanos > 0 {
            var frac = String(nanos)
            frac = String(repeating: "0", count: 9 - frac.count) + frac
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "s"
    }
}

/// A CEL timestamp (`google.protobuf.Timestamp`): seconds since the Unix epoch and nanoseconds, from year 1 to 9999.
public struct CELTimestamp: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanos: Int32

    static let minSeconds: Int64 = -62_135_596_800  // 0001-01-01T00:00:00Z
    static let maxSeconds: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z

    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public static func < (a: CELTimestamp, b: CELTimestamp) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos
    }

    static func checked(seconds: Int64, nanos: Int32) throws(CELEvalError) -> CELTimestamp {
        guard seconds >= minSeconds && seconds <= maxSeconds else {
            throw CELEvalError(.overflow, "timestamp out of range")
        }
        return CELTimestamp(seconds: seconds, nanos: nanos)
    }

    /// Parses RFC 3339: `2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.123+01:00`.
    static func parse(_ text: String) throws(CELEvalError) -> CELTimestamp {
        let bad = CELEvalError(.invalidArgument, "invalid timestamp '\(text)'")
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= b.count else { return nil }
            var n = 0
            for k in i..<(i + width) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                n = n * 10 + Int(b[k] - 48)
            }
            i += width
            return n
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count && b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else {
            throw bad
        }
        guard i < b.count, b[i] == 84 || b[i] == 116 else { throw bad }
        i += 1
        guard let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2) else {
            throw bad
        }
        var nanos = 0
        if i < b.count && b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48 && b[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { throw bad }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        var offset = 0
        guard i < b.count else { throw bad }
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = number(2), expect(58), let om = number(2), oh < 24, om < 60 else { throw bad }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            throw bad
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month), hour < 24,
            minute < 60, second < 60
        else { throw bad }
        let days = daysFromCivil(year, month, day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return try checked(seconds: secs, nanos: Int32(nanos))
    }

    /// RFC 3339 in UTC with the fraction trimmed, as cel-go prints it.
    var text: String {
        let (days, rem) = seconds.floorDivMod(86_400)
        let (y, m, d) = civilFromDays(Int(days))
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(Int(rem / 3600), 2)):"
        out += "\(pad(Int(rem % 3600 / 60), 2)):\(pad(Int(rem % 60), 2))"
        if nanos > 0 {
            var frac = pad(Int(nanos), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "Z"
    }

    /// The broken-down time in the given zone: UTC, a fixed offset (`+05:30`, `-08:00`) or an IANA name.
    func fields(in zone: String?) throws(CELEvalError) -> TimeFields {
        var offset: Int64 = 0
        if let zone, !zone.isEmpty, zone != "UTC" {
            if let fixed = Self.fixedOffset(zone) {
                offset = fixed
            } else if let tz = TimeZone(identifier: zone) {
                offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
            } else {
                throw CELEvalError(.invalidArgument, "unknown time zone '\(zone)'")
            }
        }
        let local = seconds + offset
        let (days, rem) = local.floorDivMod(86_400)
        let (y, m, d) = civilFromDays(Int(days))
        let yearStart = daysFromCivil(y, 1, 1)
        // 1970-01-01 was a Thursday (4).
        let weekday = Int((days % 7 + 11) % 7)
        return TimeFields(
            year: y, month: m, day: d, dayOfYear: Int(days) - yearStart, dayOfWeek: weekday,
            hour: Int(rem / 3600), minute: Int(rem % 3600 / 60), second: Int(rem % 60),
            millisecond: Int(nanos / 1_000_000))
    }

    private static func fixedOffset(_ zone: String) -> Int64? {
        let b = Array(zone.utf8)
        var sign: Int64 = 1
        var i = 0
        if let f = b.first, f == 43 || f == 45 {
            sign = f == 45 ? -1 : 1
            i = 1
        }
        guard b.count - i == 5, b[i + 2] == 58 else { return nil }
        let digits = [b[i], b[i + 1], b[i + 3], b[i + 4]]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let h = Int64(digits[0] - 48) * 10 + Int64(digits[1] - 48)
        let m = Int64(digits[2] - 48) * 10 + Int64(digits[3] - 48)
        return sign * (h * 3600 + m * 60)
    }
}

private func asciiDigit(_ s: Unicode.Scalar) -> Int64? {
    s.value >= 48 && s.value <= 57 ? Int64(s.value - 48) : nil
}

struct TimeFields {
    var year, month, day, dayOfYear, dayOfWeek, hour, minute, second, millisecond: Int
}

extension Int64 {
    /// Floor division and the matching non-negative remainder.
    func floorDivMod(_ d: Int64) -> (Int64, Int64) {
        var q = self / d
        var r = self % d
        if r < 0 {
            q -= 1
            r += d
        }
        return (q, r)
    }
}

func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

func daysInMonth(_ y: Int, _ m: Int) -> Int {
    switch m {
    case 2: isLeapYear(y) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}
