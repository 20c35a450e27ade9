import Engine
import Foundation
import Testing
@testable import Manifests

@Suite("Embedded policies")
struct EmbeddedPoliciesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the binary embeds policies/default.yaml as it is (run scripts/embed-policies.sh)")
    func defaultPolicyIsCurrent() throws {
        let onDisk = try String(contentsOf: Self.root.appendingPathComponent("policies/default.yaml"), encoding: .utf8)
        #expect(EmbeddedPolicies.defaultPolicy == onDisk.trimmingCharacters(in: .newlines))
    }

    @Test("the default policy names every rule, so it documents every knob")
    func defaultPolicyNamesEveryRule() throws {
        let loaded = ManifestLoader.load(Array(EmbeddedPolicies.defaultPolicy.utf8), file: "default.yaml")
        #expect(loaded.problems.isEmpty)
        let documents = YAMLEventReader(limits: .default, recordPositions: false).read(Array(EmbeddedPolicies.defaultPolicy.utf8))
        let named = Set(documents.first?.root?["rules"]?.objectValue?.keys ?? [])
        let registered = Set(RuleRegistry.all.map { $0.description.id })
        #expect(registered.subtracting(named).isEmpty, "rules missing from policies/default.yaml")
        _ = try PolicyLoader.defaultPolicy()
    }

    @Test("each rule's severity in the default policy is the one its description (hpaguard rules, docs) shows")
    func severitiesAgree() throws {
        let policy = try PolicyLoader.defaultPolicy()
        for rule in RuleRegistry.all {
            let description = rule.description
            #expect(
                policy.settings(for: description.id)?.severity == description.defaultSeverity,
                "\(description.id): policies/default.yaml and the rule's description disagree")
        }
    }
}
