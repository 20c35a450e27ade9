import Engine
import Manifests

/// Turns a lint report into one output format. One small type per format.
public protocol Reporter: Sendable {
    func render(_ report: LintReport) -> String
    /// The rendered report as UTF-8, for writing out (a large tree's JSON report is tens of megabytes).
    func renderBytes(_ report: LintReport) -> [UInt8]
}

extension Reporter {
    public func renderBytes(_ report: LintReport) -> [UInt8] { Array(render(report).utf8) }
}

public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github

    /// `failOn`: the lowest severity that fails the run (`--fail-on`), for formats that mark failures (JUnit).
    public func reporter(colored: Bool, failOn: Severity = .error) -> any Reporter {
        switch self {
        case .text: return TextReporter(colored: colored)
        case .json: return JSONReporter()
        case .sarif: return SARIFReporter()
        case .junit: return JUnitReporter(failOn: failOn)
        case .github: return GitHubReporter()
        }
    }
}
