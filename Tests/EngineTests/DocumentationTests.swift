import Engine
import Foundation
import Testing

/// The rule table of docs/lint.md and docs/rules.md are generated from the rules (scripts/gen-docs.sh); stale docs
/// fail. README.md stays what a new user reads first: the two commands on top, under 200 lines.
@Suite("Generated documentation")
struct DocumentationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let descriptions = RuleRegistry.all.map { $0.description }

    @Test func lintGuideRuleTableIsCurrent() throws {
        let guide = try String(contentsOf: Self.repository.appendingPathComponent("docs/lint.md"), encoding: .utf8)
        let begin = try #require(guide.range(of: "<!-- rules:begin -->\n"))
        let end = try #require(guide.range(of: "<!-- rules:end -->", range: begin.upperBound..<guide.endIndex))
        let table = String(guide[begin.upperBound..<end.lowerBound])
        #expect(table == RuleDocumentation.markdownTable(Self.descriptions), "run scripts/gen-docs.sh")
    }

    @Test func rulesReferenceIsCurrent() throws {
        let reference = try String(contentsOf: Self.repository.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(reference == RuleDocumentation.markdownReference(Self.descriptions), "run scripts/gen-docs.sh")
    }

    @Test func readmeStartsWithTheRunAndTestCommands() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let opening = readme.split(separator: "\n").prefix(5).joined(separator: "\n")
        #expect(opening.contains("swift run hpaguard lint testdata/examples"))
        #expect(opening.contains("scripts/test.sh"))
    }

    @Test func readmeStaysShort() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.utf8.count { $0 == UInt8(ascii: "\n") }
        #expect(lines < 200, "README.md has \(lines) lines: move the details to docs/")
    }
}
