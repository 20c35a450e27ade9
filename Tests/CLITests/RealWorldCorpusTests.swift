import Foundation
import Testing

/// Every manifest of the shared real-world corpus (`../shared/corpus/real-world`, beside the repository in CI and
/// on developer machines) lints through the binary: no crash, exit 0 or 1, JSON that parses, and no syntax error,
/// since every file there parses with PyYAML.
private let realWorldCorpus = HPAGuardBinary.repositoryRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/corpus/real-world")

@Suite(
    "Real-world corpus",
    .enabled(
        if: FileManager.default.fileExists(atPath: realWorldCorpus.path),
        "skipped: the real-world corpus (../shared/corpus/real-world) is not beside this clone"))
struct RealWorldCorpusTests {
    static let folder = realWorldCorpus

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in [".yaml", ".yml", ".json"].contains { name.hasSuffix($0) } }.sorted()
    }()

    @Test("the corpus folder is there")
    func corpusIsPresent() {
        #expect(
            Self.files.count >= 40,
            "expected the real-world corpus at \(Self.folder.path) (shared/ beside the repository); found \(Self.files.count) files")
    }

    @Test("lints without a crash, exit 0 or 1, JSON that parses, no syntax error", arguments: files)
    func lints(file: String) async throws {
        let result = try await HPAGuardBinary.run(["lint", "--format", "json", Self.folder.appendingPathComponent(file).path])
        #expect(!result.signaled, "crashed: \(result)")
        #expect(result.status == 0 || result.status == 1, "\(result)")
        let json = try result.json()
        let findings = try #require(json["findings"] as? [[String: Any]])
        let syntax = findings.filter { $0["rule"] as? String == "syntax-error" }
        #expect(syntax.isEmpty, "PyYAML parses this file: \(syntax)")
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 1)
        #expect(result.status == ((summary["errors"] as? Int ?? 0) > 0 ? 1 : 0))
    }

    /// The findings of one corpus file, as (rule, line) pairs.
    static func findings(_ file: String, _ extra: [String] = []) async throws -> [(rule: String, line: Int?)] {
        let result = try await HPAGuardBinary.run(["lint", "--format", "json"] + extra + [folder.appendingPathComponent(file).path])
        let findings = try #require(try result.json()["findings"] as? [[String: Any]])
        return findings.map { ($0["rule"] as? String ?? "", $0["line"] as? Int) }
    }

    @Test("kube-no-trouble's v2beta1 and v2beta2 fixtures get removed-api-version at line 1", arguments: [
        "doitintl__kube-no-trouble__fixtures__hpa-v2beta1.yaml",
        "doitintl__kube-no-trouble__fixtures__autoscaler-v2beta1.yaml",
        "doitintl__kube-no-trouble__fixtures__autoscaler-v2beta2.yaml",
    ])
    func removedAPIVersions(file: String) async throws {
        try #require(Self.files.contains(file), "corpus file \(file) is missing")
        let removed = try await Self.findings(file).filter { $0.rule == "removed-api-version" }
        #expect(removed.map(\.line) == [1])
    }

    @Test("v2beta1 is still served by Kubernetes 1.24, so --kube-version 1.24 does not report it")
    func olderKubeVersion() async throws {
        let file = "doitintl__kube-no-trouble__fixtures__hpa-v2beta1.yaml"
        try #require(Self.files.contains(file), "corpus file \(file) is missing")
        #expect(try await Self.findings(file, ["--kube-version", "1.24"]).allSatisfy { $0.rule != "removed-api-version" })
    }

    @Test("Knative's activator HPA (still autoscaling/v2beta1) gets removed-api-version at its apiVersion line")
    func knativeActivator() async throws {
        let file = "knative__serving__config__core__deployments__activator-hpa.yaml"
        try #require(Self.files.contains(file), "corpus file \(file) is missing")
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        let apiVersionLine = try #require(
            text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("apiVersion: autoscaling/") })
        let removed = try await Self.findings(file).filter { $0.rule == "removed-api-version" }
        #expect(removed.map(\.line) == [apiVersionLine + 1])
    }

    @Test("Polaris' minReplicas == maxReplicas fixture is accepted without error")
    func polarisMinEqualsMax() async throws {
        let file = "FairwindsOps__polaris__test__checks__hpaMaxAvailability__failure.yaml"
        try #require(Self.files.contains(file), "corpus file \(file) is missing")
        let result = try await HPAGuardBinary.run(["lint", Self.folder.appendingPathComponent(file).path])
        #expect(result.status == 0, "\(result)")
    }

    @Test("the API round-trip fixture with maxReplicas below minReplicas gets max-below-min, in YAML and JSON", arguments: [
        "kubernetes__kubernetes__staging__src__k8s.io__api__testdata__HEAD__autoscaling.v1.HorizontalPodAutoscaler.yaml",
        "kubernetes__kubernetes__staging__src__k8s.io__api__testdata__HEAD__autoscaling.v1.HorizontalPodAutoscaler.json",
    ])
    func roundTripFixture(file: String) async throws {
        try #require(Self.files.contains(file), "corpus file \(file) is missing")
        #expect(try await Self.findings(file).contains { $0.rule == "max-below-min" })
    }

    @Test("the shipped custom rules and VAP over the whole folder: every HPA reviewed, no expression fails on it")
    func customRules() async throws {
        let result = try await HPAGuardBinary.run([
            "lint", "--format", "json", "--policy", "testdata/custom-rules/policy.yaml", "--vap", "testdata/custom-rules/vap",
            Self.folder.path,
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let findings = try #require(try result.json()["findings"] as? [[String: Any]])
        let failed = findings.filter { ($0["message"] as? String)?.contains("could not be evaluated") == true }
        #expect(failed.isEmpty, "\(failed)")
        // The replica cap of 6 holds for few real HPAs: the VAP reaches HPAs of every version in the corpus.
        let capped = findings.filter { $0["rule"] as? String == "vap:hpa-replica-cap" }
        #expect(capped.count >= 20, "\(capped.count)")
    }

    @Test("the whole folder in one run: every file counted, exit 1 for the errors in it")
    func wholeFolder() async throws {
        let result = try await HPAGuardBinary.run(["lint", "--format", "json", Self.folder.path])
        #expect(result.status == 1, "\(result.stderr)")
        let summary = try #require(try result.json()["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == Self.files.count)
    }
}
