import Engine
import Foundation
import Testing

/// README.md's rule table and docs/rules.md are generated from the rules (scripts/gen-docs.sh); stale docs fail.
@Suite("Generated documentation")
struct DocumentationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let descriptions = RuleRegistry.all.map { $0.description }

    @Test func readmeRuleTableIsCurrent() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- rules:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- rules:end -->", range: begin.upperBound..<readme.endIndex))
        let table = String(readme[begin.upperBound..<end.lowerBound])
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
}
