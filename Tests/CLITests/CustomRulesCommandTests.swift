import Foundation
import Testing

/// Custom rules and ValidatingAdmissionPolicies through the built binary: what `lint`, `rules` and `explain` print,
/// and how a broken expression stops the run.
@Suite("custom rules in the CLI")
struct CustomRulesCommandTests {
    static let dir = "testdata/custom-rules/"

    @Test("the README's three custom rules and the cluster's VAP, linted together")
    func lintWithCustomRulesAndAVAP() async throws {
        let result = try await HPAGuardBinary.run([
            "lint", "--policy", Self.dir + "policy.yaml", "--vap", Self.dir + "vap", Self.dir + "hpas.yaml",
        ])
        #expect(result.status == 1, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let custom = lines.filter { $0.contains("[prod-min-replicas]") || $0.contains("[gpu-budget]") || $0.contains("[llm-scales-on-queue]") || $0.contains("[vap:") }
        #expect(custom == [
            "testdata/custom-rules/hpas.yaml:10:3: error [prod-min-replicas] minReplicas is 1, production needs 3 (HorizontalPodAutoscaler prod-llm/chat)",
            "testdata/custom-rules/hpas.yaml:11:3: error [gpu-budget] maxReplicas 4 x 8 GPUs per pod = 32 GPUs, above the budget of 16 (HorizontalPodAutoscaler prod-llm/chat)",
            "testdata/custom-rules/hpas.yaml:12:3: warning [llm-scales-on-queue] no metric on a queue, waiting requests or concurrency (HorizontalPodAutoscaler prod-llm/chat)",
            "testdata/custom-rules/hpas.yaml:75:1: error [vap:hpa-replica-cap] maxReplicas 8 is above the cluster cap of 6 (HorizontalPodAutoscaler prod-batch/embed-batch)",
        ], "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }

    @Test("a VAP among the inputs is linted like one given with --vap, and the JSON names the rule vap:NAME")
    func vapAmongTheInputs() async throws {
        let result = try await HPAGuardBinary.run(["lint", "--format", "json", Self.dir + "hpas.yaml", Self.dir + "vap"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains(#""rule":"vap:hpa-replica-cap","severity":"error","message":"maxReplicas 8 is above the cluster cap of 6""#), "\(result)")
    }

    @Test("an expression that does not type-check stops lint with exit 2, naming file, line, column and field")
    func brokenExpression() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        let policy = folder.appendingPathComponent("policy.yaml")
        try """
            customRules:
              - id: prod-min-replicas
                summary: Production HPAs keep three replicas
                validations:
                  - expression: "object.spec.minReplica >= 3"
            """.write(to: policy, atomically: true, encoding: .utf8)
        let result = try await HPAGuardBinary.run(["lint", "--policy", policy.path, Self.dir + "hpas.yaml"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            hpaguard: \(policy.path):5:33: invalid policy at 'customRules[0].validations[0].expression': undefined field \
            'minReplica' on type 'HorizontalPodAutoscalerSpec', in `object.spec.minReplica >= 3`

            """, "\(result)")
    }

    @Test("rules --policy lists the custom rules after the built-in ones; explain --policy prints one")
    func rulesAndExplain() async throws {
        let rules = try await HPAGuardBinary.run(["rules", "--policy", Self.dir + "policy.yaml"])
        #expect(rules.status == 0, "\(rules)")
        let last = rules.stdout.split(separator: "\n").suffix(3).map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(2).joined(separator: " ") }
        #expect(last == ["prod-min-replicas error", "gpu-budget error", "llm-scales-on-queue warning"], "\(rules)")

        let explain = try await HPAGuardBinary.run(["explain", "--policy", Self.dir + "policy.yaml", "gpu-budget"])
        #expect(explain.status == 0, "\(explain)")
        #expect(explain.stdout.hasPrefix("gpu-budget (error, custom)\nAt full scale an HPA asks for no more GPUs than the team's budget\n"), "\(explain)")
        #expect(explain.stdout.contains("Defined in: testdata/custom-rules/policy.yaml (customRules)"))
        #expect(explain.stdout.contains("object.spec.maxReplicas * variables.gpusPerPod <= variables.budget  (at spec.maxReplicas)"))

        let unknown = try await HPAGuardBinary.run(["explain", "gpu-budget"])
        #expect(unknown.status == 2, "without the policy the id is unknown: \(unknown)")
    }
}
