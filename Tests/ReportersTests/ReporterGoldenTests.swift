import Engine
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Manifests
import Reporters
import Testing

/// Every format's output for the same fixed reports, compared with `Snapshots/`. Re-record with
/// `HPAGUARD_RECORD=1 swift test --filter ReportersTests` and review the diff.
@Suite("Reporter golden files")
struct ReporterGoldenTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// A SARIF driver that does not change with releases, so the golden file does not either.
    static let tool = ToolIdentity(name: "hpaguard", version: "0.0.0-test", informationURI: "https://example.invalid/hpaguard")

    /// The rules these goldens were written for; findings of rules added later are left out, so adding a rule does
    /// not re-record every snapshot.
    static let rules: Set<String> = [
        "syntax-error", "duplicate-key", "unknown-field", "invalid-type", "removed-api-version", "max-below-min",
    ]

    static let manifest = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: "web&<co>", namespace: ml}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 5
          maxReplicas: 2
          "we%ird\\nfield": 1
        ---
        apiVersion: autoscaling/v2beta2
        kind: HorizontalPodAutoscaler
        metadata: {name: legacy}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          minReplicas: 2
          maxReplicas: "3"
        ---
        key: [unclosed

        """

    static let oddlyNamed = """
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: old}
        spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 3, maxReplicas: 1}

        """

    static func report(_ inputs: [(String, String)]) throws -> LintReport {
        let policy = try PolicyLoader.load(
            text: "rules:\n  unknown-field: warning\n  removed-api-version: info\n", file: "golden-policy.yaml")
        let linter = Linter(engine: Engine(policy: policy, kubeVersion: KubeVersion(major: 1, minor: 36)))
        var report = linter.lint(inputs.map { (name: $0.0, bytes: Array($0.1.utf8)) })
        report.findings = report.findings.filter { rules.contains($0.rule) }
        return report
    }

    static let findingsReport = Result { try report([
        ("deploy/ml/hpa.yaml", manifest), ("odd dir/a,b:c.yaml", oddlyNamed), ("<stdin>", oddlyNamed),
    ]) }

    static let cleanReport = Result { try report([("clean.yaml", "")]) }

    static func reporter(_ format: OutputFormat) -> any Reporter {
        switch format {
        case .sarif: return SARIFReporter(tool: tool)
        default: return format.reporter(colored: false)
        }
    }

    static func fileExtension(_ format: OutputFormat) -> String {
        switch format {
        case .text, .github: return "txt"
        case .json: return "json"
        case .sarif: return "sarif"
        case .junit: return "xml"
        }
    }

    @Test("findings in every format", arguments: OutputFormat.allCases)
    func findings(format: OutputFormat) throws {
        let report = try Self.findingsReport.get()
        try assertSnapshot(Self.reporter(format).render(report), named: "findings.\(format.rawValue).\(Self.fileExtension(format))")
    }

    @Test("a clean report in every format", arguments: OutputFormat.allCases)
    func clean(format: OutputFormat) throws {
        let report = try Self.cleanReport.get()
        #expect(report.findings.isEmpty)
        try assertSnapshot(Self.reporter(format).render(report), named: "clean.\(format.rawValue).\(Self.fileExtension(format))")
    }

    @Test("the JUnit output is well-formed XML with one test case per finding")
    func junitIsWellFormed() throws {
        let report = try Self.findingsReport.get()
        let document = try XMLDocument(data: Data(JUnitReporter().render(report).utf8))
        #expect(try document.nodes(forXPath: "//testcase").count == report.findings.count)
        #expect(try document.nodes(forXPath: "//testcase/failure").count == report.count(.error))
        let names = try document.nodes(forXPath: "//testsuite/@name").compactMap(\.stringValue)
        #expect(names == ["<stdin>", "deploy/ml/hpa.yaml", "odd dir/a,b:c.yaml"])
    }

    @Test("the fixed report has what the goldens are meant to show")
    func fixtureCoversTheCases() throws {
        let report = try Self.findingsReport.get()
        let rules = Set(report.findings.map(\.rule))
        #expect(rules.isSuperset(of: ["syntax-error", "duplicate-key", "unknown-field", "removed-api-version", "max-below-min"]))
        #expect(Set(report.findings.map(\.severity)) == [.error, .warning, .info])
        #expect(report.findings.contains { $0.message.contains("\n") && $0.message.contains("%") })
    }

    func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.snapshots.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["HPAGUARD_RECORD"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no snapshot \(name): record it with HPAGUARD_RECORD=1", sourceLocation: sourceLocation)
            return
        }
        guard actual != expected else { return }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = Array(zip(actualLines, expectedLines)).firstIndex { $0 != $1 } ?? min(actualLines.count, expectedLines.count)
        Issue.record(
            """
            \(name) differs from the snapshot at line \(first + 1) (re-record with HPAGUARD_RECORD=1 and review):
              expected: \(first < expectedLines.count ? String(expectedLines[first]) : "<end>")
              actual:   \(first < actualLines.count ? String(actualLines[first]) : "<end>")
            """, sourceLocation: sourceLocation)
    }
}
