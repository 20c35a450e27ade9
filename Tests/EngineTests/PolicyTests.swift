import Engine
import Manifests
import Testing
import TestSupport

/// What a user's policy file changes: severities, switches, parameters, exemptions, custom workload kinds; and the
/// errors a broken policy gets.
@Suite("Policy")
struct PolicyTests {
    static let hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: chat-canary, namespace: dev-alice}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: chat}
          minReplicas: 1
          maxReplicas: 4
        """

    static func rules(_ manifest: String = hpa, policy: String? = nil) throws -> [String: Severity] {
        var result: [String: Severity] = [:]
        for finding in try RuleVerifier.lint(manifest, policy: policy) { result[finding.rule] = finding.severity }
        return result
    }

    @Test func theDefaultPolicyWarnsBelowTheFloor() throws {
        #expect(try Self.rules()["min-replicas-floor"] == .warning)
    }

    @Test func aPolicyRaisesASeverity() throws {
        #expect(try Self.rules(policy: "rules: {min-replicas-floor: error}")["min-replicas-floor"] == .error)
        #expect(try Self.rules(policy: "rules: {min-replicas-floor: {severity: info}}")["min-replicas-floor"] == .info)
    }

    @Test func aPolicySwitchesARuleOff() throws {
        #expect(try Self.rules(policy: "rules: {min-replicas-floor: false}")["min-replicas-floor"] == nil)
        #expect(try Self.rules(policy: "rules: {min-replicas-floor: {enabled: false}}")["min-replicas-floor"] == nil)
    }

    @Test func aParameterChangesWhatARuleAccepts() throws {
        let two = "minReplicas: 2"
        let manifest = Self.hpa.replacing("minReplicas: 1", with: two)
        #expect(try Self.rules(manifest)["min-replicas-floor"] == nil)
        #expect(try Self.rules(manifest, policy: "rules: {min-replicas-floor: {parameters: {minimum: 3}}}")["min-replicas-floor"] == .warning)
    }

    @Test("exemptions by namespace pattern, name pattern and annotation", arguments: [
        "exemptions: [{namespaces: [\"dev-*\"], rules: [min-replicas-floor]}]",
        "exemptions: [{names: [\"*-canary\"], rules: [min-replicas-floor]}]",
        "exemptions: [{namespaces: [dev-alice], names: [chat-?anary], rules: [\"*\"]}]",
    ])
    func exemptions(policy: String) throws {
        #expect(try Self.rules(policy: policy)["min-replicas-floor"] == nil)
        #expect(try Self.rules(policy: policy)["target-not-found"] != nil || policy.contains("\"*\""))
    }

    @Test("a name pattern's ? is one character, outside ASCII too, and * any run", arguments: [
        ("chat-?", true), ("chat-??", false), ("*-ä", true), ("chat-a", false), ("chat-ä", true),
    ])
    func nonASCIIPatterns(pattern: String, exempt: Bool) throws {
        let manifest = Self.hpa.replacing("name: chat-canary", with: "name: chat-ä")
        let policy = "exemptions: [{names: [\"\(pattern)\"], rules: [min-replicas-floor]}]"
        #expect((try Self.rules(manifest, policy: policy)["min-replicas-floor"] == nil) == exempt)
    }

    @Test func anExemptionForAnotherNamespaceDoesNotApply() throws {
        let policy = "exemptions: [{namespaces: [prod], rules: [min-replicas-floor]}]"
        #expect(try Self.rules(policy: policy)["min-replicas-floor"] == .warning)
    }

    @Test func theIgnoreAnnotationLiftsTheRulesItNames() throws {
        let annotated = Self.hpa.replacing(
            "namespace: dev-alice}", with: "namespace: dev-alice, annotations: {hpaguard.io/ignore: \"min-replicas-floor, target-not-found\"}}")
        let found = try Self.rules(annotated)
        #expect(found["min-replicas-floor"] == nil)
        #expect(found["target-not-found"] == nil)
        let all = Self.hpa.replacing("namespace: dev-alice}", with: "namespace: dev-alice, annotations: {hpaguard.io/ignore: \"*\"}}")
        #expect(try Self.rules(all).isEmpty)
    }

    @Test func aCustomWorkloadKindIsResolved() throws {
        let manifest = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: ranker}
            spec:
              scaleTargetRef: {apiVersion: serving.example.com/v1, kind: ModelDeployment, name: ranker}
              minReplicas: 2
              maxReplicas: 4
            ---
            apiVersion: serving.example.com/v1
            kind: ModelDeployment
            metadata: {name: ranker}
            spec:
              podTemplate:
                spec:
                  containers: [{name: server, image: "example/ranker:1"}]
            """
        let policy = """
            workloadKinds:
            - {apiVersion: serving.example.com/v1, kind: ModelDeployment, podTemplatePaths: [/spec/podTemplate]}
            """
        // Unknown kind: hpaguard cannot see the pods and says so instead of guessing.
        #expect(try Self.rules(manifest)["target-kind-unsupported"] != nil)
        // Declared: the pods are read, and the container without a cpu request is an error.
        let found = try Self.rules(manifest, policy: policy)
        #expect(found["target-kind-unsupported"] == nil)
        #expect(found["target-missing-request"] == .error)
    }

    @Test("a broken policy is an error naming file, line and key", arguments: [
        ("rules:\n  no-such-rule: error\n", "policy.yaml:2:3", "rules.no-such-rule"),
        ("rules:\n  min-replicas-floor:\n    parameters:\n      minimum: lots\n", "policy.yaml:4:7", "rules.min-replicas-floor.parameters.minimum"),
        ("rules:\n  min-replicas-floor: {severity: fatal}\n", "policy.yaml:2:24", "rules.min-replicas-floor.severity"),
        ("exemption: []\n", "policy.yaml:1:1", "exemption"),
        ("profiles:\n  selectors:\n  - {profile: gpt-serving}\n", "policy.yaml:3:6", "profiles.selectors[0].profile"),
    ])
    func brokenPolicies(text: String, place: String, key: String) throws {
        do {
            _ = try PolicyLoader.load(text: text, file: "policy.yaml")
            Issue.record("accepted a broken policy: \(text)")
        } catch {
            #expect(error.description.hasPrefix(place), "\(error)")
            #expect(error.description.contains("'\(key)'"), "\(error)")
        }
    }
}
