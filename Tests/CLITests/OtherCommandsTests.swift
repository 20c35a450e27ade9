import Engine
import Foundation
import Manifests
import Testing

@Suite("hpaguard rules, explain, --version")
struct OtherCommandsTests {
    @Test("rules --format json parses and lists every registered rule")
    func rulesJSON() async throws {
        let result = try await HPAGuardBinary.run(["rules", "--format", "json"])
        #expect(result.status == 0, "\(result)")
        let rules = try #require(try result.json()["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == RuleRegistry.all.map { $0.description.id })
        for rule in rules {
            #expect(["error", "warning", "info"].contains(rule["severity"] as? String ?? ""))
            #expect(!(rule["summary"] as? String ?? "").isEmpty)
        }
    }

    @Test("rules lists every rule as text")
    func rulesText() async throws {
        let result = try await HPAGuardBinary.run(["rules"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == RuleRegistry.all.count)
        for (line, rule) in zip(lines, RuleRegistry.all) { #expect(line.hasPrefix(rule.description.id + " ")) }
    }

    @Test("explain max-below-min prints the rationale, the remediation and the examples")
    func explain() async throws {
        let result = try await HPAGuardBinary.run(["explain", "max-below-min"])
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
    func explainUnknown() async throws {
        let result = try await HPAGuardBinary.run(["explain", "no-such-rule"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("no-such-rule"))
        #expect(result.stdout.isEmpty)
    }

    @Test("--version prints the version and the default kube-version")
    func version() async throws {
        let result = try await HPAGuardBinary.run(["--version"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("hpaguard "))
        #expect(result.stdout.contains("1.36"))
        #expect(result.stdout.contains(KubeVersion.newestStable.description))
    }

    @Test("profiles lists every profile in force with the behavior mutate attaches for that load time")
    func profilesAgreeWithMutate() async throws {
        let listed = try await HPAGuardBinary.run(["profiles", "--model-load-seconds", "360", "--format", "json"])
        #expect(listed.status == 0, "\(listed)")
        let profiles = try #require(try listed.json()["profiles"] as? [[String: Any]])
        #expect(profiles.compactMap { $0["name"] as? String } == ["batch-inference", "llm-inference", "realtime-inference"])
        let llm = try #require(profiles.first { $0["name"] as? String == "llm-inference" })
        #expect(llm["modelLoadSeconds"] as? Int == 360)

        // The example's vLLM Deployment has a startupProbe budget of 360 s.
        let example = HPAGuardBinary.repositoryRoot.appendingPathComponent("testdata/profiles/llm-vllm-detected/before.yaml")
        let mutated = try await HPAGuardBinary.run(["mutate", example.path])
        #expect(mutated.status == 0, "\(mutated)")
        let hpa = try #require(ManifestLoader.load(Array(mutated.stdout.utf8), file: "mutated").objects.first { $0.kind == "HorizontalPodAutoscaler" })
        let attached = try #require(hpa.value["spec"]?["behavior"])
        let attachedJSON = try JSONSerialization.jsonObject(with: Data(attached.serialized().utf8)) as? NSDictionary
        #expect(attachedJSON == llm["behavior"] as? NSDictionary)

        let text = try await HPAGuardBinary.run(["profiles"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("llm-inference: "))
        #expect(text.stdout.contains("model load time: "))
        #expect(try await HPAGuardBinary.run(["profiles", "--model-load-seconds", "0"]).status == 2)
    }

    @Test("profiles shows a policy's own profile definitions beside the built-in ones")
    func profilesWithPolicy() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let policy = folder.appendingPathComponent("policy.yaml")
        try """
            profiles:
              definitions:
                - name: embeddings
                  summary: Embedding servers
                  modelLoadSeconds: 20
                  scaleDown: {windowFactor: 3, minWindowSeconds: 120}
                  scaleUp: {podsPerPeriod: 6, minPeriodSeconds: 15}
            """.write(to: policy, atomically: true, encoding: .utf8)
        let result = try await HPAGuardBinary.run(["profiles", "--policy", policy.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("embeddings: Embedding servers\n  detected from: nothing"))
        #expect(result.stdout.contains("  model load time: 20 s (the profile's default)"))
        #expect(result.stdout.contains("  scaleUp: stabilization window 0 s; 6 pods per 15 s"))
    }
}
