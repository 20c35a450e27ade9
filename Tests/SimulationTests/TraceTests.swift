import Foundation
import Testing

@testable import Simulation

/// Every trace format, the built-in shapes, and the bad inputs (file, line, what was wrong).
@Suite struct TraceTests {
    /// Writes `text` to a temporary file and returns its path.
    static func file(_ text: String, name: String = "trace.csv") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hpaguard-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func points(_ source: TraceSource, bucket: Double = 15, limit: Int = 100) throws -> [TracePoint] {
        var stream = try source.open(bucketSeconds: bucket)
        var out: [TracePoint] = []
        while out.count < limit, let point = try stream.next() { out.append(point) }
        return out
    }

    @Test func secondsLoadCSVWithExtraColumns() throws {
        let path = try Self.file("seconds,load,comment\n0,10,start\n60,25.5,peak\r\n\n120,0,end\n")
        let points = try Self.points(.file(path))
        #expect(
            points == [TracePoint(time: 0, load: 10), TracePoint(time: 60, load: 25.5), TracePoint(time: 120, load: 0)])
    }

    @Test func columnsAreFoundByName() throws {
        let path = try Self.file("load,seconds\n3,0\n4,30\n")
        #expect(try Self.points(.file(path)) == [TracePoint(time: 0, load: 3), TracePoint(time: 30, load: 4)])
    }

    @Test func azureLLMTraceBecomesRequestsPerSecond() throws {
        let rows = [
            "TIMESTAMP,ContextTokens,GeneratedTokens",
            "2023-11-16 18:15:46.6805900,374,44",
            "2023-11-16 18:15:50.9951690,396,109",
            "2023-11-16 18:15:55.0000000,879,15",
            "2023-11-16 18:16:40.5000000,100,15",
        ]
        let path = try Self.file(rows.joined(separator: "\n") + "\n")
        let points = try Self.points(.file(path))
        // Three requests in the first 15 s (0, 4.3 and 8.3 s), none until the fourth at 53.8 s (bucket 3).
        #expect(
            points == [
                TracePoint(time: 0, load: 0.2), TracePoint(time: 15, load: 0), TracePoint(time: 45, load: 1.0 / 15),
            ])
        var stream = try TraceSource.file(path).open(bucketSeconds: 15)
        #expect(stream.format == .azureLLM)
        while try stream.next() != nil {}
        #expect(stream.rows == 4)
        #expect(stream.trailingSeconds == 15)
    }

    @Test func burstGPTTimestampsInSeconds() throws {
        let path = try Self.file(
            "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,472,18,490,Conversation log\n6,GPT-4,1000,200,1200,API log\n21,ChatGPT,1,1,2,Conversation log\n"
        )
        var stream = try TraceSource.file(path).open(bucketSeconds: 10)
        #expect(stream.format == .burstGPT)
        var points: [TracePoint] = []
        while let point = try stream.next() { points.append(point) }
        // Relative to the first request: 0 and 1 s in bucket 0, 16 s in bucket 1.
        #expect(points == [TracePoint(time: 0, load: 0.2), TracePoint(time: 10, load: 0.1)])
    }

    @Test func builtInShapes() throws {
        #expect(try TraceSource.parse("step:2:40@10m") == .step(from: 2, to: 40, at: 600))
        #expect(try TraceSource.parse("spike:2:40@600+30m") == .spike(base: 2, peak: 40, at: 600, duration: 1800))
        #expect(try TraceSource.parse("ramp:1:9@1m-5m") == .ramp(from: 1, to: 9, start: 60, end: 300))
        #expect(try TraceSource.parse("diurnal:1:9/24h") == .diurnal(low: 1, high: 9, period: 86400))
        #expect(try TraceSource.parse("traces/day.csv") == .file("traces/day.csv"))
        #expect(
            try Self.points(.spike(base: 2, peak: 40, at: 600, duration: 1800)) == [
                TracePoint(time: 0, load: 2), TracePoint(time: 600, load: 40), TracePoint(time: 2400, load: 2),
            ])
        let ramp = try Self.points(.ramp(from: 0, to: 10, start: 10, end: 20))
        #expect(ramp.first == TracePoint(time: 0, load: 0))
        #expect(ramp[1] == TracePoint(time: 10, load: 0))
        #expect(ramp.last == TracePoint(time: 20, load: 10))
        let diurnal = try Self.points(.diurnal(low: 2, high: 10, period: 100), limit: 101)
        #expect(diurnal[0].load == 2)
        #expect(abs(diurnal[50].load - 10) < 1e-9)
        #expect(TraceSource.step(from: 1, to: 2, at: 600).defaultDuration == 2400)
    }

    @Test(arguments: [
        ("step:2:40", "expected step:FROM:TO@T"),
        ("spike:2:x@1m+1m", "PEAK 'x' is not a number"),
        ("spike:2:-4@1m+1m", "negative"),
        ("ramp:1:2@5m-1m", "T2 > T1"),
        ("diurnal:1:2/0", "PERIOD must be above 0"),
        ("step:1:2@soon", "not a duration"),
    ])
    func badShapes(text: String, message: String) {
        #expect {
            _ = try TraceSource.parse(text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test(arguments: [
        ("seconds,load\n0,1\nzero,2\n", 3, "seconds `zero` is not a number"),
        ("seconds,load\n0,1\n10,\n", 3, "load `` is not a number"),
        ("seconds,load\n0,1\n30,2\n20,3\n", 4, "time goes backwards"),
        ("seconds,load\n0,1\n10,-2\n", 3, "negative"),
        ("seconds,load\n5\n", 2, "expected at least 2 columns"),
        ("time,value\n0,1\n", 1, "expected a header row"),
        (
            "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1,1\nyesterday,1,1\n", 3,
            "neither seconds nor a date-time"
        ),
        ("Timestamp,Model\n10,a\n9,b\n", 3, "time goes backwards"),
    ])
    func badRows(text: String, line: Int, message: String) throws {
        let path = try Self.file(text)
        #expect {
            _ = try Self.points(.file(path))
        } throws: { error in
            guard let error = error as? TraceError else { return false }
            return error.file == path && error.line == line && error.message.contains(message)
        }
    }

    @Test(arguments: ["", "\n\n", "seconds,load\n", "TIMESTAMP,ContextTokens,GeneratedTokens\n"])
    func emptyTraces(text: String) throws {
        let path = try Self.file(text)
        #expect {
            _ = try Self.points(.file(path))
        } throws: { error in
            "\(error)".contains("the trace is empty") && "\(error)".hasPrefix(path)
        }
    }

    @Test func missingFile() {
        #expect(throws: TraceError.self) { _ = try TraceSource.file("/nonexistent/trace.csv").open(bucketSeconds: 15) }
    }

    @Test func goDurations() {
        #expect(GoDuration.seconds("90s") == 90)
        #expect(GoDuration.seconds("15m") == 900)
        #expect(GoDuration.seconds("1h30m") == 5400)
        #expect(GoDuration.seconds("500ms") == 0.5)
        #expect(GoDuration.seconds("42") == 42)
        #expect(GoDuration.seconds("1d") == nil)
        #expect(GoDuration.seconds("") == nil)
        #expect(GoDuration.format(5400) == "1h30m")
        #expect(GoDuration.format(375) == "6m15s")
        #expect(GoDuration.format(0) == "0s")
    }

    /// A long per-request trace streams: points come out as buckets complete, not after reading everything.
    @Test func longPerRequestTraceStreams() throws {
        var text = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
        for second in 0..<3600 {
            text += "2024-05-10 00:\(String(format: "%02d:%02d", second / 60, second % 60)).000000,1,1\n"
        }
        let path = try Self.file(text)
        let points = try Self.points(.file(path), limit: 1000)
        #expect(points.count == 240)
        #expect(points.allSatisfy { abs($0.load - 1) < 1e-9 })
    }
}
