import Engine
import Foundation
import Manifests
import Testing
@testable import Reporters

/// The escaping rules each format's consumer applies, checked on the characters that break them.
@Suite("Reporter escaping")
struct ReporterEscapingTests {
    static func report(message: String, file: String = "a.yaml", severity: Severity = .error) -> LintReport {
        LintReport(
            findings: [Finding(
                rule: "max-below-min", severity: severity, message: message, file: file,
                position: SourcePosition(line: 3, column: 7))],
            files: 1, objects: 0)
    }

    @Test("GitHub: % CR LF in the message, and , : too in properties (workflow commands)")
    func github() {
        let output = GitHubReporter().render(Self.report(message: "100% done\r\nnext: a,b", file: "dir,x/a:b%.yaml"))
        #expect(output.hasPrefix(
            "::error file=dir%2Cx/a%3Ab%25.yaml,line=3,col=7,title=[max-below-min]::100%25 done%0D%0Anext: a,b\n"))
        #expect(GitHubReporter.escapeProperty("::") == "%3A%3A")
    }

    @Test("GitHub: info is a notice, warning a warning", arguments: [(Severity.info, "notice"), (.warning, "warning"), (.error, "error")])
    func githubLevels(severity: Severity, command: String) {
        #expect(GitHubReporter().render(Self.report(message: "m", severity: severity)).hasPrefix("::\(command) "))
    }

    @Test("GitHub: a finding without a position names only the file")
    func githubWithoutPosition() {
        let report = LintReport(
            findings: [Finding(rule: "syntax-error", severity: .error, message: "too big", file: "big.yaml")], files: 1, objects: 0)
        #expect(GitHubReporter().render(report).hasPrefix("::error file=big.yaml,title=[syntax-error]::too big\n"))
    }

    @Test("JUnit: markup, quotes, control characters and newlines")
    func junit() throws {
        #expect(JUnitReporter.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;")
        #expect(JUnitReporter.escape("x\u{0}y\u{1B}z\u{FFFE}") == "x\u{FFFD}y\u{FFFD}z\u{FFFD}")
        #expect(JUnitReporter.escape("l1\nl2\r\tx") == "l1&#10;l2&#13;&#9;x")
        #expect(JUnitReporter.escape("l1\nl2\r\tx", inAttribute: false) == "l1\nl2&#13;\tx")
        #expect(JUnitReporter.escape("]]>") == "]]&gt;")
        let output = JUnitReporter().render(Self.report(message: "bad \u{0} <byte> & \"quote\"\nsecond line"))
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(output.contains("message=\"bad \u{FFFD} &lt;byte&gt; &amp; &quot;quote&quot;&#10;second line\""))
    }

    @Test("JUnit class names drop the extension so Jenkins does not split the file name", arguments: [
        ("deploy/hpa.yaml", "deploy/hpa"), ("a.b/c", "a.b/c"), ("<stdin>", "<stdin>"), (".hidden", ".hidden"),
        ("x.tar.yaml", "x.tar"),
    ])
    func junitClassName(file: String, expected: String) {
        #expect(JUnitReporter.className(file) == expected)
    }

    @Test("SARIF: paths become URI references", arguments: [
        ("deploy/hpa.yaml", "deploy/hpa.yaml"), ("my dir/hpa 1.yaml", "my%20dir/hpa%201.yaml"),
        ("<stdin>", "%3Cstdin%3E"), ("/abs/x.yaml", "file:///abs/x.yaml"), ("c:x.yaml", "./c:x.yaml"),
        ("100%.yaml", "100%25.yaml"), ("café.yaml", "caf%C3%A9.yaml"), ("a#b?.yaml", "a%23b%3F.yaml"),
    ])
    func sarifURI(path: String, expected: String) {
        #expect(SARIFReporter.uri(forPath: path) == expected)
    }

    @Test("SARIF: info is a note")
    func sarifLevels() {
        #expect(SARIFReporter.level(.info) == "note")
        #expect(SARIFReporter.level(.warning) == "warning")
        #expect(SARIFReporter.level(.error) == "error")
    }

    @Test("the text reporter colours severities only when asked")
    func textColour() {
        let report = Self.report(message: "m")
        #expect(TextReporter(colored: false).render(report).hasPrefix("a.yaml:3:7: error [max-below-min] m\n"))
        #expect(TextReporter(colored: true).render(report).hasPrefix("a.yaml:3:7: \u{1B}[31;1merror\u{1B}[0m [max-below-min] m\n"))
    }
}
