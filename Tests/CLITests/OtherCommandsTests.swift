import Engine
import Foundation
import Testing

@Suite("hpaguard rules, explain, --version")
struct OtherCommandsTests {
    @Test("rules --format json parses and lists every registered rule")
    func rulesJSON() throws {
        let result = try HPAGuardBinary.run(["rules", "--format", "json"])
        #expect(result.status == 0, "\(result)")
        let rules = try #require(try result.json()["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == RuleRegistry.all.map { $0.description.id })
        for rule in rules {
            #expect(["error", "warning", "info"].contains(rule["severity"] as? String ?? ""))
            #expect(!(rule["summary"] as? String ?? "").isEmpty)
        }
    }

    @Test("rules lists every rule as text")
    func rulesText() throws {
        let result = try HPAGuardBinary.run(["rules"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == RuleRegistry.all.count)
        for (line, rule) in zip(lines, RuleRegistry.all) { #expect(line.hasPrefix(rule.description.id + " ")) }
    }

    @Test("explain max-below-min prints the rationale, the remediation and the examples")
    func explain() throws {
        let result = try HPAGuardBinary.run(["explain", "max-below-min"])
        #expect(result.status == 0, "\(result)")
        let description = try #require(RuleRegistry.description(of: "max-below-min"))
        #expect(result.stdout.hasPrefix("max-below-min (error, api-server)\n"))
        #expect(result.stdout.contains("Why:\n    The API server rejects an HPA whose maxReplicas is below minReplicas"))
        #expect(result.stdout.contains("Fix:\n    " + description.remediation))
        #expect(result.stdout.contains("Passes:\n"))
        #expect(result.stdout.contains("Fails:\n"))
        for example in description.validExamples + description.invalidExamples {
            let shown = example.manifest.replacing("↓", with: "").split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            #expect(result.stdout.contains(shown), "every example is printed, without markers")
        }
        #expect(!result.stdout.contains("↓"))
    }

    @Test("explain of an unknown rule exits 2")
    func explainUnknown() throws {
        let result = try HPAGuardBinary.run(["explain", "no-such-rule"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("no-such-rule"))
        #expect(result.stdout.isEmpty)
    }

    @Test("--version prints the version and the default kube-version")
    func version() throws {
        let result = try HPAGuardBinary.run(["--version"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("hpaguard "))
        #expect(result.stdout.contains("1.36"))
        #expect(result.stdout.contains(KubeVersion.newestStable.description))
    }
}
