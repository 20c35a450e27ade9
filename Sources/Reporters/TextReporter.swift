import Engine
import Manifests

/// `file:line:column: severity [rule] message`, one finding a line, then a summary line.
public struct TextReporter: Reporter {
    public let colored: Bool

    public init(colored: Bool) { self.colored = colored }

    public func render(_ report: LintReport) -> String {
        var out = ""
        for finding in report.findings {
            out += "\(finding.place): \(paint(finding.severity)) [\(finding.rule)] \(finding.messageWithSubject)\n"
        }
        out += report.summaryLine + "\n"
        return out
    }

    private func paint(_ severity: Severity) -> String {
        guard colored else { return severity.rawValue }
        let code: String
        switch severity {
        case .error: code = "31;1"
        case .warning: code = "33;1"
        case .info: code = "36"
        }
        return "\u{1B}[\(code)m\(severity.rawValue)\u{1B}[0m"
    }
}
