import CEL

/// ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) and their bindings, read from manifests and run
/// offline as custom rules: one rule `vap:NAME` per binding (and per parameter object it selects), at the severity
/// its `validationActions` give (Deny: error, Warn: warning, Audit: info).
///
/// Follows the API server's admission plugin (k8s.io/apiserver/pkg/admission/plugin/policy/validating): a policy
/// applies to an HPA when its `matchConstraints` and the binding's `matchResources` both select it (resource rules,
/// object and namespace selectors), then its match conditions, variables and validations are evaluated with
/// `params` bound to the parameter object.
public enum AdmissionPolicies {
    public static let group = "admissionregistration.k8s.io"
    static let policyKind = "ValidatingAdmissionPolicy"
    static let bindingKind = "ValidatingAdmissionPolicyBinding"

    /// Whether `object` is a policy or a binding, which a lint run keeps in full.
    public static func isPolicyOrBinding(_ object: ManifestObject) -> Bool {
        object.group == group && (object.kind == policyKind || object.kind == bindingKind)
    }

    /// The parameter kinds (group, kind) the policies among `objects` name: objects of these kinds are kept in full.
    public static func parameterKinds(in objects: [ManifestObject]) -> Set<String> {
        Set(objects.filter { $0.group == group && $0.kind == policyKind }.compactMap { policy in
            guard let kind = policy.value["spec"]?["paramKind"]?["kind"]?.stringValue else { return nil }
            return APIVersion(policy.value["spec"]?["paramKind"]?["apiVersion"]?.stringValue ?? "").group + "/" + kind
        })
    }

    /// The key of `object` in `parameterKinds(in:)`.
    public static func parameterKindKey(of object: ManifestObject) -> String { object.group + "/" + object.kind }

    /// What the policies and bindings among `objects` give: the rules to run on HPAs, and findings about the
    /// policies themselves (an expression that does not compile, a binding whose policy or parameter is missing).
    ///
    /// - Parameter objects: every object of the run; policies, bindings and parameter objects are picked out.
    public static func rules(from objects: [ManifestObject]) -> (rules: [CustomRule], findings: [Finding]) {
        let policies = objects.filter { $0.group == group && $0.kind == policyKind }
        let bindings = objects.filter { $0.group == group && $0.kind == bindingKind }
        var rules: [CustomRule] = []
        var findings: [Finding] = []
        func note(_ object: ManifestObject, rule: String, _ severity: Severity, _ message: String, at pointer: JSONPointer) {
            findings.append(Finding(
                rule: rule, severity: severity, message: message, file: object.file, position: object.position(of: pointer),
                path: pointer, object: object.reference))
        }
        var compiled: [String: Result<CompiledPolicy, CustomRuleError>] = [:]
        for policy in policies {
            guard let name = policy.name else { continue }
            let result = Result { () throws(CustomRuleError) in try CompiledPolicy(policy) }
            compiled[name] = result
            if case .failure(let error) = result {
                findings.append(Finding(
                    rule: "vap:\(name)", severity: .error, message: "ValidatingAdmissionPolicy \(name): \(error.message)",
                    file: policy.file, position: error.position, path: error.pointer, object: policy.reference))
            }
            if !bindings.contains(where: { $0.value["spec"]?["policyName"]?.stringValue == name }) {
                note(policy, rule: "vap:\(name)", .info,
                     "ValidatingAdmissionPolicy \(name) is not bound by any ValidatingAdmissionPolicyBinding among the inputs, so it validates nothing",
                     at: .root)
            }
        }
        for binding in bindings {
            let bindingName = binding.name ?? ""
            guard let policyName = binding.value["spec"]?["policyName"]?.stringValue else {
                note(binding, rule: "vap:\(bindingName)", .error, "ValidatingAdmissionPolicyBinding \(bindingName) has no spec.policyName",
                     at: "/spec")
                continue
            }
            let ruleID = "vap:\(policyName)"
            guard let result = compiled[policyName] else {
                note(binding, rule: ruleID, .info,
                     "binds ValidatingAdmissionPolicy \(policyName), which is not among the inputs: not evaluated",
                     at: "/spec/policyName")
                continue
            }
            guard case .success(let policy) = result else { continue }
            let actions = binding.value["spec"]?["validationActions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let severity: Severity
            if actions.contains("Deny") { severity = .error }
            else if actions.contains("Warn") { severity = .warning }
            else if actions.contains("Audit") { severity = .info }
            else {
                note(binding, rule: ruleID, .error, "spec.validationActions is required (Deny, Warn and/or Audit)",
                     at: "/spec/validationActions")
                continue
            }
            var match = policy.match
            if let resources = binding.value["spec"]?["matchResources"], !resources.isNull {
                match = match.narrowed(by: ResourceMatch(resources))
            }
            for (params, namespace) in parameters(of: policy, binding: binding, among: objects, note: {
                note(binding, rule: ruleID, $0, $1, at: "/spec/paramRef")
            }) {
                rules.append(policy.rule(
                    id: ruleID, binding: bindingName, severity: severity, match: match, params: params,
                    paramNamespace: namespace))
            }
        }
        return (rules, findings)
    }

    /// The parameter objects a binding selects, each with the namespace it restricts the rule to (a namespaced
    /// parameter without a namespace in the paramRef is looked up in the reviewed object's namespace).
    private static func parameters(
        of policy: CompiledPolicy, binding: ManifestObject, among objects: [ManifestObject],
        note: (Severity, String) -> Void
    ) -> [(JSONValue, String?)] {
        guard let paramKind = policy.paramKind else { return [(.null, nil)] }
        guard let reference = binding.value["spec"]?["paramRef"], !reference.isNull else {
            note(.error, "the policy has a paramKind (\(paramKind.kind)) but the binding has no paramRef")
            return []
        }
        let candidates = objects.filter {
            $0.kind == paramKind.kind && $0.group == paramKind.group
        }
        var selected = candidates
        if let namespace = reference["namespace"]?.stringValue, !namespace.isEmpty {
            selected = selected.filter { $0.namespace == namespace }
        }
        if let name = reference["name"]?.stringValue, !name.isEmpty {
            selected = selected.filter { $0.name == name }
        } else if let selector = reference["selector"] {
            let labelSelector = LabelSelector(value: selector)
            selected = selected.filter { labelSelector.matches($0.labels) }
        }
        if selected.isEmpty {
            let denies = (reference["parameterNotFoundAction"]?.stringValue ?? "Deny") == "Deny"
            note(.info,
                 "its parameter (\(paramKind.kind) \(reference["name"]?.stringValue ?? "by selector")) is not among the inputs, so the policy is not evaluated offline"
                 + (denies ? "; in the cluster, parameterNotFoundAction Deny refuses every matching HPA while it is missing" : ""))
            return []
        }
        let pinned = reference["namespace"]?.stringValue.map { !$0.isEmpty } ?? false
        return selected.map { ($0.value, pinned ? nil : $0.namespace) }
    }
}

/// A policy's `matchConstraints` (or a binding's `matchResources`): which requests it selects.
struct ResourceMatch: Sendable {
    var resourceRules: [JSONValue]
    var excludeResourceRules: [JSONValue]
    var namespaceSelector: JSONValue?
    var objectSelector: JSONValue?

    init(_ value: JSONValue) {
        resourceRules = value["resourceRules"]?.arrayValue ?? []
        excludeResourceRules = value["excludeResourceRules"]?.arrayValue ?? []
        namespaceSelector = value["namespaceSelector"]
        objectSelector = value["objectSelector"]
    }

    /// The operations among CREATE and UPDATE that some rule selects for HPAs, nil when no rule selects HPAs.
    ///
    /// Every autoscaling version counts: with `matchPolicy: Equivalent` (the default) the API server converts the
    /// request to the version a rule names, and offline the HPA is always read in its v2 form.
    func hpaOperations() -> Set<String>? {
        func selects(_ rule: JSONValue) -> Set<String>? {
            let operations = rule["operations"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard Self.selectsHPAs(rule) else { return nil }
            let selected = operations.contains("*") ? ["CREATE", "UPDATE"] : Set(operations).intersection(["CREATE", "UPDATE"])
            return selected.isEmpty ? nil : selected
        }
        var operations: Set<String> = []
        for rule in resourceRules { operations.formUnion(selects(rule) ?? []) }
        return operations.isEmpty ? nil : operations
    }

    /// Whether a resource rule names HPAs (group autoscaling, resource horizontalpodautoscalers, or wildcards).
    static func selectsHPAs(_ rule: JSONValue) -> Bool {
        let groups = rule["apiGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let resources = rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return (groups.contains("*") || groups.contains("autoscaling"))
            && resources.contains { ["*", "*/*", "horizontalpodautoscalers"].contains($0) }
    }
}

extension CustomRuleMatch {
    /// This match further restricted by a binding's `matchResources` (both must select the object).
    func narrowed(by resources: ResourceMatch) -> CustomRuleMatch {
        var narrowed = self
        if !resources.resourceRules.isEmpty {
            narrowed.operations = operations.intersection(resources.hpaOperations() ?? [])
        }
        if let selector = resources.objectSelector, !selector.isNull { narrowed.objectSelectors.append(LabelSelector(value: selector)) }
        if let selector = resources.namespaceSelector, !selector.isNull, !LabelSelector(value: selector).isEmpty {
            narrowed.namespaceSelectors.append(LabelSelector(value: selector))
        }
        return narrowed
    }
}

/// One ValidatingAdmissionPolicy with its expressions compiled.
struct CompiledPolicy {
    let name: String
    let match: CustomRuleMatch
    let paramKind: (group: String, kind: String)?
    let matchConditions: [CustomRule.NamedExpression]
    let variables: [CustomRule.NamedExpression]
    let validations: [CustomRule.Validation]
    let onError: CustomRule.ErrorHandling
    let offlineLimitations: [String]

    init(_ object: ManifestObject) throws(CustomRuleError) {
        name = object.name ?? ""
        let spec = object.value["spec"] ?? .null
        let base: JSONPointer = "/spec"
        func fail(_ pointer: JSONPointer, _ message: String) -> CustomRuleError {
            CustomRuleError(pointer: pointer, position: object.position(of: pointer), message: message)
        }
        let constraints = ResourceMatch(spec["matchConstraints"] ?? .null)
        var match = CustomRuleMatch()
        match.operations = constraints.hpaOperations() ?? []
        if let selector = constraints.objectSelector, !selector.isNull { match.objectSelectors.append(LabelSelector(value: selector)) }
        if let selector = constraints.namespaceSelector, !selector.isNull, !LabelSelector(value: selector).isEmpty {
            match.namespaceSelectors.append(LabelSelector(value: selector))
        }
        for rule in constraints.resourceRules {
            let names = rule["resourceNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if !names.isEmpty { match.names += names }
        }
        for rule in constraints.excludeResourceRules where ResourceMatch.selectsHPAs(rule) {
            let names = rule["resourceNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if names.isEmpty { match.operations = [] } else { match.excludedNames += names }
        }
        self.match = match
        if let kind = spec["paramKind"], !kind.isNull {
            guard let kindName = kind["kind"]?.stringValue else { throw fail("/spec/paramKind/kind", "required") }
            paramKind = (APIVersion(kind["apiVersion"]?.stringValue ?? "").group, kindName)
        } else {
            paramKind = nil
        }
        onError = spec["failurePolicy"]?.stringValue == "Ignore" ? .ignore : .fail

        var limitations: [String] = []
        var compiler = CustomRuleCompiler(
            file: object.file, locator: object.locator.map { ObjectLocator(object: object, inner: $0) })
        // The authorizer asks the cluster's RBAC; an expression that calls it (directly or through a variable) is not
        // compiled, and each HPA it would review gets an info finding saying what was not checked.
        var offline: [String] = ["authorizer"]
        func needsCluster(_ item: JSONValue) -> Bool {
            guard let source = item["expression"]?.stringValue else { return false }
            return offline.contains { name in
                name == "authorizer" ? Self.names(source, "authorizer") : Self.names(source, "variables." + name)
            }
        }
        var conditions: [CustomRule.NamedExpression] = []
        for (index, item) in try CustomRule.list(spec["matchConditions"], key: "matchConditions", base: base).enumerated() {
            if needsCluster(item) {
                limitations.append(
                    "match condition '\(item["name"]?.stringValue ?? String(index))' needs the cluster's authorizer; it is taken as true")
                continue
            }
            conditions.append(
                try CustomRule.namedExpression(item, at: base / "matchConditions" / index, compiler: compiler, expecting: .bool))
        }
        matchConditions = conditions
        var declared: [CustomRule.NamedExpression] = []
        for (index, item) in try CustomRule.list(spec["variables"], key: "variables", base: base).enumerated() {
            if needsCluster(item) {
                offline.append(item["name"]?.stringValue ?? "")
                continue
            }
            let named = try CustomRule.namedExpression(
                item, at: base / "variables" / index, compiler: compiler, expecting: nil, isVariable: true)
            compiler.declare(variable: named.name, named.expression)
            declared.append(named)
        }
        variables = declared
        var checks: [CustomRule.Validation] = []
        for (index, item) in try CustomRule.list(spec["validations"], key: "validations", base: base).enumerated() {
            if needsCluster(item) {
                limitations.append("validations[\(index)] needs the cluster's authorizer; it is not checked offline")
                continue
            }
            checks.append(try CustomRule.validation(item, at: base / "validations" / index, compiler: compiler))
        }
        validations = checks
        offlineLimitations = limitations
    }

    func rule(
        id: String, binding: String, severity: Severity, match: CustomRuleMatch, params: JSONValue, paramNamespace: String?
    ) -> CustomRule {
        var scoped = match
        if let paramNamespace { scoped.namespaces = [paramNamespace] }
        return CustomRule(
            id: id, summary: "ValidatingAdmissionPolicy \(name) (binding \(binding))", rationale: "", remediation: "",
            severity: severity, origin: .admissionPolicy(name: name, binding: binding), match: scoped,
            matchConditions: matchConditions, variables: variables, validations: validations, onError: onError,
            params: params, offlineLimitations: offlineLimitations)
    }
}

extension CompiledPolicy {
    /// Whether `source` names `name` as a whole identifier (not `myauthorizer` or `variables.authorizerCount`).
    static func names(_ source: String, _ name: String) -> Bool {
        var rest = Substring(source)
        while let range = rest.range(of: name) {
            let before = rest[..<range.lowerBound].last
            let after = rest[range.upperBound...].first
            let partOfWord = { (c: Character?) in c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
            if !partOfWord(before), before != ".", !partOfWord(after) { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }
}

/// Positions inside one object of a multi-object file: pointers are relative to the object.
private struct ObjectLocator: SourceLocating {
    let object: ManifestObject
    let inner: any SourceLocating

    func position(of pointer: JSONPointer) -> SourcePosition? { inner.position(of: object.basePointer.appending(pointer)) }

    func position(inScalarAt pointer: JSONPointer, line: Int, column: Int) -> SourcePosition? {
        inner.position(inScalarAt: object.basePointer.appending(pointer), line: line, column: column)
    }
}
