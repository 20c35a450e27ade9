import Engine
import Foundation
import Testing
@testable import Manifests

/// Input written to hurt the loader: each case must end with a `syntax-error` finding that has a line and column
/// (or load cleanly), never a crash or a hang, and the documents around it must still be checked.
///
/// Only behaviour is asserted here; time and peak memory are measured by `bench/hostile_input.py`.
@Suite("Hostile input")
struct HostileInputTests {
    /// A valid HPA that breaks `max-below-min`: its finding shows that the documents after a broken one are read.
    static let sentinel = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: sentinel}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 5
          maxReplicas: 2

        """

    /// Loader and API-server findings only: these tests are about reading hostile bytes, and their HPAs have no
    /// target on purpose.
    static func lint(_ bytes: [UInt8], limits: LoaderLimits = .default) throws -> [Finding] {
        let linter = Linter(engine: Engine(policy: try PolicyLoader.defaultPolicy()), limits: limits)
        return linter.lint([(name: "hostile.yaml", bytes: bytes)]).findings.filter {
            guard let category = RuleRegistry.description(of: $0.rule)?.category else { return false }
            return category == .schema || category == .apiServer
        }
    }

    /// `prefix` + the hostile document + `---` + the sentinel: one syntax error (whose message contains
    /// `expected`), and the sentinel's finding at its own line.
    static func expectContained(
        _ hostile: [UInt8], message expected: String, at position: SourcePosition? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = Array((sentinel + "---\n").utf8)
        let after = Array(("---\n" + sentinel).utf8)
        let bytes = before + hostile + (hostile.last == 0x0A ? [] : [0x0A]) + after
        let findings = try lint(bytes)
        let syntax = findings.filter { $0.rule == "syntax-error" }
        #expect(syntax.count == 1, "one syntax error: \(findings)", sourceLocation: sourceLocation)
        if let finding = syntax.first {
            #expect(finding.message.contains(expected), "\(finding.message)", sourceLocation: sourceLocation)
            #expect(finding.position != nil, "a syntax error has a line and column", sourceLocation: sourceLocation)
            if let position {
                let shifted = SourcePosition(line: position.line + 8, column: position.column)  // the sentinel's 7 lines and ---
                #expect(finding.position == shifted, sourceLocation: sourceLocation)
            }
        }
        let sentinels = findings.filter { $0.rule == "max-below-min" }
        #expect(sentinels.count == 2, "the documents before and after are checked: \(findings)", sourceLocation: sourceLocation)
        let lines = sentinels.compactMap(\.position?.line)
        let newlines = (before + hostile).count { $0 == 0x0A } + (hostile.last == 0x0A ? 0 : 1)
        #expect(lines == [7, newlines + 1 + 7], "positions after the hostile document stay right", sourceLocation: sourceLocation)
    }

    // MARK: - Alias expansion

    @Test("a billion-laughs alias bomb (9 and 10 levels) stops at the node budget", arguments: [9, 10])
    func aliasBomb(levels: Int) throws {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n"
        text += "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<levels {
            text += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        try Self.expectContained(Array(text.utf8), message: "loader limit against alias bombs")
    }

    @Test("merge keys count their expansion too")
    func mergeKeyBomb() throws {
        var text = "a0: &a0 {k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9}\n"
        for level in 1..<8 {
            let items = (0..<10).map { "k\($0): *a\(level - 1)" }.joined(separator: ", ")
            text += "a\(level): &a\(level) {\(items)}\n"
        }
        text += "top: {<<: [*a7, *a7, *a7]}\n"
        try Self.expectContained(Array(text.utf8), message: "loader limit")
    }

    // MARK: - Depth

    @Test("20,000-deep flow nesting stops at the depth limit", arguments: ["[", "{a: "])
    func deepFlow(opening: String) throws {
        let closing = opening == "[" ? "]" : "}"
        let text = String(repeating: opening, count: 20_000) + "1" + String(repeating: closing, count: 20_000)
        let column = LoaderLimits.default.maxDepth * opening.count + 1
        try Self.expectContained(
            Array(text.utf8), message: "nesting deeper than \(LoaderLimits.default.maxDepth) levels (loader limit)",
            at: SourcePosition(line: 1, column: column))
    }

    @Test("20,000-deep block nesting stops at the depth limit")
    func deepBlock() throws {
        let text = String(repeating: "- ", count: 20_000) + "x"
        try Self.expectContained(
            Array(text.utf8), message: "nesting deeper than \(LoaderLimits.default.maxDepth) levels (loader limit)")
    }

    @Test("a deep block mapping stops at the depth limit")
    func deepBlockMapping() throws {
        let depth = LoaderLimits.default.maxDepth + 100
        let text = (0..<depth).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1"
        try Self.expectContained(Array(text.utf8), message: "loader limit")
    }

    // MARK: - Size

    @Test("a document over the limit is refused alone, at its first line; the stream around it is read")
    func oversizedDocument() throws {
        var bytes = Array(Self.sentinel.utf8) + Array("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n".utf8)
        let value = String(repeating: "v", count: 1_000)
        var key = 0
        while bytes.count < 2 << 20 {
            bytes += Array("  k\(key): \(value)\n".utf8)
            key += 1
        }
        let bigLines = bytes.count { $0 == 0x0A }
        bytes += Array(("---\n" + Self.sentinel).utf8)
        var limits = LoaderLimits.default
        limits.maxDocumentBytes = 1 << 20
        let findings = try Self.lint(bytes, limits: limits)
        #expect(findings.map(\.rule) == ["max-below-min", "syntax-error", "max-below-min"])
        #expect(findings[1].message.contains("loader limit per document") == true)
        #expect(findings[1].position == SourcePosition(line: 8, column: 1))  // its `---` line
        #expect(findings[2].position?.line == bigLines + 2 + 6)
        // At the default limit the same stream loads whole.
        #expect(try Self.lint(bytes).map(\.rule) == ["max-below-min", "max-below-min"])
    }

    @Test("a document at the size limit is read")
    func documentAtTheLimit() throws {
        var limits = LoaderLimits.default
        limits.maxDocumentBytes = Self.sentinel.utf8.count
        let findings = try Self.lint(Array(Self.sentinel.utf8), limits: limits)
        #expect(findings.map(\.rule) == ["max-below-min"])
        limits.maxDocumentBytes -= 1
        #expect(try Self.lint(Array(Self.sentinel.utf8), limits: limits).map(\.rule) == ["syntax-error"])
    }

    @Test("a single 10 MB scalar loads")
    func hugeScalar() throws {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: '" + String(repeating: "x", count: 10 << 20) + "'}"
        let bytes = Array((Self.sentinel + "---\n" + text + "\n---\n" + Self.sentinel).utf8)
        let findings = try Self.lint(bytes)
        #expect(findings.map(\.rule) == ["max-below-min", "max-below-min"])
        #expect(findings.map { $0.position?.line } == [7, 20])
    }

    @Test("a mapping with 200,000 keys loads (key lookups are not quadratic)")
    func wideMapping() throws {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n"
        for index in 0..<200_000 { text += "  k\(index): v\n" }
        text += "  k7: duplicate\n"
        let findings = try Self.lint(Array((text + "---\n" + Self.sentinel).utf8))
        #expect(findings.map(\.rule) == ["duplicate-key", "max-below-min"])
    }

    // MARK: - Numbers the engine computes with

    /// The findings of every rule (`lint` keeps the loader's and the API server's only).
    static func lintWithEveryRule(_ text: String) throws -> [Finding] {
        let linter = Linter(engine: Engine(policy: try PolicyLoader.defaultPolicy()))
        return linter.lint([(name: "hostile.yaml", bytes: Array(text.utf8))]).findings
    }

    static func hpa(annotations: String = "{}", metric: String) -> String {
        """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: llm, annotations: \(annotations)}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}
          minReplicas: 2
          maxReplicas: 4
          metrics: [{type: Pods, pods: {metric: {name: "\(metric)"}, target: {type: AverageValue, averageValue: "90"}}}]

        """
    }

    static func deployment(container: String) -> String {
        """
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: llm}
        spec:
          template:
            spec:
              containers:
                - {name: vllm, image: "vllm/vllm-openai:v0.6.0", \(container)}

        """
    }

    @Test(
        "a model load time past Int64 (annotation, startupProbe budget) caps the profile's scale-down window",
        arguments: [
            hpa(
                annotations: #"{hpaguard.io/profile: llm-inference, "#
                    + #"hpaguard.io/model-load-seconds: "9223372036854775807"}"#,
                metric: "vllm:num_requests_waiting"),
            hpa(metric: "vllm:num_requests_waiting")
                + deployment(container: "startupProbe: {failureThreshold: 4611686018427387904, periodSeconds: 10}"),
        ])
    func hugeModelLoadTime(text: String) throws {
        // The window is the load time times the profile's factor, capped at the API server's 3600 s: computed in
        // Int64, a load time that large overflowed it.
        let findings = try Self.lintWithEveryRule(text)
        let profile = try #require(findings.first { $0.rule == "scaling-profile" }, "\(findings)")
        #expect(profile.message.contains("scale-down waits 3600s"), "\(profile.message)")
        #expect(findings.contains { $0.rule == "scale-down-before-model-loads" })
    }

    @Test("an accelerator request past Int counts as the most there can be")
    func hugeAcceleratorRequest() throws {
        let resources = #"resources: {requests: {nvidia.com/gpu: "1e30"}, limits: {nvidia.com/gpu: "1e30"}}"#
        let text = Self.hpa(metric: "DCGM_FI_DEV_GPU_UTIL") + Self.deployment(container: resources)
        let findings = try Self.lintWithEveryRule(text)
        #expect(findings.contains { $0.rule == "gpu-utilization-metric" }, "\(findings)")
    }

    // MARK: - Encoding

    @Test("invalid UTF-8 is a syntax error at its own line and column")
    func invalidUTF8() throws {
        let hostile = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"caf".utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        try Self.expectContained(hostile, message: "invalid UTF-8", at: SourcePosition(line: 3, column: 22))
    }

    @Test("invalid UTF-8 far down a file does not hide the documents before it")
    func invalidUTF8AfterLongDocuments() throws {
        // libyaml decodes ahead in blocks; a bad byte beyond the first block must not break the first documents.
        let padding = (0..<2_000).map { "# comment line \($0) padding padding padding\n" }.joined()
        let hostile = Array((padding + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: ").utf8) + [0xFF] + [0x7D]
        try Self.expectContained(hostile, message: "byte 0xFF", at: SourcePosition(line: 2_004, column: 11))
    }

    @Test("a binary file is one syntax error, not a crash")
    func binaryFile() throws {
        var generator = SplitMix64(seed: 42)
        var bytes = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        bytes[100] = 0
        let findings = try Self.lint(bytes)
        #expect(findings.count >= 1)
        #expect(findings.allSatisfy { $0.rule == "syntax-error" && $0.position != nil })
    }

    @Test(
        "a control character, DEL or bad byte is found wherever it sits among plain bytes (the scan reads eight at a time)",
        arguments: [(UInt8(0x01), "control character U+0001"), (0x1B, "control character U+001B"),
                    (0x7F, "control character U+007F"), (0xFF, "byte 0xFF")], 0..<9)
    func unreadableByteAtEveryOffset(byte: (value: UInt8, message: String), offset: Int) throws {
        let prefix = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: \"" + String(repeating: "a", count: offset)
        let hostile = Array(prefix.utf8) + [byte.value] + Array("bcdefghijklmnop\"}\n".utf8)
        try Self.expectContained(hostile, message: byte.message, at: SourcePosition(line: 4, column: 12 + offset))
    }

    @Test("a NUL byte in a document is a syntax error there")
    func nulByte() throws {
        let hostile = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: \"a".utf8) + [0x00] + Array("\"}\n".utf8)
        try Self.expectContained(hostile, message: "control character U+0000", at: SourcePosition(line: 4, column: 13))
    }

    @Test("CRLF line endings and a byte order mark change no position")
    func lineEndingsAndBOM() throws {
        let plain = try Self.lint(Array((Self.sentinel + "---\n" + Self.sentinel).utf8))
        let crlf = try Self.lint(Array((Self.sentinel + "---\n" + Self.sentinel).replacing("\n", with: "\r\n").utf8))
        let bom = try Self.lint([0xEF, 0xBB, 0xBF] + Array((Self.sentinel + "---\n" + Self.sentinel).utf8))
        #expect(plain.map(\.position) == [SourcePosition(line: 7, column: 3), SourcePosition(line: 15, column: 3)])
        #expect(crlf.map(\.position) == plain.map(\.position))
        #expect(bom.map(\.position) == plain.map(\.position))
        #expect(crlf.map(\.message) == plain.map(\.message))
    }

    @Test("a byte order mark before an invalid byte on line 1 takes no column")
    func bomThenInvalid() throws {
        let findings = try Self.lint([0xEF, 0xBB, 0xBF] + Array("a: ".utf8) + [0xFF] + Array(("\n---\n" + Self.sentinel).utf8))
        #expect(findings.first?.position == SourcePosition(line: 1, column: 4))
        #expect(findings.map(\.rule) == ["syntax-error", "max-below-min"])
    }
}

/// A small deterministic generator, so the binary-file case is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
