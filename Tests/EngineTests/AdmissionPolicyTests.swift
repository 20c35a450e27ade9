import Engine
import Manifests
import Testing
import TestSupport

/// ValidatingAdmissionPolicies among the linted objects: which HPAs they select, with which parameters, at which
/// severity, and what they say when they cannot be evaluated offline.
@Suite("ValidatingAdmissionPolicy offline")
struct AdmissionPolicyTests {
    static let hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: llm, namespace: serving, labels: {team: ml}}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}
          minReplicas: 2
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}

        """

    static func policy(
        validations: String = """
                - expression: "object.spec.maxReplicas <= int(params.data.maxReplicas)"
                  messageExpression: "'maxReplicas ' + string(object.spec.maxReplicas) + ' is above the cap of ' + params.data.maxReplicas"
            """,
        constraints: String = """
                resourceRules:
                  - {apiGroups: [autoscaling], apiVersions: ["*"], operations: [CREATE, UPDATE], resources: [horizontalpodautoscalers]}
            """,
        paramKind: String = "paramKind: {apiVersion: v1, kind: ConfigMap}"
    ) -> String {
        """
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: hpa-max-cap}
        spec:
          failurePolicy: Fail
          \(paramKind)
          matchConstraints:
        \(constraints)
          validations:
        \(validations)

        """
    }

    static func binding(actions: String = "[Deny]", paramRef: String = "paramRef: {name: hpa-limits, namespace: platform, parameterNotFoundAction: Deny}", extra: String = "") -> String {
        """
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: hpa-max-cap-binding}
        spec:
          policyName: hpa-max-cap
          validationActions: \(actions)
          \(paramRef)
        \(extra)

        """
    }

    static let params = """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: hpa-limits, namespace: platform}
        data: {maxReplicas: "8"}

        """

    static func findings(_ manifest: String) throws -> [Finding] {
        try RuleVerifier.lint(manifest).filter { $0.rule.hasPrefix("vap:") }
    }

    @Test func aDenyBindingWithItsParamsMakesAnErrorOnTheHPA() throws {
        let findings = try Self.findings(Self.hpa + Self.policy() + Self.binding() + Self.params)
        #expect(findings.map(\.rule) == ["vap:hpa-max-cap"])
        #expect(findings.first?.severity == .error)
        #expect(findings.first?.message == "maxReplicas 10 is above the cap of 8")
        #expect(findings.first?.file == "example.yaml")
        #expect(findings.first?.object?.name == "llm")
    }

    @Test("validationActions give the severity", arguments: [("[Warn]", Severity.warning), ("[Audit]", .info), ("[Warn, Deny]", .error)])
    func severity(actions: String, expected: Severity) throws {
        let findings = try Self.findings(Self.hpa + Self.policy() + Self.binding(actions: actions) + Self.params)
        #expect(findings.map(\.severity) == [expected])
    }

    @Test func anHPAWithinTheCapPasses() throws {
        let within = Self.params.replacing("\"8\"", with: "\"10\"")
        #expect(try Self.findings(Self.hpa + Self.policy() + Self.binding() + within).isEmpty)
    }

    @Test("a policy that does not select HPAs, or a binding that narrows it away, does not apply", arguments: [
        policy(constraints: "    resourceRules:\n      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}") + binding(),
        policy(constraints: "    resourceRules:\n      - {apiGroups: [autoscaling], apiVersions: [\"*\"], operations: [DELETE], resources: [horizontalpodautoscalers]}") + binding(),
        policy(constraints: "    resourceRules:\n      - {apiGroups: [\"*\"], apiVersions: [\"*\"], operations: [\"*\"], resources: [\"*\"]}\n    excludeResourceRules:\n      - {apiGroups: [autoscaling], apiVersions: [\"*\"], operations: [\"*\"], resources: [horizontalpodautoscalers], resourceNames: [llm]}") + binding(),
        policy() + binding(extra: "  matchResources: {objectSelector: {matchLabels: {team: search}}}"),
        policy() + binding(extra: "  matchResources: {objectSelector: {matchExpressions: [{key: team, operator: NotIn, values: [ml]}]}}"),
    ])
    func notSelected(policyAndBinding: String) throws {
        let findings = try Self.findings(Self.hpa + policyAndBinding + Self.params)
        let onTheHPA = findings.filter { $0.object?.kind == "HorizontalPodAutoscaler" }
        #expect(onTheHPA.isEmpty)
    }

    @Test func wildcardsSelectHPAs() throws {
        let policy = Self.policy(constraints: "    resourceRules:\n      - {apiGroups: [\"*\"], apiVersions: [\"*\"], operations: [\"*\"], resources: [\"*\"]}")
        #expect(try Self.findings(Self.hpa + policy + Self.binding() + Self.params).map(\.severity) == [.error])
    }

    @Test func aMissingParameterIsSaidNotPassedSilently() throws {
        let findings = try Self.findings(Self.hpa + Self.policy() + Self.binding())
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .info)
        #expect(findings.first?.object?.kind == "ValidatingAdmissionPolicyBinding")
        #expect(findings.first?.message.contains("is not among the inputs") == true)
        #expect(findings.first?.message.contains("parameterNotFoundAction Deny") == true)
    }

    @Test func aNamespacedParameterWithoutANamespaceIsTheOneInTheHPAsNamespace() throws {
        let binding = Self.binding(paramRef: "paramRef: {name: hpa-limits, parameterNotFoundAction: Deny}")
        let inServing = Self.params.replacing("namespace: platform", with: "namespace: serving")
        #expect(try Self.findings(Self.hpa + Self.policy() + binding + inServing).map(\.severity) == [.error])
        // Only a parameter in another namespace: the binding selects nothing for this HPA.
        let elsewhere = try Self.findings(Self.hpa + Self.policy() + binding + Self.params).filter { $0.object?.name == "llm" }
        #expect(elsewhere.isEmpty)
    }

    @Test func anUnboundPolicyValidatesNothingAndSaysSo() throws {
        let findings = try Self.findings(Self.hpa + Self.policy() + Self.params)
        #expect(findings.map(\.severity) == [.info])
        #expect(findings.first?.message.contains("not bound") == true)
    }

    @Test func theAuthorizerCannotBeAskedOfflineAndTheFindingSaysWhatWasNotChecked() throws {
        let validations = """
                - expression: "object.spec.maxReplicas <= int(params.data.maxReplicas)"
                - expression: "authorizer.group('').resource('pods').check('create').allowed()"
            """
        let findings = try Self.findings(Self.hpa + Self.policy(validations: validations) + Self.binding() + Self.params)
        #expect(findings.map(\.severity).sorted() == [.info, .error].sorted())
        #expect(findings.contains { $0.severity == .info && $0.message.contains("validations[1] needs the cluster's authorizer") })
        #expect(findings.contains { $0.severity == .error && $0.message == "failed expression: object.spec.maxReplicas <= int(params.data.maxReplicas)" })
    }

    @Test func aNamespaceSelectorCannotBeEvaluatedWithoutTheNamespaceAndSaysSo() throws {
        let constraints = """
                resourceRules:
                  - {apiGroups: [autoscaling], apiVersions: ["*"], operations: [CREATE, UPDATE], resources: [horizontalpodautoscalers]}
                namespaceSelector: {matchLabels: {env: prod}}
            """
        let findings = try Self.findings(Self.hpa + Self.policy(constraints: constraints) + Self.binding() + Self.params)
        #expect(findings.contains { $0.severity == .info && $0.message.contains("namespaceSelector") })
        #expect(findings.contains { $0.severity == .error })
    }

    @Test func anExpressionThatDoesNotCompileIsAnErrorAtItsPlaceInThePolicy() throws {
        let validations = """
                - expression: "object.spec.maxReplica <= 3"
            """
        let manifest = Self.hpa + Self.policy(validations: validations, paramKind: "") + Self.binding(paramRef: "")
        let findings = try Self.findings(manifest)
        let error = try #require(findings.first { $0.severity == .error })
        #expect(error.object?.kind == "ValidatingAdmissionPolicy")
        #expect(error.message.contains("undefined field 'maxReplica'"))
        let policyLine = manifest.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("object.spec.maxReplica <=") }.map { $0 + 1 }
        // `    - expression: "object.spec.maxReplica`: the quote at column 19, the `.` of the select 12 further on.
        let expected = SourcePosition(line: try #require(policyLine), column: 31)
        #expect(error.position == expected)
    }

    @Test func aPolicyWithoutParamsNeedsNoParamRef() throws {
        let validations = """
                - expression: "object.spec.minReplicas >= 3"
                  message: production HPAs keep three replicas
            """
        let findings = try Self.findings(Self.hpa + Self.policy(validations: validations, paramKind: "") + Self.binding(paramRef: ""))
        #expect(findings.map(\.message) == ["production HPAs keep three replicas"])
    }
}
