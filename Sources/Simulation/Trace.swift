import Foundation

/// The offered load over time: a CSV file (`seconds,load`, or one row per request in the Azure LLM inference or
/// BurstGPT schema) or a built-in shape. Read as a stream of change points: a point's load holds until the next.

/// A change of the load: from `time` on (seconds from the start), `load` until the next point.
public struct TracePoint: Sendable, Hashable {
    public var time: Double
    public var load: Double

    public init(time: Double, load: Double) {
        self.time = time
        self.load = load
    }
}

/// A trace that cannot be read: the file, the line (when there is one) and what was wrong.
public struct TraceError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// `--trace`: a file or a built-in shape.
public enum TraceSource: Sendable, Hashable {
    case file(String)
    /// `step:FROM:TO@T`
    case step(from: Double, to: Double, at: Double)
    /// `spike:BASE:PEAK@T+D`
    case spike(base: Double, peak: Double, at: Double, duration: Double)
    /// `ramp:FROM:TO@T1-T2`
    case ramp(from: Double, to: Double, start: Double, end: Double)
    /// `diurnal:LOW:HIGH/PERIOD`: LOW at t = 0, HIGH at half the period (a raised cosine).
    case diurnal(low: Double, high: Double, period: Double)

    /// The samples per second of the continuous shapes (ramp, diurnal) are 1 s apart.
    static let shapeResolution = 1.0

    /// Parses `--trace`: a built-in shape when it starts with `step:`, `spike:`, `ramp:` or `diurnal:`, else a path.
    public static func parse(_ text: String) throws(TraceError) -> TraceSource {
        func fail(_ message: String) -> TraceError { TraceError(file: "--trace \(text)", message: message) }
        guard let colon = text.firstIndex(of: ":") else { return .file(text) }
        let kind = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        guard ["step", "spike", "ramp", "diurnal"].contains(kind) else { return .file(text) }

        func number(_ field: Substring, _ what: String) throws(TraceError) -> Double {
            guard let value = Double(field), value.isFinite else { throw fail("\(what) '\(field)' is not a number") }
            guard value >= 0 else { throw fail("\(what) \(field) is negative; load is never below 0") }
            return value
        }
        func duration(_ field: Substring, _ what: String) throws(TraceError) -> Double {
            guard let value = GoDuration.seconds(String(field)) else {
                throw fail("\(what) '\(field)' is not a duration (seconds, or Go style: 90s, 15m, 1h)")
            }
            return value
        }
        func split2(_ text: String, _ separator: Character, _ usage: String) throws(TraceError) -> (
            Substring, Substring
        ) {
            let parts = text.split(separator: separator, maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw fail("expected \(usage)") }
            return (parts[0], parts[1])
        }
        switch kind {
        case "step", "spike", "ramp":
            let usage = ["step": "step:FROM:TO@T", "spike": "spike:BASE:PEAK@T+D", "ramp": "ramp:FROM:TO@T1-T2"][kind]!
            let (levels, when) = try split2(rest, "@", usage)
            let (first, second) = try split2(String(levels), ":", usage)
            let a = try number(first, kind == "spike" ? "BASE" : "FROM")
            let b = try number(second, kind == "spike" ? "PEAK" : "TO")
            switch kind {
            case "step":
                return .step(from: a, to: b, at: try duration(when, "T"))
            case "spike":
                let (start, length) = try split2(String(when), "+", usage)
                let d = try duration(length, "D")
                guard d > 0 else { throw fail("the spike's duration D must be above 0") }
                return .spike(base: a, peak: b, at: try duration(start, "T"), duration: d)
            default:
                let (start, end) = try split2(String(when), "-", usage)
                let t1 = try duration(start, "T1")
                let t2 = try duration(end, "T2")
                guard t2 > t1 else { throw fail("the ramp must end after it starts (T2 > T1)") }
                return .ramp(from: a, to: b, start: t1, end: t2)
            }
        default:
            let usage = "diurnal:LOW:HIGH/PERIOD"
            let (levels, period) = try split2(rest, "/", usage)
            let (low, high) = try split2(String(levels), ":", usage)
            let p = try duration(period, "PERIOD")
            guard p > 0 else { throw fail("the PERIOD must be above 0") }
            return .diurnal(low: try number(low, "LOW"), high: try number(high, "HIGH"), period: p)
        }
    }

    /// How long a built-in shape runs by default: 30 min past its last change (a diurnal shape: two periods);
    /// nil for a file (its last row decides).
    public var defaultDuration: Double? {
        switch self {
        case .file: return nil
        case .step(_, _, let at): return at + 1800
        case .spike(_, _, let at, let duration): return at + duration + 1800
        case .ramp(_, _, _, let end): return end + 1800
        case .diurnal(_, _, let period): return 2 * period
        }
    }

    public var description: String {
        switch self {
        case .file(let path): return path
        case .step(let from, let to, let at):
            return "a step from \(simulationFormat(from)) to \(simulationFormat(to)) at \(GoDuration.format(at))"
        case .spike(let base, let peak, let at, let duration):
            return
                "a spike from \(simulationFormat(base)) to \(simulationFormat(peak)) at \(GoDuration.format(at)) for \(GoDuration.format(duration))"
        case .ramp(let from, let to, let start, let end):
            return
                "a ramp from \(simulationFormat(from)) to \(simulationFormat(to)) between \(GoDuration.format(start)) and \(GoDuration.format(end))"
        case .diurnal(let low, let high, let period):
            return
                "a daily cycle between \(simulationFormat(low)) and \(simulationFormat(high)) over \(GoDuration.format(period))"
        }
    }

    /// Opens the trace; `bucketSeconds` is the width over which per-request rows are counted into a rate.
    public func open(bucketSeconds: Double) throws(TraceError) -> TraceStream {
        switch self {
        case .file(let path):
            return TraceStream(reader: .csv(try CSVTraceReader(path: path, bucketSeconds: bucketSeconds)))
        default: return TraceStream(reader: .shape(ShapeReader(shape: self)))
        }
    }
}

/// The schema a trace file was read in.
public enum TraceFormat: String, Sendable {
    case secondsLoad = "seconds,load"
    case azureLLM = "Azure LLM inference (one row per request)"
    case burstGPT = "BurstGPT (one row per request)"

    public var isPerRequest: Bool { self != .secondsLoad }
}

/// A forward-only stream of trace points, read lazily (a file is never held in memory).
public struct TraceStream {
    enum Reader {
        case csv(CSVTraceReader)
        case shape(ShapeReader)
    }

    var reader: Reader

    public var format: TraceFormat? {
        if case .csv(let csv) = reader { return csv.format }
        return nil
    }

    public var rows: Int {
        if case .csv(let csv) = reader { return csv.dataRows }
        return 0
    }

    /// How long the last point's load lasts within the trace: a per-request bucket's width, else 0.
    public var trailingSeconds: Double {
        if case .csv(let csv) = reader, csv.format.isPerRequest { return csv.bucketSeconds }
        return 0
    }

    public mutating func next() throws(TraceError) -> TracePoint? {
        switch reader {
        case .csv(let csv):
            return try csv.next()
        case .shape(var shape):
            let point = shape.next()
            reader = .shape(shape)
            return point
        }
    }
}

/// The built-in shapes, sampled lazily.
struct ShapeReader {
    let shape: TraceSource
    var index = 0

    mutating func next() -> TracePoint? {
        defer { index += 1 }
        switch shape {
        case .file: return nil
        case .step(let from, let to, let at):
            switch index {
            case 0: return TracePoint(time: 0, load: from)
            case 1: return at > 0 ? TracePoint(time: at, load: to) : TracePoint(time: 0, load: to)
            default: return nil
            }
        case .spike(let base, let peak, let at, let duration):
            switch index {
            case 0: return TracePoint(time: 0, load: base)
            case 1: return TracePoint(time: at, load: peak)
            case 2: return TracePoint(time: at + duration, load: base)
            default: return nil
            }
        case .ramp(let from, let to, let start, let end):
            // One point at 0, then one per second from T1 to T2 (the load of a second is its start's value).
            if index == 0 { return TracePoint(time: 0, load: from) }
            let time = start + Double(index - 1) * TraceSource.shapeResolution
            guard time <= end else { return nil }
            return TracePoint(time: time, load: from + (to - from) * (time - start) / (end - start))
        case .diurnal(let low, let high, let period):
            // Unbounded: the duration stops the run.
            let time = Double(index) * TraceSource.shapeResolution
            return TracePoint(time: time, load: low + (high - low) * (1 - cos(2 * Double.pi * time / period)) / 2)
        }
    }
}

/// A CSV trace read in 1 MiB chunks: `seconds,load` rows as they are, per-request rows counted per bucket.
final class CSVTraceReader {
    let path: String
    let bucketSeconds: Double
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private(set) var line = 0
    private(set) var dataRows = 0
    private(set) var format: TraceFormat = .secondsLoad
    private var secondsColumn = 0
    private var loadColumn = 1
    private var lastTime = -Double.infinity
    // Per-request state: the first request's time is t = 0; counts per bucket.
    private var origin: Double?
    private var bucketIndex = 0
    private var bucketCount = 0
    private var finished = false
    private var pending: [TracePoint] = []

    init(path: String, bucketSeconds: Double) throws(TraceError) {
        self.path = path
        self.bucketSeconds = bucketSeconds
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TraceError(file: path, message: "cannot open the trace file")
        }
        self.handle = handle
        try readHeader()
    }

    deinit { try? handle.close() }

    private func fail(_ message: String) -> TraceError { TraceError(file: path, line: line, message: message) }

    /// The next line's bytes (without the line break), nil at the end of the file.
    private func nextLine() throws(TraceError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let lineBytes = buffer[position..<end]
                position = newline + 1
                line += 1
                return lineBytes
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let lineBytes = buffer[position..<end]
                position = buffer.count
                line += 1
                return lineBytes
            }
            // Keep the unread tail, append the next chunk.
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw fail("cannot read the trace file: \(error.localizedDescription)")
            }
            if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { atEnd = true }
        }
    }

    private func readHeader() throws(TraceError) {
        var header: ArraySlice<UInt8>?
        while let candidate = try nextLine() {
            // Blank lines and `#` comments before the header are skipped.
            if candidate.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
                || candidate.first == UInt8(ascii: "#")
            {
                continue
            }
            header = candidate
            break
        }
        guard let header else {
            throw TraceError(file: path, message: "the trace is empty (no header row and no data)")
        }
        var bytes = Array(header)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let names = String(decoding: bytes, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    .lowercased()
            }
        if names.first == "timestamp" {
            format = names.contains("contexttokens") ? .azureLLM : .burstGPT
            secondsColumn = 0
        } else if let seconds = names.firstIndex(of: "seconds"), let load = names.firstIndex(of: "load") {
            format = .secondsLoad
            secondsColumn = seconds
            loadColumn = load
        } else {
            throw fail(
                "expected a header row `seconds,load` (or the Azure LLM `TIMESTAMP,ContextTokens,GeneratedTokens` or BurstGPT `Timestamp,...` schema), got `\(names.joined(separator: ","))`"
            )
        }
    }

    func next() throws(TraceError) -> TracePoint? {
        format == .secondsLoad ? try nextSecondsLoad() : try nextBucket()
    }

    /// Splits a line into the fields `wanted` asks for (by column), without building strings.
    private func field(_ line: ArraySlice<UInt8>, _ column: Int) -> ArraySlice<UInt8>? {
        var start = line.startIndex
        var index = 0
        var cursor = line.startIndex
        while cursor <= line.endIndex {
            if cursor == line.endIndex || line[cursor] == UInt8(ascii: ",") {
                if index == column { return trim(line[start..<cursor]) }
                index += 1
                start = cursor + 1
            }
            cursor += 1
        }
        return nil
    }

    private func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 || first == 0x22 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 || last == 0x22 { slice = slice.dropLast() }
        return slice
    }

    private func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 } || line.first == UInt8(ascii: "#")
    }

    private func nextSecondsLoad() throws(TraceError) -> TracePoint? {
        while let row = try nextLine() {
            if isBlank(row) { continue }
            guard let secondsField = field(row, secondsColumn), let loadField = field(row, loadColumn) else {
                throw fail(
                    "expected at least \(max(secondsColumn, loadColumn) + 1) columns (seconds,load), got `\(text(row))`"
                )
            }
            guard let seconds = parseNumber(secondsField) else {
                throw fail("seconds `\(text(secondsField))` is not a number")
            }
            guard let load = parseNumber(loadField) else { throw fail("load `\(text(loadField))` is not a number") }
            guard seconds >= 0 else { throw fail("seconds \(text(secondsField)) is negative") }
            guard load >= 0 else { throw fail("load \(text(loadField)) is negative") }
            guard seconds >= lastTime else {
                throw fail(
                    "time goes backwards: \(text(secondsField)) s after \(simulationFormat(lastTime)) s on an earlier row"
                )
            }
            lastTime = seconds
            dataRows += 1
            return TracePoint(time: seconds, load: load)
        }
        guard dataRows > 0 else {
            throw TraceError(file: path, message: "the trace is empty (a header row and no data)")
        }
        return nil
    }

    /// Per-request rows: counts requests per bucket and returns the buckets' rates (requests per second),
    /// empty buckets included.
    private func nextBucket() throws(TraceError) -> TracePoint? {
        if !pending.isEmpty { return pending.removeFirst() }
        while !finished {
            guard let row = try nextLine() else {
                finished = true
                guard dataRows > 0 else {
                    throw TraceError(file: path, message: "the trace is empty (a header row and no requests)")
                }
                return TracePoint(time: Double(bucketIndex) * bucketSeconds, load: Double(bucketCount) / bucketSeconds)
            }
            if isBlank(row) { continue }
            guard let stampField = field(row, 0), !stampField.isEmpty else {
                throw fail("no timestamp in `\(text(row))`")
            }
            guard let stamp = parseNumber(stampField) ?? parseDateTime(stampField) else {
                throw fail(
                    "timestamp `\(text(stampField))` is neither seconds nor a date-time (YYYY-MM-DD HH:MM:SS[.fraction])"
                )
            }
            guard stamp >= lastTime else {
                throw fail("time goes backwards: `\(text(stampField))` comes after a later request")
            }
            lastTime = stamp
            dataRows += 1
            let origin = self.origin ?? stamp
            self.origin = origin
            let bucket = Int((stamp - origin) / bucketSeconds)
            if bucket == bucketIndex {
                bucketCount += 1
                continue
            }
            // The current bucket is complete: return it, queue the empty ones up to the new request's.
            let done = TracePoint(time: Double(bucketIndex) * bucketSeconds, load: Double(bucketCount) / bucketSeconds)
            if bucket > bucketIndex + 1 {
                // One point is enough for a run of empty buckets: the load holds until the next point.
                pending.append(TracePoint(time: Double(bucketIndex + 1) * bucketSeconds, load: 0))
            }
            bucketIndex = bucket
            bucketCount = 1
            return done
        }
        return nil
    }

    private func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes.prefix(80), as: UTF8.self) }

    /// A decimal number (`12`, `-3.5`, `1e3`) without building a string for the common forms.
    private func parseNumber(_ bytes: ArraySlice<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        var value = 0.0
        var scale = 1.0
        var negative = false
        var sawDigit = false
        var sawDot = false
        var index = bytes.startIndex
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                sawDigit = true
                if sawDot {
                    scale /= 10
                    value += Double(byte - 0x30) * scale
                } else {
                    value = value * 10 + Double(byte - 0x30)
                }
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                // Rare: let the standard parser take the whole field.
                return Double(String(decoding: bytes, as: UTF8.self)).flatMap { $0.isFinite ? $0 : nil }
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        return negative ? -value : value
    }

    /// `YYYY-MM-DD HH:MM:SS[.fraction][Z|±HH:MM]` (or with `T`) as seconds since 1970, UTC.
    private func parseDateTime(_ bytes: ArraySlice<UInt8>) -> Double? {
        let b = Array(bytes)
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
            b[16] == UInt8(ascii: ":")
        else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard b[index] >= 0x30, b[index] <= 0x39 else { return nil }
                value = value * 10 + Int(b[index] - 0x30)
            }
            return value
        }
        guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10), let hour = digits(11..<13),
            let minute = digits(14..<16), let second = digits(17..<19), (1...12).contains(month),
            (1...31).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < b.count, b[index] >= 0x30, b[index] <= 0x39 {
                fraction += Double(b[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < b.count {
            if b[index] == UInt8(ascii: "Z") {
                index += 1
            } else if b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-"), b.count >= index + 6,
                let hours = digits(index + 1..<index + 3), let minutes = digits(index + 4..<index + 6)
            {
                offset = (hours * 3600 + minutes * 60) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
                index += 6
            } else {
                return nil
            }
        }
        guard index == b.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}

/// Go-style durations as `time.ParseDuration` reads them (`90s`, `15m`, `1h30m`, `500ms`), or plain seconds.
public enum GoDuration {
    public static func seconds(_ text: String) -> Double? {
        if let plain = Double(text) { return plain.isFinite && plain >= 0 ? plain : nil }
        let units: [(String, Double)] = [
            ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
        ]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) })
            else {
                return nil
            }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        return total
    }

    /// `1h30m`, `90s`, `2m30s`: the shortest exact form for whole seconds.
    public static func format(_ seconds: Double) -> String {
        guard seconds.rounded() == seconds, seconds >= 0, seconds < 1e9 else { return "\(simulationFormat(seconds))s" }
        var rest = Int(seconds)
        if rest == 0 { return "0s" }
        var text = ""
        if rest >= 3600 {
            text += "\(rest / 3600)h"
            rest %= 3600
        }
        if rest >= 60 {
            text += "\(rest / 60)m"
            rest %= 60
        }
        if rest > 0 { text += "\(rest)s" }
        return text
    }
}

/// A number as people write it: no trailing `.0`, at most 3 decimals.
func simulationFormat(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
