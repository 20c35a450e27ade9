/// What a policy file says: which rules run, at which severity, with which parameters, and what is exempt.
///
/// A user's policy is laid over the embedded default (`policies/default.yaml`): rules it does not name keep their
/// default settings.
public struct Policy: Sendable {
    public struct RuleSettings: Sendable {
        public var enabled: Bool
        public var severity: Severity
        public var parameters: [String: JSONValue]
    }

    public struct Exemption: Sendable {
        /// Glob patterns (`*`, `?`) on the namespace; empty matches every namespace.
        public var namespaces: [String]
        /// Glob patterns on the object name; empty matches every name.
        public var names: [String]
        /// Rule ids; `*` means all.
        public var rules: [String]

        func appliesTo(namespace: String?, name: String?) -> Bool {
            Policy.matches(namespaces: namespaces, names: names, namespace: namespace, name: name)
        }
    }

    public var rules: [String: RuleSettings]
    public var exemptions: [Exemption]
    public var settings: PolicySettings
    /// ML scaling profiles, in the order detection tries them: the policy's own first, then the built-in ones.
    public var profiles: [Profile] = []
    /// Namespace and label rules that pick a profile, tried in order after the HPA's own annotation.
    public var profileSelectors: [ProfileSelector] = []
    /// Whether a profile may be chosen from what the target runs (model server, accelerators).
    public var detectProfiles = true
    /// Rules in CEL: the policy's `customRules`, and ValidatingAdmissionPolicies a front end adds
    /// (`adding(customRules:)`).
    public internal(set) var customRules: [CustomRule] = []

    /// A built-in rule's or a custom rule's description, by id.
    public func ruleDescription(of id: String) -> RuleDescription? {
        RuleRegistry.description(of: id) ?? customRules.first { $0.id == id }?.description
    }

    /// This policy with `added` as custom rules: admission policies read from the inputs, each at the severity its
    /// binding gives (several bindings of one policy share its `vap:NAME` id). A rule whose id a built-in or policy
    /// rule has is left out.
    public func adding(customRules added: [CustomRule]) -> Policy {
        var policy = self
        for rule in added
        where RuleRegistry.description(of: rule.id) == nil && !customRules.contains(where: { $0.id == rule.id }) {
            policy.customRules.append(rule)
        }
        return policy
    }

    public func profile(named name: String) -> Profile? { profiles.first { $0.name == name } }

    /// Every registered rule at its default settings, nothing exempt.
    public static var builtInDefaults: Policy {
        var rules: [String: RuleSettings] = [:]
        for rule in RuleRegistry.all {
            let description = rule.description
            var parameters: [String: JSONValue] = [:]
            for parameter in description.parameters { parameters[parameter.name] = parameter.defaultValue }
            rules[description.id] = RuleSettings(enabled: true, severity: description.defaultSeverity, parameters: parameters)
        }
        return Policy(rules: rules, exemptions: [], settings: PolicySettings())
    }

    public func settings(for rule: String) -> RuleSettings? { rules[rule] }

    /// True when the policy or the object's `hpaguard.io/ignore` annotation exempts the object from `rule`.
    public func isExempt(rule: String, object: ManifestObject) -> Bool {
        exemptions(for: object).covers(rule)
    }

    /// The exemptions that apply to `object`, worked out once for all rules.
    public func exemptions(for object: ManifestObject) -> ObjectExemptions {
        var rules = ObjectExemptions(annotatedOn: object).rules
        for exemption in exemptions where exemption.appliesTo(namespace: object.namespace, name: object.name) {
            rules.formUnion(exemption.rules)
        }
        return ObjectExemptions(rules: rules)
    }
}

/// The rules one object is exempt from, by policy or by its `hpaguard.io/ignore` annotation.
public struct ObjectExemptions: Sendable, Hashable {
    let rules: Set<String>

    init(rules: Set<String>) { self.rules = rules }

    /// The rules `object`'s own `hpaguard.io/ignore` annotation names.
    init(annotatedOn object: ManifestObject) {
        var rules: Set<String> = []
        if let ignored = object.value["metadata"]?["annotations"]?[PolicyAnnotation.ignore]?.stringValue {
            for id in ignored.split(separator: ",") { rules.insert(id.trimmingCharacters(in: " ")) }
        }
        self.rules = rules
    }

    public func covers(_ rule: String) -> Bool {
        !rules.isEmpty && (rules.contains(rule) || rules.contains("*") || rules.contains("all"))
    }
}

/// Picks a profile for HPAs in matching namespaces with matching labels.
public struct ProfileSelector: Sendable, CustomStringConvertible {
    public var namespaces: [String]
    public var labels: [String: String]
    public var profile: String

    public func matches(_ object: ManifestObject) -> Bool {
        let namespaceMatches = namespaces.isEmpty || namespaces.contains { glob($0, matches: object.namespace ?? "default") }
        let objectLabels = object.labels
        return namespaceMatches && labels.allSatisfy { objectLabels[$0.key] == $0.value }
    }

    public var description: String {
        var parts: [String] = []
        if !namespaces.isEmpty { parts.append("namespaces \(namespaces.joined(separator: ","))") }
        if !labels.isEmpty { parts.append("labels " + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")) }
        return parts.isEmpty ? "every HPA" : parts.joined(separator: ", ")
    }
}

/// Settings of the cluster the policy is written for.
public struct PolicySettings: Sendable {
    /// The `HPAScaleToZero` feature gate: minReplicas 0 is allowed with an Object or External metric.
    public var scaleToZero: Bool = false
    public var workloadKinds: [WorkloadKind] = WorkloadKind.builtIn

    public init(scaleToZero: Bool = false, workloadKinds: [WorkloadKind] = WorkloadKind.builtIn) {
        self.scaleToZero = scaleToZero
        self.workloadKinds = workloadKinds
    }
}

public enum PolicyAnnotation {
    /// A comma-separated list of rule ids (or `*`) that do not apply to the object.
    public static let ignore = "hpaguard.io/ignore"
    /// How long the model server takes to become ready, in seconds.
    public static let modelLoadSeconds = "hpaguard.io/model-load-seconds"
}

extension Policy {
    /// Whether an object in `namespace` named `name` matches glob patterns on both (an empty list matches all; no
    /// namespace is `default`): what exemptions and custom rules' `match` select by.
    static func matches(namespaces: [String], names: [String], namespace: String?, name: String?) -> Bool {
        let namespaceMatches = namespaces.isEmpty || namespaces.contains { glob($0, matches: namespace ?? "default") }
        let nameMatches = names.isEmpty || names.contains { glob($0, matches: name ?? "") }
        return namespaceMatches && nameMatches
    }
}

/// Shell-style glob: `*` any run, `?` one character; the whole string must match.
func glob(_ pattern: String, matches text: String) -> Bool {
    // ASCII (names and namespaces in practice): a byte is a character, and the bytes are compared in place.
    let inPlace = pattern.utf8.withContiguousStorageIfAvailable { pattern in
        text.utf8.withContiguousStorageIfAvailable { text -> Bool? in
            guard pattern.allSatisfy({ $0 < 0x80 }), text.allSatisfy({ $0 < 0x80 }) else { return nil }
            return globMatch(pattern, text, anyRun: UInt8(ascii: "*"), anyOne: UInt8(ascii: "?"))
        }
    }
    if let inPlace, let inPlace, let matched = inPlace { return matched }
    return globMatch(Array(pattern.unicodeScalars), Array(text.unicodeScalars), anyRun: "*", anyOne: "?")
}

private func globMatch<Characters: RandomAccessCollection>(
    _ pattern: Characters, _ text: Characters, anyRun: Characters.Element, anyOne: Characters.Element
) -> Bool where Characters.Element: Equatable, Characters.Index == Int {
    var p = pattern.startIndex
    var t = text.startIndex
    var starP = -1
    var starT = 0
    while t < text.endIndex {
        if p < pattern.endIndex, pattern[p] == anyOne || pattern[p] == text[t] {
            p += 1
            t += 1
        } else if p < pattern.endIndex, pattern[p] == anyRun {
            starP = p
            starT = t
            p += 1
        } else if starP >= 0 {
            p = starP + 1
            starT += 1
            t = starT
        } else {
            return false
        }
    }
    while p < pattern.endIndex, pattern[p] == anyRun { p += 1 }
    return p == pattern.endIndex
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var view = Substring(self)
        while view.first == set { view = view.dropFirst() }
        while view.last == set { view = view.dropLast() }
        return String(view)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}
