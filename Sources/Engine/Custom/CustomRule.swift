import CEL

/// A rule written in CEL: a policy's `customRules` entry, or a ValidatingAdmissionPolicy read with its binding.
///
/// Compiled when the policy (or the admission policy) is loaded, so every expression error is found then, with its
/// line and column; a review only evaluates. It runs on HPAs, with `object` bound to the HPA in its internal
/// autoscaling/v2 form after the API server's defaulting (what the built-in rules see).
public final class CustomRule: Sendable {
    /// Where a custom rule comes from; an admission policy's rules are named `vap:NAME`.
    public enum Origin: Sendable, Hashable {
        case policy(file: String)
        case admissionPolicy(name: String, binding: String)
    }

    /// What an expression that cannot be evaluated (no such key, division by zero, cost over budget) gives.
    public enum ErrorHandling: String, Sendable {
        /// A finding of the rule's severity that names the error (VAP's `failurePolicy: Fail`).
        case fail
        /// Nothing (VAP's `failurePolicy: Ignore`).
        case ignore
    }

    // Classes, immutable: a review walks these for every HPA, and a reference is one retain where a copy of the
    // struct would be one per field.

    /// One compiled expression and where it is written.
    public final class Expression: Sendable {
        public let program: CELProgram
        /// Where the expression is written: the field that holds it (`customRules[0].validations[1].expression`).
        public let field: String

        init(program: CELProgram, field: String) {
            self.program = program
            self.field = field
        }
    }

    public final class NamedExpression: Sendable {
        public let name: String
        public let expression: Expression

        init(name: String, expression: Expression) {
            self.name = name
            self.expression = expression
        }
    }

    public final class Validation: Sendable {
        public let condition: Expression
        public let message: String?
        public let messageExpression: Expression?
        /// Where the finding points, an internal (autoscaling/v2) pointer; the object itself when nil.
        public let fieldPath: JSONPointer?

        init(condition: Expression, message: String?, messageExpression: Expression?, fieldPath: JSONPointer?) {
            self.condition = condition
            self.message = message
            self.messageExpression = messageExpression
            self.fieldPath = fieldPath
        }
    }

    public let id: String
    public let summary: String
    public let rationale: String
    public let remediation: String
    public let severity: Severity
    public let origin: Origin
    public let match: CustomRuleMatch
    public let matchConditions: [NamedExpression]
    /// In declaration order: each may read the ones before it.
    public let variables: [NamedExpression]
    public let validations: [Validation]
    public let onError: ErrorHandling
    /// The parameter object an admission policy's binding selects (`params`); null otherwise.
    public let params: JSONValue
    /// `params` as CEL sees it, converted once rather than on every review.
    let paramsValue: CELValue
    /// What could not be evaluated offline (an authorizer check), said as an info finding on each HPA it matches.
    public let offlineLimitations: [String]

    init(
        id: String, summary: String, rationale: String, remediation: String, severity: Severity, origin: Origin,
        match: CustomRuleMatch, matchConditions: [NamedExpression], variables: [NamedExpression],
        validations: [Validation], onError: ErrorHandling, params: JSONValue, offlineLimitations: [String]
    ) {
        self.id = id
        self.summary = summary
        self.rationale = rationale
        self.remediation = remediation
        self.severity = severity
        self.origin = origin
        self.match = match
        self.matchConditions = matchConditions
        self.variables = variables
        self.validations = validations
        self.onError = onError
        self.params = params
        paramsValue = CELValue(params)
        self.offlineLimitations = offlineLimitations
    }
}

/// Which HPAs a custom rule reviews.
public struct CustomRuleMatch: Sendable {
    /// Glob patterns (`*`, `?`) on the namespace; empty matches every namespace.
    public var namespaces: [String] = []
    /// Glob patterns on the name; empty matches every name.
    public var names: [String] = []
    /// Label selectors on the object itself (an admission policy's objectSelector), all of which must select it.
    var objectSelectors: [LabelSelector] = []
    /// Label selectors on the object's namespace (an admission policy's namespaceSelector).
    var namespaceSelectors: [LabelSelector] = []
    /// Names never reviewed (an admission policy's excludeResourceRules).
    var excludedNames: [String] = []
    /// Whether the rule reviews CREATE and UPDATE requests (the only operations on an HPA a rule can name); a lint
    /// run is a CREATE. Two flags rather than the set of names: asked on every review.
    private var reviewsCreate = true
    private var reviewsUpdate = true

    /// Operations the rule reviews: CREATE, UPDATE or both.
    public var operations: Set<String> {
        get { Set((reviewsCreate ? ["CREATE"] : []) + (reviewsUpdate ? ["UPDATE"] : [])) }
        set {
            reviewsCreate = newValue.contains("CREATE")
            reviewsUpdate = newValue.contains("UPDATE")
        }
    }

    public init() {}

    func matches(_ object: ManifestObject, operation: String) -> Bool {
        switch operation {
        case "CREATE": guard reviewsCreate else { return false }
        case "UPDATE": guard reviewsUpdate else { return false }
        default: return false
        }
        // The name and namespace are looked up in the object only when some pattern reads them.
        if !namespaces.isEmpty || !names.isEmpty,
            !Policy.matches(namespaces: namespaces, names: names, namespace: object.namespace, name: object.name)
        {
            return false
        }
        if !excludedNames.isEmpty, excludedNames.contains(object.name ?? "") { return false }
        guard !objectSelectors.isEmpty else { return true }
        let labels = object.labels
        return objectSelectors.allSatisfy { $0.matches(labels) }
    }
}

extension CustomRule {
    /// The rule as `hpaguard rules` lists it and the policy's `rules:` section tunes it (severity, enabled).
    public var description: RuleDescription {
        RuleDescription(
            id: id, summary: summary, rationale: rationale, remediation: remediation, category: .custom,
            defaultSeverity: severity, validExamples: [], invalidExamples: [])
    }

    /// What `hpaguard explain` prints for it: where it is defined and its expressions.
    public var explanation: String {
        var out = "\(id) (\(severity.rawValue), custom)\n\(summary)\n\n"
        switch origin {
        case .policy(let file): out += "Defined in: \(file) (customRules)\n"
        case .admissionPolicy(let name, let binding):
            out += "ValidatingAdmissionPolicy \(name), bound by \(binding)\n"
        }
        if !rationale.isEmpty { out += "\nWhy:\n    \(rationale)\n" }
        if !remediation.isEmpty { out += "\nFix:\n    \(remediation)\n" }
        func list(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out += "\n\(title):\n" + lines.map { "    " + $0 + "\n" }.joined()
        }
        list("Match conditions (all true)", matchConditions.map { "\($0.name): \($0.expression.program.source)" })
        list("Variables", variables.map { "\($0.name) = \($0.expression.program.source)" })
        list("Validations", validations.map { validation in
            validation.condition.program.source + (validation.fieldPath.map { "  (at \($0.fieldPath))" } ?? "")
        })
        if onError == .ignore { out += "\nAn expression that cannot be evaluated is ignored (onError: ignore).\n" }
        return out
    }
}
