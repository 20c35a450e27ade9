import Engine
import Manifests

/// GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding, which the runner
/// turns into an annotation on the file and line, then the summary as a plain log line.
///
/// `::error file=deploy/hpa.yaml,line=7,col=3,title=[max-below-min]::maxReplicas (2) must be …`
///
/// Escaping follows the runner's workflow-command parser (actions/toolkit `command.ts`): in the message `%`, `\r`
/// and `\n` become `%25`, `%0D`, `%0A`; property values also escape `:` and `,` (`%3A`, `%2C`), which would
/// otherwise end the value.
public struct GitHubReporter: Reporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        var out = ""
        for finding in report.findings {
            // A cluster finding has no file to annotate: the runner shows it in the run's annotations list.
            var properties = finding.source == .cluster ? [] : [("file", finding.file)]
            if let position = finding.position {
                properties += [("line", String(position.line)), ("col", String(position.column))]
            }
            properties.append(("title", "[\(finding.rule)]"))
            let list = properties.map { "\($0)=\(Self.escapeProperty($1))" }.joined(separator: ",")
            out += "::\(Self.command(finding.severity)) \(list)::\(Self.escapeData(finding.messageWithSubject))\n"
        }
        out += "hpaguard: \(report.summaryLine)\n"
        return out
    }

    /// `info` has no command of its own; `notice` is GitHub's lowest annotation level.
    static func command(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "notice"
        }
    }

    static func escapeData(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
