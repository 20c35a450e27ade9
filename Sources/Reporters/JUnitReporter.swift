import Engine
import Manifests

/// JUnit XML, laid out for the two viewers CI users look at: GitLab's merge-request test report widget and Jenkins'
/// JUnit plugin.
///
/// - One `<testsuite>` per file with findings, named after the file.
/// - One `<testcase>` per finding, named `[rule] Kind namespace/name (line:column)`: both viewers list test cases by
///   name, so every finding is its own line, and the name stays the same across runs while the finding does. The
///   `classname` is the file path without its extension, because Jenkins reads dots in a class name as package
///   separators (ESLint's JUnit formatter does the same); the `file` and `line` attributes are set for GitLab.
/// - Findings at the `--fail-on` severity or above (`error` by default) carry a `<failure>` whose `message` is the
///   finding and whose body adds the place, the JSON pointer and the rule's remediation: GitLab shows a failed case's
///   failure text, Jenkins shows it as the error details. So the report fails exactly when the exit status does. The
///   others pass, their text in `<system-out>`, so they are visible (Jenkins' test page) without failing it.
/// - A report without findings still has one passing case (`hpaguard` / `lint`), so the viewers show a passed
///   check rather than "no test results".
public struct JUnitReporter: Reporter {
    public let rules: [RuleDescription]
    /// The lowest severity that fails a case, as `--fail-on` sets it.
    public let failOn: Severity

    public init(rules: [RuleDescription] = RuleRegistry.all.map { $0.description }, failOn: Severity = .error) {
        self.rules = rules
        self.failOn = failOn
    }

    public func render(_ report: LintReport) -> String {
        let remediation = Dictionary(rules.map { ($0.id, $0.remediation) }, uniquingKeysWith: { first, _ in first })
        var suites: [(name: String, findings: [Finding])] = []
        for finding in report.findings {
            if suites.last?.name == finding.file {
                suites[suites.count - 1].findings.append(finding)
            } else {
                suites.append((finding.file, [finding]))
            }
        }
        let failures = report.findings.count { $0.severity >= failOn }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"hpaguard\" tests=\"\(max(report.findings.count, 1))\" failures=\"\(failures)\" errors=\"0\">\n"
        if suites.isEmpty {
            out += "  <testsuite name=\"hpaguard\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
            out += "    <testcase name=\"lint\" classname=\"hpaguard\">\n"
            out += "      <system-out>\(Self.escape(report.summaryLine, inAttribute: false))</system-out>\n"
            out += "    </testcase>\n"
            out += "  </testsuite>\n"
        }
        for suite in suites {
            let suiteFailures = suite.findings.count { $0.severity >= failOn }
            out += "  <testsuite name=\"\(Self.escape(suite.name))\" tests=\"\(suite.findings.count)\" "
                + "failures=\"\(suiteFailures)\" errors=\"0\" skipped=\"0\">\n"
            for finding in suite.findings {
                out += testCase(finding, remediation: remediation[finding.rule])
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    private func testCase(_ finding: Finding, remediation: String?) -> String {
        var name = "[\(finding.rule)] \(finding.object?.displayName ?? finding.file)"
        if let position = finding.position { name += " (\(position.line):\(position.column))" }
        var attributes = "name=\"\(Self.escape(name))\" classname=\"\(Self.escape(Self.className(finding.file)))\""
        if finding.source == .file { attributes += " file=\"\(Self.escape(finding.file))\"" }
        if let position = finding.position { attributes += " line=\"\(position.line)\"" }

        var details = "\(finding.place): \(finding.severity.rawValue) [\(finding.rule)] \(finding.messageWithSubject)"
        if let path = finding.path { details += "\nPath: \(path)" }
        if let remediation { details += "\nFix: \(remediation)" }

        var out = "    <testcase \(attributes)>\n"
        if finding.severity >= failOn {
            out += "      <failure message=\"\(Self.escape(finding.message))\" type=\"\(Self.escape(finding.rule))\">"
                + "\(Self.escape(details, inAttribute: false))</failure>\n"
        } else {
            out += "      <system-out>\(Self.escape(details, inAttribute: false))</system-out>\n"
        }
        out += "    </testcase>\n"
        return out
    }

    /// The path without its extension: `deploy/hpa.yaml` → `deploy/hpa` (see the type's comment).
    static func className(_ file: String) -> String {
        guard let dot = file.lastIndex(of: "."), !file[dot...].contains("/"), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// Escapes text for element content and attribute values alike (XML 1.0 §2.4, §3.3.3).
    ///
    /// `&`, `<`, `>` and both quotes become entities; a carriage return becomes a character reference (a parser
    /// would turn a literal one into a line feed), and so do tab and line feed in attributes, where attribute-value
    /// normalisation would turn them into spaces. Characters XML 1.0 forbids outright (other C0 controls, U+FFFE,
    /// U+FFFF), which hostile input can put into a message, become U+FFFD.
    static func escape(_ text: String, inAttribute: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += inAttribute ? "&#9;" : "\t"
            case "\n": out += inAttribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
