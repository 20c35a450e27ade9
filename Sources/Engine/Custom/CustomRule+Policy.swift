import CEL

extension CustomRule {
    /// The keys a `customRules` entry may have.
    static let policyKeys: Set<String> = [
        "id", "severity", "summary", "rationale", "remediation", "match", "matchConditions", "variables", "validations",
        "onError",
    ]

    /// Reads and compiles one `customRules` entry of a policy file.
    ///
    /// - Throws: `CustomRuleError` naming the field: a missing or misspelled key, an id that is not kebab-case, an
    ///   expression that does not parse or type-check (with the line and column of the error in the file).
    convenience init(policyEntry entry: JSONValue, at base: JSONPointer, file: String, locator: (any SourceLocating)?)
        throws(CustomRuleError)
    {
        func fail(_ key: String..., message: String) -> CustomRuleError {
            let pointer = key.reduce(base) { $0 / $1 }
            return CustomRuleError(pointer: pointer, position: locator?.position(of: pointer), message: message)
        }
        guard case .object(let fields) = entry else { throw fail(message: "a custom rule is a mapping") }
        for key in fields.keys where !Self.policyKeys.contains(key) {
            throw fail(key, message: "unknown key (expected one of \(Self.policyKeys.sorted().joined(separator: ", ")))")
        }
        guard let id = fields["id"]?.stringValue else { throw fail("id", message: "required: the rule's id, such as prod-min-replicas") }
        guard !id.isEmpty, id.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }) else {
            throw fail("id", message: "'\(id)' is not a rule id: lowercase letters, digits and '-'")
        }
        guard let summary = fields["summary"]?.stringValue, !summary.isEmpty else {
            throw fail("summary", message: "required: one line saying what the rule asks for")
        }
        var severity = Severity.error
        if let text = fields["severity"] {
            guard let parsed = text.stringValue.flatMap(Severity.init(rawValue:)) else {
                throw fail("severity", message: "expected error, warning or info")
            }
            severity = parsed
        }
        var onError = ErrorHandling.fail
        if let text = fields["onError"] {
            guard let parsed = text.stringValue.flatMap(ErrorHandling.init(rawValue:)) else {
                throw fail("onError", message: "expected fail or ignore")
            }
            onError = parsed
        }
        let match = try Self.policyMatch(fields["match"], fail: { fail("match", $0, message: $1) })

        var compiler = CustomRuleCompiler(file: file, locator: locator)
        let matchConditions = try Self.namedExpressions(
            fields["matchConditions"], key: "matchConditions", base: base, compiler: compiler, expecting: .bool)
        var variables: [NamedExpression] = []
        for (index, item) in try Self.list(fields["variables"], key: "variables", base: base).enumerated() {
            let named = try Self.namedExpression(
                item, at: base / "variables" / index, compiler: compiler, expecting: nil, isVariable: true)
            guard !variables.contains(where: { $0.name == named.name }) else {
                throw fail("variables", String(index), "name", message: "variable '\(named.name)' is declared twice")
            }
            compiler.declare(variable: named.name, named.expression)
            variables.append(named)
        }
        let validationItems = try Self.list(fields["validations"], key: "validations", base: base)
        guard !validationItems.isEmpty else {
            throw fail("validations", message: "required: at least one validation with an expression")
        }
        var validations: [Validation] = []
        for (index, item) in validationItems.enumerated() {
            validations.append(try Self.validation(item, at: base / "validations" / index, compiler: compiler))
        }
        self.init(
            id: id, summary: summary, rationale: fields["rationale"]?.stringValue ?? "",
            remediation: fields["remediation"]?.stringValue ?? "", severity: severity, origin: .policy(file: file),
            match: match,
            matchConditions: matchConditions, variables: variables, validations: validations, onError: onError,
            params: .null, offlineLimitations: [])
    }

    private static func policyMatch(
        _ value: JSONValue?, fail: (String, String) -> CustomRuleError
    ) throws(CustomRuleError) -> CustomRuleMatch {
        var match = CustomRuleMatch()
        guard let value, !value.isNull else { return match }
        guard case .object(let fields) = value else { throw fail("", "expected a mapping with namespaces, names, kinds") }
        func strings(_ key: String) throws(CustomRuleError) -> [String] {
            guard let list = fields[key], !list.isNull else { return [] }
            guard case .array(let items) = list, items.allSatisfy({ $0.stringValue != nil }) else {
                throw fail(key, "expected a list of strings")
            }
            return items.compactMap(\.stringValue)
        }
        for key in fields.keys where !["namespaces", "names", "kinds", "operations"].contains(key) {
            throw fail(key, "unknown key (expected namespaces, names, kinds, operations)")
        }
        match.namespaces = try strings("namespaces")
        match.names = try strings("names")
        for kind in try strings("kinds") where kind != "HorizontalPodAutoscaler" {
            throw fail("kinds", "custom rules review HorizontalPodAutoscalers ('\(kind)' is read through `target`)")
        }
        let operations = try strings("operations")
        for operation in operations where !["CREATE", "UPDATE", "*"].contains(operation) {
            throw fail("operations", "expected CREATE or UPDATE, not '\(operation)'")
        }
        if !operations.isEmpty { match.operations = Set(operations) }
        return match
    }

    /// Refuses a member of `item` that is not among `known` (a misspelled `mesage` would otherwise be ignored).
    private static func checkKeys(
        of item: JSONValue, at pointer: JSONPointer, known: [String], _ compiler: CustomRuleCompiler
    ) throws(CustomRuleError) {
        guard case .object(let fields) = item else {
            throw CustomRuleError(pointer: pointer, position: compiler.locator?.position(of: pointer), message: "expected a mapping")
        }
        for key in fields.keys where !known.contains(key) {
            throw CustomRuleError(
                pointer: pointer / key, position: compiler.locator?.position(of: pointer / key),
                message: "unknown key (expected \(known.joined(separator: ", ")))")
        }
    }

    static func list(_ value: JSONValue?, key: String, base: JSONPointer) throws(CustomRuleError) -> [JSONValue] {
        guard let value, !value.isNull else { return [] }
        guard case .array(let items) = value else {
            throw CustomRuleError(pointer: base / key, position: nil, message: "expected a list")
        }
        return items
    }

    static func namedExpressions(
        _ value: JSONValue?, key: String, base: JSONPointer, compiler: CustomRuleCompiler, expecting: CELType?
    ) throws(CustomRuleError) -> [NamedExpression] {
        var named: [NamedExpression] = []
        for (index, item) in try list(value, key: key, base: base).enumerated() {
            named.append(try namedExpression(item, at: base / key / index, compiler: compiler, expecting: expecting))
        }
        return named
    }

    static func namedExpression(
        _ item: JSONValue, at pointer: JSONPointer, compiler: CustomRuleCompiler, expecting: CELType?,
        isVariable: Bool = false
    ) throws(CustomRuleError) -> NamedExpression {
        try checkKeys(of: item, at: pointer, known: ["name", "expression"], compiler)
        guard let name = item["name"]?.stringValue, !name.isEmpty else {
            throw CustomRuleError(pointer: pointer / "name", position: compiler.locator?.position(of: pointer), message: "required")
        }
        // A variable is read as `variables.NAME`, so its name is a CEL identifier; a match condition's name is only
        // a label (Kubernetes allows a qualified name such as not-batch).
        let isIdentifier = (name.first?.isLetter == true || name.first == "_")
            && name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        guard isIdentifier || !isVariable else {
            throw CustomRuleError(
                pointer: pointer / "name", position: compiler.locator?.position(of: pointer / "name"),
                message: "'\(name)' is not a CEL identifier")
        }
        return NamedExpression(
            name: name, expression: try compiler.compile(item, at: "/expression", in: pointer, expecting: expecting))
    }

    static func validation(_ item: JSONValue, at pointer: JSONPointer, compiler: CustomRuleCompiler)
        throws(CustomRuleError) -> Validation
    {
        try checkKeys(of: item, at: pointer, known: ["expression", "message", "messageExpression", "fieldPath", "reason"], compiler)
        let condition = try compiler.compile(item, at: "/expression", in: pointer, expecting: .bool)
        let messageExpression: Expression? = item["messageExpression"] == nil
            ? nil : try compiler.compile(item, at: "/messageExpression", in: pointer, expecting: .string)
        var fieldPath: JSONPointer?
        if let text = item["fieldPath"]?.stringValue {
            guard let parsed = JSONPointer(fieldPath: text) else {
                throw CustomRuleError(
                    pointer: pointer / "fieldPath", position: compiler.locator?.position(of: pointer / "fieldPath"),
                    message: "'\(text)' is not a field path such as spec.minReplicas or spec.metrics[0]")
            }
            fieldPath = parsed
        }
        return Validation(
            condition: condition, message: item["message"]?.stringValue, messageExpression: messageExpression,
            fieldPath: fieldPath)
    }
}
