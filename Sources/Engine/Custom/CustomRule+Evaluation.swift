import CEL

/// What the engine knows of the request an object arrives in: the webhook's AdmissionRequest, or offline a CREATE
/// by nobody in particular. Custom rules read it as `request`, `oldObject` and `namespaceObject`.
public struct AdmissionAttributes: Sendable {
    public var operation: String
    public var uid: String
    /// `request.userInfo` as the API server sent it (username, uid, groups, extra).
    public var userInfo: JSONValue
    public var dryRun: Bool
    /// The object before an UPDATE, as received.
    public var oldObject: JSONValue?
    /// The object's Namespace, when a rule reads it and it could be looked up.
    public var namespaceObject: JSONValue?

    public init(
        operation: String = "CREATE", uid: String = "", userInfo: JSONValue = .object(JSONObject()),
        dryRun: Bool = false, oldObject: JSONValue? = nil, namespaceObject: JSONValue? = nil
    ) {
        self.operation = operation
        self.uid = uid
        self.userInfo = userInfo
        self.dryRun = dryRun
        self.oldObject = oldObject
        self.namespaceObject = namespaceObject
    }

    /// A lint run: every object is a CREATE.
    public static let offline = AdmissionAttributes()
}

extension CustomRule {
    /// What one evaluation found: violations at the rule's severity, and notes (info) on what could not be checked.
    struct Outcome {
        var violations: [Violation] = []
        var notes: [String] = []
    }

    /// Which bindings the custom rules of a policy read (from their compiled paths, `CELProgram.accessedPaths`):
    /// worked out once per engine. A review binds only those, and the webhook fetches the Namespace or decodes
    /// `request.userInfo` only when a rule reads it.
    struct Reads: Sendable {
        let object: Bool
        let oldObject: Bool
        let target: Bool
        let request: Bool
        let requestUserInfo: Bool
        let namespaceObject: Bool
        /// The paths read of `object` and `oldObject`; nil for one read whole.
        private let objectPaths: [[String]]?
        private let oldObjectPaths: [[String]]?

        init(_ rules: [CustomRule]) {
            let programs = rules.flatMap(\.programs)
            // The paths programs read of `variable`; nil when one reads it whole.
            func paths(_ variable: String) -> [[String]]? {
                var all: [[String]] = []
                for program in programs {
                    guard let paths = program.accessedPaths(ofVariable: variable) else { return nil }
                    all += paths
                }
                return all
            }
            func reads(_ variable: String) -> Bool { paths(variable).map { !$0.isEmpty } ?? true }
            object = reads("object")
            oldObject = reads("oldObject")
            target = reads("target")
            request = reads("request")
            requestUserInfo = paths("request").map { $0.contains { $0.first == "userInfo" } } ?? true
            namespaceObject = reads("namespaceObject")
            objectPaths = paths("object")
            oldObjectPaths = paths("oldObject")
        }

        /// Whether a rule reads `path` of `object` (or of `oldObject`): a path that reaches into it, or that reads a
        /// whole value it is part of (`object.metadata` holds `metadata.managedFields`).
        func readsObject(below path: [String], old: Bool) -> Bool {
            (old ? oldObjectPaths : objectPaths).map { $0.contains { $0.starts(with: path) || path.starts(with: $0) } }
                ?? true
        }
    }

    /// Every compiled expression of the rule.
    var programs: [CELProgram] {
        (matchConditions + variables).map(\.expression.program)
            + validations.flatMap { [$0.condition.program] + ($0.messageExpression.map { [$0.program] } ?? []) }
    }

    /// The bindings of one reviewed HPA, bound once and shared by every custom rule that runs on it, in slots the
    /// caller keeps (on its stack: a review allocates no array for them).
    struct Bindings {
        /// As many as ``CustomRuleCompiler/Binding`` has cases, each initialized.
        let slots: UnsafeMutableBufferPointer<CELValue?>

        static let count = CustomRuleCompiler.Binding.allCases.count

        /// Objects are bound in place (``JSONMapView``): a rule converts only the fields it reads. A binding no rule
        /// reads stays unset (nothing can read it).
        /// `targetObject` is the target workload's object, when it was found and a rule reads it.
        init(
            slots: UnsafeMutableBufferPointer<CELValue?>, hpa: borrowing HPA, targetObject: JSONValue?,
            attributes: borrowing AdmissionAttributes, reads: borrowing Reads
        ) {
            typealias Binding = CustomRuleCompiler.Binding
            self.slots = slots
            if reads.object { slots[Binding.object.rawValue] = .host(JSONMapView(hpa)) }
            if reads.oldObject {
                let file = hpa.object.file
                slots[Binding.oldObject.rawValue] = attributes.oldObject.map { old in
                    .host(HPA(ManifestObject(value: old, file: file)).map { JSONMapView($0) } ?? JSONMapView(old))
                } ?? .null
            }
            if reads.target { slots[Binding.target.rawValue] = targetObject.map { .host(JSONMapView($0)) } ?? .null }
            if reads.request { slots[Binding.request.rawValue] = Self.request(for: hpa, attributes: attributes) }
            if reads.namespaceObject {
                slots[Binding.namespaceObject.rawValue] = attributes.namespaceObject.map { .host(JSONMapView($0)) } ?? .null
            }
        }

        @inline(never)
        private static func request(for hpa: borrowing HPA, attributes: borrowing AdmissionAttributes) -> CELValue {
            let kind = CELValue.object([
                ("group", .string("autoscaling")), ("version", .string("v2")), ("kind", .string("HorizontalPodAutoscaler")),
            ])
            let resource = CELValue.object([
                ("group", .string("autoscaling")), ("version", .string("v2")),
                ("resource", .string("horizontalpodautoscalers")),
            ])
            return .object([
                ("uid", .string(attributes.uid)), ("kind", kind), ("resource", resource), ("requestKind", kind),
                ("requestResource", resource), ("name", .string(hpa.name ?? "")),
                ("namespace", .string(hpa.namespace ?? "default")), ("operation", .string(attributes.operation)),
                ("userInfo", CELValue(attributes.userInfo)), ("dryRun", .bool(attributes.dryRun)),
            ])
        }
    }

    /// Whether this rule reviews `object` in a request of `operation`.
    func applies(to object: ManifestObject, operation: String) -> Bool {
        match.matches(object, operation: operation)
    }

    /// Evaluates the rule on one HPA whose bindings are `bindings` (this rule's params and variables are set here).
    ///
    /// What runs on every review is kept apart from what runs when something is found or cannot be evaluated
    /// (messages, namespace selectors, variables), which lives in functions of its own: the first custom rule's time
    /// in a review is mostly instruction-cache misses, and code that is jumped over still spreads the path across
    /// more cache lines.
    func evaluate(_ bindings: Bindings, namespaceLabels: [String: String]?) -> Outcome {
        var outcome = Outcome()
        outcome.notes = offlineLimitations
        if !match.namespaceSelectors.isEmpty, !namespaceSelectorsSelect(namespaceLabels, notes: &outcome.notes) {
            return Outcome()
        }
        bindings.slots[CustomRuleCompiler.Binding.params.rawValue] = paramsValue
        bindings.slots[CustomRuleCompiler.Binding.variables.rawValue] = .map(CELMap())
        let slots = UnsafeBufferPointer(bindings.slots)
        for condition in matchConditions {
            switch condition.expression.run(slots) {
            case .success(.bool(true)): continue
            case .success: return outcome
            case .failure(let error):
                fail(condition.expression, error, variableErrors: [], into: &outcome)
                return outcome
            }
        }
        let variableErrors = variables.isEmpty ? [] : bindVariables(bindings)
        for validation in validations {
            switch validation.condition.run(slots) {
            case .success(.bool(true)):
                continue
            case .success(.bool(false)):
                outcome.violations.append(violation(of: validation, slots: slots))
            case .success(let other):
                fail(
                    validation.condition, CELEvalError(.noMatchingOverload, "the result is \(other.typeName), not bool"),
                    variableErrors: variableErrors, into: &outcome)
            case .failure(let error):
                fail(validation.condition, error, variableErrors: variableErrors, into: &outcome)
            }
        }
        return outcome
    }

    /// Whether the namespace selectors select the HPA's namespace; without the Namespace object, a note says they
    /// were taken to.
    @inline(never)
    private func namespaceSelectorsSelect(_ namespaceLabels: [String: String]?, notes: inout [String]) -> Bool {
        guard let namespaceLabels else {
            notes.append(
                "its namespaceSelector cannot be evaluated without the Namespace object; it is applied as if it selects this namespace")
            return true
        }
        return match.namespaceSelectors.allSatisfy { $0.matches(namespaceLabels) }
    }

    /// Evaluates the variables in order into `variables`; the errors of those that could not be.
    @inline(never)
    private func bindVariables(_ bindings: Bindings) -> [String] {
        var errors: [String] = []
        for variable in variables {
            switch variable.expression.run(UnsafeBufferPointer(bindings.slots)) {
            case .success(let value):
                guard case .map(var map) = bindings.slots[CustomRuleCompiler.Binding.variables.rawValue] else { break }
                map.set(.string(variable.name), value)
                bindings.slots[CustomRuleCompiler.Binding.variables.rawValue] = .map(map)
            case .failure(let error):
                errors.append("variable '\(variable.name)': \(error.message)")
            }
        }
        return errors
    }

    /// A finding that `expression` could not be evaluated, unless the rule ignores errors.
    @inline(never)
    private func fail(_ expression: Expression, _ error: CELEvalError, variableErrors: [String], into outcome: inout Outcome) {
        guard onError == .fail else { return }
        var message = "\(expression.field) could not be evaluated: \(error.message)"
        if !variableErrors.isEmpty { message += " (\(variableErrors.joined(separator: "; ")))" }
        outcome.violations.append(Violation(message, at: .root))
    }

    @inline(never)
    private func violation(of validation: Validation, slots: UnsafeBufferPointer<CELValue?>) -> Violation {
        Violation(message(for: validation, slots: slots), at: validation.fieldPath ?? .root)
    }

    /// The message of a failed validation: its messageExpression's value, else its message, else (as the API server
    /// says it) the expression that failed.
    private func message(for validation: Validation, slots: UnsafeBufferPointer<CELValue?>) -> String {
        if let expression = validation.messageExpression, case .success(.string(let text)) = expression.run(slots),
            !text.isEmpty, !text.contains("\n")
        {
            return text
        }
        if let message = validation.message, !message.isEmpty { return message }
        switch origin {
        case .policy: return "\(summary) (failed: \(validation.condition.program.source))"
        case .admissionPolicy: return "failed expression: \(validation.condition.program.source)"
        }
    }
}

extension CustomRule.Expression {
    /// The expression's value over `slots`, or the error that stopped it.
    func run(_ slots: UnsafeBufferPointer<CELValue?>) -> Result<CELValue, CELEvalError> {
        do {
            return .success(try program.evaluate(slots: slots))
        } catch {
            return .failure(error)
        }
    }
}
