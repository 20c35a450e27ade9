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
}
