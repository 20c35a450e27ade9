import Engine
import Manifests

/// Turns a lint report into one output format. One small type per format.
public protocol Reporter: Sendable {
    func render(_ report: LintReport) -> String
}

public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github

    public func reporter(colored: Bool) -> any Reporter {
        switch self {
        case .text: return TextReporter(colored: colored)
        case .json: return JSONReporter()
        case .sarif: return SARIFReporter()
        case .junit: return JUnitReporter()
        case .github: return GitHubReporter()
        }
    }
}
