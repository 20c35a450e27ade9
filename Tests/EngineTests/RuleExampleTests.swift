import Engine
import Testing
import TestSupport

@Suite("Rule examples")
struct RuleExampleTests {
    static let ruleIDs = RuleRegistry.all.map { $0.description.id }

    @Test("every example of every rule behaves as documented", arguments: ruleIDs)
    func examples(of id: String) throws {
        let rule = try #require(RuleRegistry.all.first { $0.description.id == id })
        for outcome in RuleVerifier.verify(rule) {
            for problem in outcome.problems {
                Issue.record(
                    Comment(rawValue: problem),
                    sourceLocation: SourceLocation(
                        fileID: "\(outcome.example.file)", filePath: "\(outcome.example.file)",
                        line: Int(outcome.example.line), column: 1))
            }
        }
    }

    @Test("every rule is described well enough to be explained", arguments: ruleIDs)
    func description(of id: String) throws {
        let description = try #require(RuleRegistry.description(of: id))
        #expect(id.wholeMatch(of: /[a-z][a-z0-9]*(-[a-z0-9]+)*/) != nil, "rule ids are kebab-case")
        #expect(!description.summary.isEmpty)
        #expect(description.rationale.count > 40, "the rationale says why")
        #expect(!description.remediation.isEmpty)
        #expect(!description.validExamples.isEmpty, "at least one example that passes")
        #expect(!description.invalidExamples.isEmpty, "at least one example that fails")
    }

    @Test func ruleIDsAreUnique() {
        #expect(Set(Self.ruleIDs).count == Self.ruleIDs.count)
    }
}
