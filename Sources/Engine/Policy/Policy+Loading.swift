/// Why a policy file was refused; the message names the file, line and key.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let position: SourcePosition?
    public let key: String
    public let message: String

    package init(file: String, position: SourcePosition?, key: String, message: String) {
        self.file = file
        self.position = position
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = position.map { "\(file):\($0.line):\($0.column)" } ?? file
        return "\(place): invalid policy at '\(key)': \(message)"
    }
}

extension Policy {
    /// The policy `value` (read from `file`) laid over `base`.
    ///
    /// - Throws: `PolicyError` for an unknown key or rule id, a wrongly typed value, or an unknown severity.
    public init(
        _ value: JSONValue, file: String, locator: (any SourceLocating)? = nil, over base: Policy = .builtInDefaults
    ) throws(PolicyError) {
        self = base
        func fail(_ pointer: JSONPointer, _ message: String) -> PolicyError {
            PolicyError(file: file, position: locator?.position(of: pointer), key: pointer.fieldPath, message: message)
        }
        if value.isNull { return }
        guard case .object(let root) = value else { throw fail(.root, "a policy is a mapping") }
        let known: Set<String> = [
            "apiVersion", "kind", "metadata", "rules", "exemptions", "settings", "workloadKinds", "profiles", "customRules",
        ]
        for member in root where !known.contains(member.key) {
            throw fail(JSONPointer.root / member.key, "unknown key (expected one of \(known.sorted().joined(separator: ", ")))")
        }
        if let kind = root["kind"], kind.stringValue != "Policy" {
            throw fail("/kind", "expected kind: Policy")
        }
        // Before `rules` and `exemptions`, which may name them.
        if let custom = root["customRules"], !custom.isNull {
            try applyCustomRules(custom, file: file, locator: locator, fail: fail)
        }
        if let rules = root["rules"], !rules.isNull {
            guard case .object(let ruleEntries) = rules else { throw fail("/rules", "expected a mapping of rule ids") }
            for entry in ruleEntries {
                let pointer = JSONPointer(tokens: ["rules", entry.key])
                guard let description = ruleDescription(of: entry.key) else {
                    throw fail(pointer, "unknown rule id '\(entry.key)' (see `hpaguard rules`)")
                }
                try applyRuleSettings(entry.value, to: description, at: pointer, fail: fail)
            }
        }
        if let exemptionList = root["exemptions"], !exemptionList.isNull {
            guard case .array(let items) = exemptionList else { throw fail("/exemptions", "expected a list") }
            for (index, item) in items.enumerated() {
                let pointer = JSONPointer(tokens: ["exemptions", String(index)])
                guard case .object(let fields) = item else { throw fail(pointer, "expected a mapping") }
                for field in fields where !["namespaces", "names", "rules", "reason"].contains(field.key) {
                    throw fail(pointer / field.key, "unknown key (expected namespaces, names, rules, reason)")
                }
                func strings(_ key: String) throws(PolicyError) -> [String] {
                    guard let value = fields[key], !value.isNull else { return [] }
                    guard case .array(let list) = value, list.allSatisfy({ $0.stringValue != nil }) else {
                        throw fail(pointer / key, "expected a list of strings")
                    }
                    return list.compactMap(\.stringValue)
                }
                let rules = try strings("rules")
                guard !rules.isEmpty else { throw fail(pointer / "rules", "an exemption names the rules it lifts (or \"*\")") }
                for (ruleIndex, rule) in rules.enumerated() where rule != "*" && ruleDescription(of: rule) == nil {
                    throw fail(pointer / "rules" / ruleIndex, "unknown rule id '\(rule)'")
                }
                exemptions.append(Exemption(namespaces: try strings("namespaces"), names: try strings("names"), rules: rules))
            }
        }
        if let settingsValue = root["settings"], !settingsValue.isNull {
            guard case .object(let fields) = settingsValue else { throw fail("/settings", "expected a mapping") }
            for field in fields {
                switch field.key {
                case "scaleToZero":
                    guard let flag = field.value.boolValue else { throw fail("/settings/scaleToZero", "expected true or false") }
                    settings.scaleToZero = flag
                default:
                    throw fail(JSONPointer(tokens: ["settings", field.key]), "unknown setting (expected scaleToZero)")
                }
            }
        }
        if let profilesValue = root["profiles"], !profilesValue.isNull {
            try applyProfiles(profilesValue, file: file, locator: locator, fail: fail)
        }
        if let kinds = root["workloadKinds"], !kinds.isNull {
            guard case .array(let items) = kinds else { throw fail("/workloadKinds", "expected a list") }
            for (index, item) in items.enumerated() {
                let pointer = JSONPointer(tokens: ["workloadKinds", String(index)])
                guard let apiVersion = item["apiVersion"]?.stringValue, let kind = item["kind"]?.stringValue else {
                    throw fail(pointer, "a workload kind needs apiVersion and kind")
                }
                guard case .array(let paths)? = item["podTemplatePaths"], paths.allSatisfy({ $0.stringValue?.hasPrefix("/") == true })
                else { throw fail(pointer / "podTemplatePaths", "expected a list of JSON pointers such as /spec/template") }
                let workloadKind = WorkloadKind(
                    group: APIVersion(apiVersion).group, kind: kind,
                    podTemplatePaths: paths.compactMap(\.stringValue).map { JSONPointer($0) })
                settings.workloadKinds.removeAll { $0.group == workloadKind.group && $0.kind == workloadKind.kind }
                settings.workloadKinds.append(workloadKind)
            }
        }
    }

    private mutating func applyCustomRules(
        _ value: JSONValue, file: String, locator: (any SourceLocating)?, fail: (JSONPointer, String) -> PolicyError
    ) throws(PolicyError) {
        guard case .array(let items) = value else { throw fail("/customRules", "expected a list of rules") }
        for (index, item) in items.enumerated() {
            let rule: CustomRule
            do {
                rule = try CustomRule(policyEntry: item, at: JSONPointer(tokens: ["customRules", String(index)]), file: file, locator: locator)
            } catch {
                throw PolicyError(file: file, position: error.position, key: error.pointer.fieldPath, message: error.message)
            }
            if RuleRegistry.description(of: rule.id) != nil {
                throw fail(JSONPointer(tokens: ["customRules", String(index), "id"]), "'\(rule.id)' is a built-in rule's id")
            }
            if customRules.contains(where: { $0.id == rule.id }) {
                throw fail(JSONPointer(tokens: ["customRules", String(index), "id"]), "'\(rule.id)' is defined twice")
            }
            customRules.append(rule)
            rules[rule.id] = RuleSettings(enabled: true, severity: rule.severity, parameters: [:])
        }
    }

    private mutating func applyProfiles(
        _ value: JSONValue, file: String, locator: (any SourceLocating)?, fail: (JSONPointer, String) -> PolicyError
    ) throws(PolicyError) {
        guard case .object(let fields) = value else { throw fail("/profiles", "expected a mapping with detect, selectors, definitions") }
        for field in fields where !["detect", "selectors", "definitions"].contains(field.key) {
            throw fail(JSONPointer(tokens: ["profiles", field.key]), "unknown key (expected detect, selectors, definitions)")
        }
        if let detect = fields["detect"], !detect.isNull {
            guard let flag = detect.boolValue else { throw fail("/profiles/detect", "expected true or false") }
            detectProfiles = flag
        }
        if let definitions = fields["definitions"], !definitions.isNull {
            guard case .array(let items) = definitions else { throw fail("/profiles/definitions", "expected a list of profiles") }
            var defined: [Profile] = []
            for (index, item) in items.enumerated() {
                let base = JSONPointer(tokens: ["profiles", "definitions", String(index)])
                let profile = try Profile(item, file: file, locator: locator.map { OffsetLocator(base: base, inner: $0) })
                defined.append(profile)
            }
            let names = Set(defined.map(\.name))
            profiles = defined + profiles.filter { !names.contains($0.name) }
        }
        if let selectors = fields["selectors"], !selectors.isNull {
            guard case .array(let items) = selectors else { throw fail("/profiles/selectors", "expected a list") }
            for (index, item) in items.enumerated() {
                let pointer = JSONPointer(tokens: ["profiles", "selectors", String(index)])
                guard case .object(let entry) = item else { throw fail(pointer, "expected a mapping") }
                for key in entry.keys where !["namespaces", "labels", "profile"].contains(key) {
                    throw fail(pointer / key, "unknown key (expected namespaces, labels, profile)")
                }
                guard let name = entry["profile"]?.stringValue else { throw fail(pointer / "profile", "required") }
                guard profile(named: name) != nil else {
                    throw fail(pointer / "profile", "unknown profile '\(name)' (known: \(profiles.map(\.name).joined(separator: ", ")))")
                }
                var namespaces: [String] = []
                if let list = entry["namespaces"], !list.isNull {
                    guard case .array(let values) = list, values.allSatisfy({ $0.stringValue != nil }) else {
                        throw fail(pointer / "namespaces", "expected a list of strings")
                    }
                    namespaces = values.compactMap(\.stringValue)
                }
                var labels: [String: String] = [:]
                if let map = entry["labels"], !map.isNull {
                    guard case .object(let pairs) = map, pairs.allSatisfy({ $0.value.stringValue != nil }) else {
                        throw fail(pointer / "labels", "expected a mapping of strings")
                    }
                    for pair in pairs { labels[pair.key] = pair.value.stringValue }
                }
                profileSelectors.append(ProfileSelector(namespaces: namespaces, labels: labels, profile: name))
            }
        }
    }

    private mutating func applyRuleSettings(
        _ value: JSONValue, to description: RuleDescription, at pointer: JSONPointer,
        fail: (JSONPointer, String) -> PolicyError
    ) throws(PolicyError) {
        var current = rules[description.id]
            ?? RuleSettings(enabled: true, severity: description.defaultSeverity, parameters: [:])
        switch value {
        case .bool(let enabled):
            current.enabled = enabled
        case .string(let severity):
            guard let parsed = Severity(rawValue: severity) else { throw fail(pointer, "unknown severity '\(severity)' (error, warning, info)") }
            current.severity = parsed
        case .object(let fields):
            for field in fields {
                switch field.key {
                case "enabled":
                    guard let enabled = field.value.boolValue else { throw fail(pointer / "enabled", "expected true or false") }
                    current.enabled = enabled
                case "severity":
                    guard let text = field.value.stringValue, let severity = Severity(rawValue: text) else {
                        throw fail(pointer / "severity", "expected error, warning or info")
                    }
                    current.severity = severity
                case "parameters":
                    guard case .object(let parameters) = field.value else { throw fail(pointer / "parameters", "expected a mapping") }
                    for parameter in parameters {
                        let parameterPointer = pointer / "parameters" / parameter.key
                        guard let spec = description.parameters.first(where: { $0.name == parameter.key }) else {
                            let known = description.parameters.map(\.name)
                            throw fail(parameterPointer, known.isEmpty
                                ? "rule '\(description.id)' takes no parameters"
                                : "unknown parameter (expected \(known.joined(separator: ", ")))")
                        }
                        guard spec.kind.accepts(parameter.value) else {
                            throw fail(parameterPointer, "expected \(spec.kind.rawValue), got \(parameter.value.typeName)")
                        }
                        if let problem = spec.validate?(parameter.value) { throw fail(parameterPointer, problem) }
                        current.parameters[parameter.key] = parameter.value
                    }
                default:
                    throw fail(pointer / field.key, "unknown key (expected enabled, severity, parameters)")
                }
            }
        default:
            throw fail(pointer, "expected a mapping with enabled, severity and parameters")
        }
        rules[description.id] = current
    }
}

/// Positions for a sub-document (a profile inside a policy file): pointers are relative to `base`.
struct OffsetLocator: SourceLocating {
    let base: JSONPointer
    let inner: any SourceLocating

    func position(of pointer: JSONPointer) -> SourcePosition? { inner.position(of: base.appending(pointer)) }

    func position(inScalarAt pointer: JSONPointer, line: Int, column: Int) -> SourcePosition? {
        inner.position(inScalarAt: base.appending(pointer), line: line, column: column)
    }
}
