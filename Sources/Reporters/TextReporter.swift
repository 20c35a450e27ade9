import Engine
import Manifests

/// `file:line:column: severity [rule] message`, one finding a line, then a summary line.
public struct TextReporter: Reporter {
    public let colored: Bool

    public init(colored: Bool) { self.colored = colored }

    public func render(_ report: LintReport) -> String {
        var out = ""
        for finding in report.findings {
            let place = finding.position.map { "\(finding.file):\($0.line):\($0.column)" } ?? finding.file
            var subject = ""
            if let object = finding.object { subject = " (\(object.displayName))" }
            out += "\(place): \(paint(finding.severity)) [\(finding.rule)] \(finding.message)\(subject)\n"
        }
        out += summary(report) + "\n"
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

    private func summary(_ report: LintReport) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(report.count(.error), "error")), \(plural(report.count(.warning), "warning")), "
            + "\(plural(report.count(.info), "info")) in \(plural(report.files, "file")) (\(plural(report.objects, "object")))"
    }
}
