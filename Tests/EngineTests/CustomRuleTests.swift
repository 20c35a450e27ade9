import Engine
import Manifests
import Testing
import TestSupport

/// Custom rules in CEL, as a policy file declares them: what they find, where their findings point, and the errors
/// a broken expression gets when the policy is loaded.
@Suite("Custom rules (CEL)")
struct CustomRuleTests {
    static let policy = """
        apiVersion: hpaguard.io/v1
        kind: Policy
        customRules:
          - id: prod-min-replicas
            severity: error
            summary: Production HPAs keep three replicas
            match: {namespaces: ["prod-*"], kinds: [HorizontalPodAutoscaler]}
            matchConditions:
              - {name: not-batch, expression: "!has(object.metadata.labels) || object.metadata.labels[?'tier'].orValue('') != 'batch'"}
            variables:
              - {name: floor, expression: "3"}
            validations:
              - expression: "object.spec.minReplicas >= variables.floor"
                messageExpression: "'minReplicas is ' + string(object.spec.minReplicas) + ', production needs ' + string(variables.floor)"
                fieldPath: spec.minReplicas
        """

    static func hpa(namespace: String = "prod-eu", minReplicas: Int = 1, labels: String = "{}", version: String = "v2") -> String {
        let spec = version == "v1"
            ? "  targetCPUUtilizationPercentage: 70"
            : """
                  metrics:
                    - type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """
        return """
            apiVersion: autoscaling/\(version)
            kind: HorizontalPodAutoscaler
            metadata: {name: llm, namespace: \(namespace), labels: \(labels)}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}
              minReplicas: \(minReplicas)
              maxReplicas: 10
            \(spec)
            """
    }

    static func findings(_ manifest: String, policy: String = policy, rule: String = "prod-min-replicas") throws -> [Finding] {
        try RuleVerifier.lint(manifest, policy: policy).filter { $0.rule == rule }
    }

    static func loadError(_ policy: String) -> PolicyError? {
        do {
            _ = try PolicyLoader.load(text: policy, file: "policy.yaml")
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Findings

    @Test func theIssueExampleFindsALowFloorInProductionAtTheFieldItNames() throws {
        let findings = try Self.findings(Self.hpa())
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .error)
        #expect(findings.first?.message == "minReplicas is 1, production needs 3")
        #expect(findings.first?.path == "/spec/minReplicas")
        #expect(findings.first?.position == SourcePosition(line: 6, column: 3))
    }

    @Test("no finding outside the match, under a false match condition, or when the rule holds", arguments: [
        hpa(namespace: "staging"), hpa(labels: "{tier: batch}"), hpa(minReplicas: 3),
    ])
    func noFinding(manifest: String) throws {
        #expect(try Self.findings(manifest).isEmpty)
    }

    @Test func anAutoscalingV1HPAIsSeenInItsV2FormAndTheFindingPointsAtWhatWasWritten() throws {
        let policy = Self.policy.replacing("object.spec.minReplicas >= variables.floor", with: "object.spec.metrics[0].resource.target.averageUtilization <= 60")
            .replacing("fieldPath: spec.minReplicas", with: "fieldPath: spec.metrics[0].resource.target.averageUtilization")
            .replacing("messageExpression:", with: "message: target too high\n        unusedMessageExpression:")
        #expect(Self.loadError(policy) != nil, "unknown keys of a validation are refused")
        let fixed = Self.policy.replacing("object.spec.minReplicas >= variables.floor", with: "object.spec.metrics[0].resource.target.averageUtilization <= 60")
            .replacing("fieldPath: spec.minReplicas", with: "fieldPath: spec.metrics[0].resource.target.averageUtilization")
        let findings = try Self.findings(Self.hpa(minReplicas: 3, version: "v1"), policy: fixed)
        #expect(findings.count == 1)
        #expect(findings.first?.path == "/spec/targetCPUUtilizationPercentage")
    }

    @Test func aPolicyTunesACustomRuleLikeABuiltInOne() throws {
        #expect(try Self.findings(Self.hpa(), policy: Self.policy + "\nrules: {prod-min-replicas: warning}").first?.severity == .warning)
        #expect(try Self.findings(Self.hpa(), policy: Self.policy + "\nrules: {prod-min-replicas: false}").isEmpty)
        #expect(try Self.findings(Self.hpa(), policy: Self.policy + "\nexemptions: [{names: [llm], rules: [prod-min-replicas]}]").isEmpty)
        let ignored = Self.hpa().replacing("labels: {}", with: "annotations: {hpaguard.io/ignore: prod-min-replicas}")
        #expect(try Self.findings(ignored).isEmpty)
    }

    @Test func targetIsTheResolvedWorkloadAndNullWithoutOne() throws {
        let policy = """
            customRules:
              - id: gpu-target-has-requests
                severity: warning
                summary: GPU servers request their GPUs
                validations:
                  - expression: "target == null || target.spec.template.spec.containers.all(c, has(c.resources.limits) && 'nvidia.com/gpu' in c.resources.limits)"
                    message: a container of the target does not limit nvidia.com/gpu
            """
        let deployment = """

            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: llm, namespace: prod-eu}
            spec:
              selector: {matchLabels: {app: llm}}
              template:
                metadata: {labels: {app: llm}}
                spec:
                  containers:
                    - name: server
                      image: vllm/vllm-openai
                      resources: {requests: {cpu: "1"}, limits: {cpu: "2"}}
            """
        let rule = "gpu-target-has-requests"
        #expect(try Self.findings(Self.hpa(), policy: policy, rule: rule).isEmpty)
        let found = try Self.findings(Self.hpa() + deployment, policy: policy, rule: rule)
        #expect(found.map(\.message) == ["a container of the target does not limit nvidia.com/gpu"])
        let gpu = deployment.replacing("limits: {cpu: \"2\"}", with: "limits: {cpu: \"2\", nvidia.com/gpu: 1}")
        #expect(try Self.findings(Self.hpa() + gpu, policy: policy, rule: rule).isEmpty)
    }

    @Test func requestIsACreateOffline() throws {
        let policy = """
            customRules:
              - id: offline-create
                summary: lint reviews a CREATE
                validations: [{expression: "request.operation != 'CREATE' || oldObject != null", message: "a CREATE"}]
            """
        #expect(try Self.findings(Self.hpa(), policy: policy, rule: "offline-create").map(\.message) == ["a CREATE"])
    }

    @Test("match.operations: a lint run is a CREATE, so a rule for UPDATEs alone says nothing there", arguments: [
        ("[CREATE]", 1), ("[UPDATE]", 0), ("[CREATE, UPDATE]", 1),
    ])
    func operationsDecideWhetherALintRunIsReviewed(operations: String, expected: Int) throws {
        let policy = """
            customRules:
              - id: floor
                summary: three replicas
                match: {operations: \(operations)}
                validations: [{expression: "object.spec.minReplicas >= 3"}]
            """
        #expect(try Self.findings(Self.hpa(), policy: policy, rule: "floor").count == expected)
    }

    // MARK: - Evaluation errors and the cost budget

    @Test func anEvaluationErrorIsAFindingThatNamesIt() throws {
        let policy = """
            customRules:
              - id: team-label
                summary: HPAs say which team owns them
                validations: [{expression: "object.metadata.labels['team'] != ''"}]
            """
        let findings = try Self.findings(Self.hpa(), policy: policy, rule: "team-label")
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("validations[0].expression could not be evaluated") == true)
        #expect(findings.first?.message.contains("no such key") == true)
        #expect(try Self.findings(Self.hpa(), policy: policy + "\n    onError: ignore", rule: "team-label").isEmpty)
    }

    @Test func anExpressionOverItsCostBudgetStopsWithAFinding() throws {
        let hundred = "[" + (0..<100).map(String.init).joined(separator: ",") + "]"
        let policy = """
            customRules:
              - id: expensive
                summary: three nested comprehensions over a hundred items
                validations: [{expression: "\(hundred).all(a, \(hundred).all(b, \(hundred).all(c, a + b + c >= 0)))"}]
            """
        let findings = try Self.findings(Self.hpa(), policy: policy, rule: "expensive")
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("cost limit 1000000 exceeded") == true)
    }

    // MARK: - Errors when the policy is loaded

    @Test("an expression that does not compile is refused at its line and column", arguments: [
        // (expression as written in the YAML, line, column, what the message says)
        // (the error points at the `.` of a select, as cel-go's do)
        (#"      - expression: "object.spec.minReplica >= 3""#, 7, 33, "undefined field 'minReplica'"),
        (#"      - expression: object.spec.minReplicas == 'three'"#, 7, 45, "no matching overload"),
        (#"      - {expression: "size(object.spec.metrics) > 0 && nosuch(1)"}"#, 7, 56, "undeclared reference to 'nosuch'"),
        // A block scalar: its second line, indented two more than the block (`>>=` lexes as `>` then `>=`).
        ("      - expression: |\n          object.spec.maxReplicas > 0 &&\n            object.spec.minReplicas >>= 1", 9, 38,
         "unexpected '>=', in `object.spec.maxReplicas > 0 && object.spec.minReplicas >>= 1`"),
    ])
    func compileErrors(validation: String, line: Int, column: Int, says: String) throws {
        let policy = """
            customRules:
              - id: broken
                summary: does not compile
                severity: warning
                # a comment
                validations:
            \(validation)
            """
        let error = try #require(Self.loadError(policy))
        #expect(error.file == "policy.yaml")
        #expect(error.key == "customRules[0].validations[0].expression")
        #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
        #expect(error.message.contains(says), "\(error.message)")
    }

    @Test("a malformed custom rule is refused, naming the field", arguments: [
        ("- {id: min-replicas-floor, summary: x, validations: [{expression: 'true'}]}", "customRules[0].id", "built-in"),
        ("- {id: Prod_Min, summary: x, validations: [{expression: 'true'}]}", "customRules[0].id", "not a rule id"),
        ("- {id: a, validations: [{expression: 'true'}]}", "customRules[0].summary", "required"),
        ("- {id: a, summary: x}", "customRules[0].validations", "at least one"),
        ("- {id: a, summary: x, severity: fatal, validations: [{expression: 'true'}]}", "customRules[0].severity", "error, warning or info"),
        ("- {id: a, summary: x, validations: [{expression: '1 + 1'}]}", "customRules[0].validations[0].expression", "must evaluate to 'bool'"),
        ("- {id: a, summary: x, match: {kinds: [Deployment]}, validations: [{expression: 'true'}]}", "customRules[0].match.kinds", "target"),
        ("- {id: a, summary: x, variables: [{name: my-var, expression: '1'}], validations: [{expression: 'true'}]}", "customRules[0].variables[0].name", "CEL identifier"),
        ("- {id: a, summary: x, validations: [{expression: 'true', fieldPath: 'spec..x'}]}", "customRules[0].validations[0].fieldPath", "field path"),
        ("- {id: a, summary: x, validations: [{expression: 'true'}]}\n  - {id: a, summary: other, validations: [{expression: 'true'}]}", "customRules[1].id", "twice"),
    ])
    func malformed(entry: String, key: String, says: String) throws {
        let error = try #require(Self.loadError("customRules:\n  " + entry))
        #expect(error.key == key, "\(error)")
        #expect(error.message.contains(says), "\(error.message)")
    }

    @Test func rulesAndExemptionsMayNameACustomRuleOnlyOnceItIsDeclared() throws {
        #expect(Self.loadError("rules: {prod-min-replicas: warning}")?.message.contains("unknown rule id") == true)
        #expect(Self.loadError(Self.policy + "\nrules: {prod-min-replicas: warning}") == nil)
    }

    @Test func aVariableMayReadTheOnesBeforeIt() throws {
        let policy = """
            customRules:
              - id: headroom
                summary: maxReplicas leaves room above minReplicas
                variables:
                  - {name: low, expression: "object.spec.minReplicas"}
                  - {name: high, expression: "variables.low * 2"}
                validations: [{expression: "object.spec.maxReplicas >= variables.high", message: "too little room"}]
            """
        #expect(try Self.findings(Self.hpa(minReplicas: 6), policy: policy, rule: "headroom").map(\.message) == ["too little room"])
        #expect(try Self.findings(Self.hpa(minReplicas: 5), policy: policy, rule: "headroom").isEmpty)
        let swapped = policy.replacing("variables.low * 2", with: "variables.later * 2")
        #expect(Self.loadError(swapped)?.message.contains("undefined field 'later'") == true)
    }
}
