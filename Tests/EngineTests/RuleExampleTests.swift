import Engine
import Testing
import TestSupport
import Manifests

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

    /// What the engine runs a rule as (the witnesses the protocols provide) is what the rule conforms to, several
    /// kinds at once too; and a rule that checks nothing never runs in the engine: only the rules whose findings a
    /// front end makes may be such.
    @Test func everyRuleRunsAsWhatItConformsToAndChecksSomethingUnlessAFrontEndMakesItsFindings() throws {
        let object = try #require(ManifestLoader.load(Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8), file: "c.yaml").objects.first)
        var checksNothing: Set<String> = []
        for rule in RuleRegistry.all {
            let instance = rule.init()
            #expect((instance.violations(ofObject: object) != nil) == (instance is any ObjectRule), "\(rule.description.id)")
            #expect(rule.readsMutationPlan == (instance is any ProfileRule), "\(rule.description.id)")
            #expect(rule.readsObjects == (instance is any ObjectRule), "\(rule.description.id)")
            #expect(rule.readsHPAs == (instance is any HPARule || instance is any ProfileRule), "\(rule.description.id)")
            #expect((instance.asLiveRule != nil) == (instance is any LiveRule), "\(rule.description.id)")
            if !(instance is any HPARule || instance is any ObjectRule || instance is any ProfileRule || instance is any LiveRule) {
                checksNothing.insert(rule.description.id)
            }
        }
        #expect(checksNothing == ["syntax-error", "duplicate-object", "fix-refused"])
    }
}

/// The same examples written as JSON (one object per file, as `kubectl get -o json` would give them) must give the
/// same findings at the same JSON pointers: the engine reads a tree, not a syntax.
@Suite("Rule examples as JSON")
struct RuleExampleJSONTests {
    @Test("every example gives the same findings when written as JSON", arguments: RuleExampleTests.ruleIDs)
    func examplesAsJSON(of id: String) throws {
        guard id != "syntax-error", id != "duplicate-key", id != "fix-refused" else { return }  // not expressible in JSON
        let rule = try #require(RuleRegistry.all.first { $0.description.id == id })
        // Live rules read status and events, which lint never gives them; RuleVerifier runs their examples as the
        // audit does, and AuditTests reads the same states as JSON from a stand-in API server.
        guard !(rule is any LiveRule.Type) else { return }
        let invalid = rule.description.invalidExamples.map { ($0, true) }
        for (example, isInvalid) in rule.description.validExamples.map({ ($0, false) }) + invalid {
            let (yaml, _) = RuleVerifier.stripMarkers(example.manifest)
            let objects = ManifestLoader.load(Array(yaml.utf8), file: "example.yaml").objects
            let jsonInputs = objects.enumerated().map { (name: "example-\($0.offset).json", bytes: Array($0.element.value.prettySerialized().utf8)) }
            let policy = try example.policy.map { try PolicyLoader.load(text: $0, file: "policy.yaml") } ?? PolicyLoader.defaultPolicy()
            let engine = Engine(policy: policy, kubeVersion: example.kubeVersion.flatMap(KubeVersion.init) ?? .newestStable)
            let fromYAML = Linter(engine: engine).lint([(name: "example.yaml", bytes: Array(yaml.utf8))]).findings
            let fromJSON = Linter(engine: engine).lint(jsonInputs).findings
            let expected = Set(fromYAML.filter { $0.rule == id }.map { "\($0.object?.displayName ?? "") \($0.path?.description ?? "")" })
            let actual = Set(fromJSON.filter { $0.rule == id }.map { "\($0.object?.displayName ?? "") \($0.path?.description ?? "")" })
            #expect(actual == expected, "\(id) example at \(example.line)")
            #expect(actual.isEmpty != isInvalid, "\(id) example at \(example.line): \(isInvalid ? "no finding" : "a finding") as JSON")
            #expect(fromJSON.filter { $0.rule == id }.allSatisfy { $0.position != nil })
        }
    }
}
