/// One check. A rule is a small `Sendable` type whose description says everything a user needs: id, severity,
/// rationale, remediation, parameters, and examples that double as its tests.
///
/// What a rule reads is said by the protocols it conforms to, and the engine gives each only that: ``HPARule`` (an
/// HPA, after conversion and defaulting, with its target), ``ObjectRule`` (any object as written, not only HPAs),
/// ``ProfileRule`` (the mutation the policy's profiles plan for an HPA), ``LiveRule`` (an HPA as the cluster reports
/// it). A rule that conforms to none of them (`syntax-error`, `duplicate-object`, `fix-refused`) has its findings
/// made by the front end that sees what it is about: a file that does not load, every input at once, a fix.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()

    // How the engine runs the rule: provided by the protocols below from what the rule conforms to, never written
    // by a rule. They are requirements of `Rule` itself so that the engine calls them on the rule in place: a cast
    // to `any HPARule` would scan the binary's conformance records for each rule, and an optional existential per
    // kind would be copied through its value witnesses on every call.

    /// What the rule finds on an HPA; nil when it checks none (it is neither an ``HPARule`` nor a ``ProfileRule``).
    func violations(of hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation]?
    /// What the rule finds on any object; nil unless it is an ``ObjectRule``.
    func violations(ofObject object: ManifestObject) -> [Violation]?
    /// True for a ``ProfileRule``: the engine plans the mutation of an object only when one runs on it.
    static var readsMutationPlan: Bool { get }
    /// True for an ``ObjectRule``: the engine asks only those for `violations(ofObject:)`.
    static var readsObjects: Bool { get }
    /// True for an ``HPARule`` or a ``ProfileRule``: the engine asks only those for `violations(of:plan:in:)`.
    static var readsHPAs: Bool { get }
    /// The rule as a ``LiveRule``, which the audit runs; nil for the others.
    var asLiveRule: (any LiveRule)? { get }
}

extension Rule {
    public func violations(of hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation]? { nil }
    public func violations(ofObject object: ManifestObject) -> [Violation]? { nil }
    public static var readsMutationPlan: Bool { false }
    public static var readsObjects: Bool { false }
    public static var readsHPAs: Bool { false }
    public var asLiveRule: (any LiveRule)? { nil }
}

/// A rule about an HPA: the violations of `hpa` (pointers are internal, autoscaling/v2 pointers unless the
/// violation says it points into the object as written).
public protocol HPARule: Rule {
    func check(_ hpa: HPA, in context: RuleContext) -> [Violation]
}

extension HPARule {
    public func violations(of hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation]? {
        check(hpa, in: context)
    }

    public static var readsHPAs: Bool { true }
}

/// A rule about any object, as written (duplicate keys, a removed apiVersion, a KEDA trigger): run on every object,
/// HPAs included.
public protocol ObjectRule: Rule {
    func check(object: ManifestObject) -> [Violation]
}

extension ObjectRule {
    public func violations(ofObject object: ManifestObject) -> [Violation]? { check(object: object) }

    public static var readsObjects: Bool { true }
}

/// A rule about what the policy's profiles would change on an HPA: it reads the mutation plan, which the engine
/// makes for an object only when one of these runs on it. A rule is a profile rule or an HPA rule, not both (the
/// engine would have two ways to run it).
public protocol ProfileRule: Rule {
    func check(_ hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation]
}

extension ProfileRule {
    public func violations(of hpa: HPA, plan: MutationPlan, in context: RuleContext) -> [Violation]? {
        check(hpa, plan: plan, in: context)
    }

    public static var readsMutationPlan: Bool { true }
    public static var readsHPAs: Bool { true }
}

/// What a rule found, before the engine attaches id, severity and place.
public struct Violation: Sendable, Hashable {
    public enum Place: Sendable, Hashable {
        /// A pointer into the internal v2 spec, mapped back to the version as written.
        case converted(JSONPointer)
        /// A pointer into the object exactly as written.
        case written(JSONPointer)
        /// A pointer into another object the rule read, such as the target workload or a PodDisruptionBudget:
        /// the finding is reported in that object's file, at its line, and names that object, because that is
        /// where the user has to make the change.
        case elsewhere(ObjectLocation)
    }

    /// Where in another object a violation points, resolved when the violation is made.
    public struct ObjectLocation: Sendable, Hashable {
        public let file: String
        public let object: ObjectReference
        public let pointer: JSONPointer
        public let position: SourcePosition?
        /// The rules that object's own `hpaguard.io/ignore` annotation silences: a finding that points into it is
        /// dropped for those, since the change it asks for would be made there.
        public let exemptions: ObjectExemptions
    }

    public var place: Place
    public var message: String

    public init(_ message: String, at pointer: JSONPointer) {
        self.place = .converted(pointer)
        self.message = message
    }

    public init(_ message: String, atWritten pointer: JSONPointer) {
        self.place = .written(pointer)
        self.message = message
    }

    /// A violation that points into `object` (not the HPA being checked) at `pointer`, relative to that object.
    public init(_ message: String, in object: ManifestObject, at pointer: JSONPointer) {
        self.place = .elsewhere(ObjectLocation(
            file: object.file, object: object.reference, pointer: pointer, position: object.position(of: pointer),
            exemptions: ObjectExemptions(annotatedOn: object)))
        self.message = message
    }
}

/// Which part of the product a rule belongs to; shown by `hpaguard rules`.
public enum RuleCategory: String, Sendable, CaseIterable {
    case schema = "schema"
    case apiServer = "api-server"
    case crossObject = "cross-object"
    case mlServing = "ml-serving"
    case bestPractice = "best-practice"
    /// How the HPA behaves in the cluster: its status and events, read by `hpaguard audit`.
    case live = "live"
    /// A policy's own rule in CEL, or a ValidatingAdmissionPolicy.
    case custom = "custom"
}

/// A tunable of a rule, set in the policy under `rules.<id>.parameters`.
public struct RuleParameter: Sendable {
    public enum Kind: String, Sendable {
        case integer, number, string, boolean, stringList = "string list"

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.integer, _): return value.integerValue != nil
            case (.number, .int), (.number, .double): return true
            case (.string, .string), (.boolean, .bool): return true
            case (.stringList, .array(let items)): return items.allSatisfy { $0.stringValue != nil }
            default: return false
            }
        }
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: JSONValue
    public let summary: String
    /// Checks a value of the right kind further (the format of list entries); returns what is wrong, which the
    /// policy loader reports as an invalid policy.
    public let validate: (@Sendable (JSONValue) -> String?)?

    public init(
        _ name: String, _ kind: Kind, default defaultValue: JSONValue, _ summary: String,
        validate: (@Sendable (JSONValue) -> String?)? = nil
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
        self.validate = validate
    }
}

/// A manifest that shows a rule at work. `↓` marks each place a finding of the rule must point at (the position of
/// the key or item that follows it); a valid example has no marker and must yield no finding of the rule.
public struct Example: Sendable {
    public let manifest: String
    /// A policy (YAML) to apply instead of the default one, for examples of parameters.
    public let policy: String?
    public let kubeVersion: String?
    public let file: StaticString
    public let line: UInt

    public init(
        _ manifest: String, policy: String? = nil, kubeVersion: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        self.manifest = manifest
        self.policy = policy
        self.kubeVersion = kubeVersion
        self.file = file
        self.line = line
    }

    public static let marker: Character = "↓"
}

public struct RuleDescription: Sendable {
    public let id: String
    public let summary: String
    public let rationale: String
    public let remediation: String
    public let category: RuleCategory
    public let defaultSeverity: Severity
    public let parameters: [RuleParameter]
    public let validExamples: [Example]
    public let invalidExamples: [Example]

    public init(
        id: String, summary: String, rationale: String, remediation: String, category: RuleCategory,
        defaultSeverity: Severity, parameters: [RuleParameter] = [], validExamples: [Example], invalidExamples: [Example]
    ) {
        self.id = id
        self.summary = summary
        self.rationale = rationale
        self.remediation = remediation
        self.category = category
        self.defaultSeverity = defaultSeverity
        self.parameters = parameters
        self.validExamples = validExamples
        self.invalidExamples = invalidExamples
    }
}

/// Everything a rule may read besides the HPA itself.
///
/// The engine makes one per object and moves it from rule to rule, so it holds a single reference, to what the
/// object's rules share: the rule's parameters are found there by the rule's place. Parameters and rules live as long as the engine and every
/// review on every thread reads them; a count kept on them per rule would be written by all of those threads.
public struct RuleContext: Sendable {
    /// What every rule run on one object reads alike, made once per object.
    final class Shared: Sendable {
        let target: TargetResolution
        let resolver: any WorkloadResolver
        let kubeVersion: KubeVersion
        let settings: PolicySettings
        let policy: Policy
        let vantage: Mutator.Vantage
        /// Each rule's parameters, at the rule's place among the engine's enabled rules.
        let parameters: [RuleParameters]

        init(
            target: TargetResolution, resolver: any WorkloadResolver, kubeVersion: KubeVersion, policy: Policy,
            vantage: Mutator.Vantage, parameters: [RuleParameters]
        ) {
            self.target = target
            self.resolver = resolver
            self.kubeVersion = kubeVersion
            self.settings = policy.settings
            self.policy = policy
            self.vantage = vantage
            self.parameters = parameters
        }
    }

    private let shared: Shared
    /// Moved from rule to rule by the engine: one context for all the rules run on an object, so that none of them
    /// counts a reference to `shared` again.
    var rulePlace: Int

    public var parameters: RuleParameters { shared.parameters[rulePlace] }
    public var target: TargetResolution { shared.target }
    public var resolver: any WorkloadResolver { shared.resolver }
    public var kubeVersion: KubeVersion { shared.kubeVersion }
    public var settings: PolicySettings { shared.settings }
    /// The whole policy, for rules that plan mutations with its profiles.
    public var policy: Policy { shared.policy }
    /// Whether the object came from a manifest (the linter) or an admission request (defaults already applied).
    public var vantage: Mutator.Vantage { shared.vantage }

    public init(
        target: TargetResolution, resolver: any WorkloadResolver, parameters: RuleParameters,
        kubeVersion: KubeVersion, policy: Policy, vantage: Mutator.Vantage = .manifest
    ) {
        self.init(
            shared: Shared(
                target: target, resolver: resolver, kubeVersion: kubeVersion, policy: policy, vantage: vantage,
                parameters: [parameters]),
            rulePlace: 0)
    }

    /// The context of the rule at `rulePlace` in `shared.parameters`.
    init(shared: Shared, rulePlace: Int) {
        self.shared = shared
        self.rulePlace = rulePlace
    }

    /// The target workload, when it was found.
    public var workload: Workload? { target.workload }
}

/// A rule's parameters: the policy's values over the rule's defaults.
///
/// A class: a rule reads its parameters through its context, and a copy of a reference is one count where a copy of
/// the two tables would be two.
public final class RuleParameters: Sendable {
    let values: [String: JSONValue]
    /// `strings(name)` lowercased, for every list: made once per engine rather than per object.
    private let lowercasedLists: [String: [String]]

    public init(_ values: [String: JSONValue]) {
        self.values = values
        lowercasedLists = values.compactMapValues { $0.arrayValue?.compactMap(\.stringValue).map { $0.lowercased() } }
    }

    public func integer(_ name: String) -> Int64 { values[name]?.integerValue ?? 0 }
    public func number(_ name: String) -> Double {
        switch values[name] {
        case .int(let value)?: return Double(value)
        case .double(let value)?: return value
        default: return 0
        }
    }
    public func string(_ name: String) -> String { values[name]?.stringValue ?? "" }
    public func bool(_ name: String) -> Bool { values[name]?.boolValue ?? false }
    public func strings(_ name: String) -> [String] { values[name]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    /// `strings(name).map { $0.lowercased() }`, computed when the parameters were made.
    public func lowercasedStrings(_ name: String) -> [String] { lowercasedLists[name] ?? [] }
}

/// A Kubernetes minor release, for `--kube-version`.
public struct KubeVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    /// The newest stable release; `hpaguard --version` prints it.
    public static let newestStable = KubeVersion(major: 1, minor: 36)

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses "1.36", "v1.36" or "1.36.2".
    public init?(_ text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".")
        guard parts.count >= 2, parts.count <= 3, let major = Int(parts[0]), let minor = Int(parts[1]),
            parts.count < 3 || Int(parts[2]) != nil
        else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: KubeVersion, rhs: KubeVersion) -> Bool { (lhs.major, lhs.minor) < (rhs.major, rhs.minor) }
}
