import CEL

/// The rules engine: the one place verdicts come from, for the linter and the webhook alike.
///
/// Pure: the same objects, policy, resolver and kube version give the same findings.
public struct Engine: Sendable {
    public let policy: Policy
    public let kubeVersion: KubeVersion
    public let vantage: Mutator.Vantage

    /// The enabled rules with their severities, in registry order: looked up once, not per object.
    private let enabledRules: [EnabledRule]
    /// The parameters of each of `enabledRules`, at the same place.
    private let ruleParameters: [RuleParameters]
    /// The policy's enabled custom rules (CEL) with their severity.
    private let enabledCustomRules: [EnabledCustomRule]
    /// Which bindings those rules read, so that a review binds (and the webhook fetches) only those.
    private let customRuleReads: CustomRule.Reads
    /// The enabled live rules (the audit's) and their places in `enabledRules`.
    let enabledLiveRules: [(rule: any LiveRule, place: Int)]
    /// The ids of the enabled rules that read the mutation plan: it is planned for an object only when one of them
    /// runs on it.
    private let mutationPlanReaders: [String]

    /// A custom rule that runs, at its severity; a class: the loop over the custom rules of an object then retains
    /// one reference per rule instead of copying each field.
    private final class EnabledCustomRule: Sendable {
        let rule: CustomRule
        let severity: Severity

        init(_ rule: CustomRule, _ severity: Severity) {
            self.rule = rule
            self.severity = severity
        }
    }

    /// A rule that runs, at its severity. Nothing in it is counted: rules are stateless values and their ids
    /// literals, so reading one writes nothing to memory every thread shares (the parameters, which are counted,
    /// stay in `ruleParameters`).
    struct EnabledRule: Sendable {
        let rule: any Rule
        let id: String
        let severity: Severity
        /// What the rule reads (see `Rule`): each rule is asked only for what it checks, and a live rule, which
        /// checks nothing here, is not asked at all.
        let readsObjects: Bool
        let readsHPAs: Bool

        init(rule: any Rule, id: String, severity: Severity) {
            self.rule = rule
            self.id = id
            self.severity = severity
            readsObjects = type(of: rule).readsObjects
            readsHPAs = type(of: rule).readsHPAs
        }
    }

    public init(policy: Policy = .builtInDefaults, kubeVersion: KubeVersion = .newestStable, vantage: Mutator.Vantage = .manifest) {
        self.policy = policy
        self.kubeVersion = kubeVersion
        self.vantage = vantage
        let enabled = RuleRegistry.all.compactMap { rule -> (EnabledRule, RuleParameters)? in
            let id = rule.description.id
            guard let settings = policy.settings(for: id), settings.enabled else { return nil }
            return (EnabledRule(rule: rule.init(), id: id, severity: settings.severity), RuleParameters(settings.parameters))
        }
        enabledRules = enabled.map(\.0)
        ruleParameters = enabled.map(\.1)
        enabledCustomRules = policy.customRules.compactMap { rule in
            switch rule.origin {
            case .policy:
                guard let settings = policy.settings(for: rule.id), settings.enabled else { return nil }
                return EnabledCustomRule(rule, settings.severity)
            case .admissionPolicy:
                // The binding's validationActions decide; the policy file cannot name a rule it has not seen.
                return EnabledCustomRule(rule, rule.severity)
            }
        }
        customRuleReads = CustomRule.Reads(enabledCustomRules.map(\.rule))
        enabledLiveRules = enabled.indices.compactMap { place in enabled[place].0.rule.asLiveRule.map { ($0, place) } }
        mutationPlanReaders = enabledRules.filter { type(of: $0.rule).readsMutationPlan }.map(\.id)
    }

    /// The context of each rule run on one object: what they share, and each rule's parameters by its place.
    func ruleContextShared(target: TargetResolution, resolver: any WorkloadResolver) -> RuleContext.Shared {
        RuleContext.Shared(
            target: target, resolver: resolver, kubeVersion: kubeVersion, policy: policy, vantage: vantage,
            parameters: ruleParameters)
    }

    /// The rule at `place` in `enabledRules`.
    func enabledRule(at place: Int) -> EnabledRule { enabledRules[place] }

    /// Whether a custom rule that can run reads `namespaceObject`: only then does the webhook look the namespace up.
    public var customRulesReadNamespace: Bool { customRuleReads.namespaceObject }

    /// Whether a custom rule that can run reads `request.userInfo`: only then does the webhook decode it.
    public var customRulesReadUserInfo: Bool { customRuleReads.requestUserInfo }

    /// Whether a custom rule that can run reads `oldObject`: only then does the webhook build it for every UPDATE.
    public var customRulesReadOldObject: Bool { customRuleReads.oldObject }

    /// Whether a custom rule that can run reads `path` of `object` (`oldObject` when `old`), or a whole value that
    /// holds it: the webhook builds the parts no built-in rule reads (`metadata.managedFields`, `status`) only then.
    public func customRulesReadObject(below path: [String], old: Bool = false) -> Bool {
        customRuleReads.readsObject(below: path, old: old)
    }

    /// The mutation the policy's profiles plan for `object` (empty for objects that are not HPAs).
    public func mutationPlan(for object: ManifestObject, resolver: any WorkloadResolver) -> MutationPlan {
        Mutator(policy: policy).plan(for: object, resolver: resolver, vantage: vantage)
    }

    /// Every finding for every object in `objects`; HPA targets resolve through `resolver`.
    public func evaluate(_ objects: [ManifestObject], resolver: any WorkloadResolver) -> [Finding] {
        objects.flatMap { evaluate($0, resolver: resolver) }
    }

    /// The findings for one object: rules on every object, and for an HPA every HPA rule and custom rule.
    ///
    /// - Parameter attributes: the admission request the object arrives in (`request`, `oldObject` and
    ///   `namespaceObject` of custom rules); offline, a CREATE.
    public func evaluate(
        _ object: ManifestObject, resolver: any WorkloadResolver, attributes: AdmissionAttributes = .offline
    ) -> [Finding] {
        var findings: [Finding] = []
        let hpa = HPA(object)
        let target: TargetResolution = hpa.map { resolver.resolve($0.scaleTargetRef, namespace: object.namespace) }
            ?? .notFound(complete: false)
        let exempt = policy.exemptions(for: object)
        // Planned only when a rule that runs reads it, and from this HPA and target: one conversion per object.
        var plan = MutationPlan.none
        if let hpa, mutationPlanReaders.contains(where: { !exempt.covers($0) }) {
            plan = Mutator(policy: policy).plan(for: hpa, target: target, vantage: vantage)
        }
        func report(_ violations: [Violation], of place: Int) {
            let id = enabledRules[place].id
            for violation in violations {
                if case .elsewhere(let location) = violation.place, location.exemptions.covers(id) { continue }
                findings.append(finding(violation, rule: id, severity: enabledRules[place].severity, object: object, hpa: hpa))
            }
        }
        // The rules are read where they are in `enabledRules`, not copied out: a copy of a rule goes through its
        // type's value witnesses.
        guard let hpa else {
            for place in enabledRules.indices where enabledRules[place].readsObjects && !exempt.covers(enabledRules[place].id) {
                if let violations = enabledRules[place].rule.violations(ofObject: object) { report(violations, of: place) }
            }
            return findings
        }
        // Unwrapped once (an HPA is a dozen references to retain per copy), and one context for all rules.
        var context = RuleContext(shared: ruleContextShared(target: target, resolver: resolver), rulePlace: 0)
        for place in enabledRules.indices
        where (enabledRules[place].readsObjects || enabledRules[place].readsHPAs) && !exempt.covers(enabledRules[place].id) {
            // Reported one list at a time: most rules find nothing, and joining two empty lists is not free.
            if enabledRules[place].readsObjects, let violations = enabledRules[place].rule.violations(ofObject: object),
                !violations.isEmpty
            {
                report(violations, of: place)
            }
            guard enabledRules[place].readsHPAs else { continue }
            context.rulePlace = place
            if let violations = enabledRules[place].rule.violations(of: hpa, plan: plan, in: context), !violations.isEmpty {
                report(violations, of: place)
            }
        }
        if !enabledCustomRules.isEmpty {
            findings += customRuleFindings(hpa, target: target, attributes: attributes, exempt: exempt)
        }
        return findings
    }

    /// The custom rules' findings on `hpa`; its bindings are bound once, and only if a rule applies.
    private func customRuleFindings(
        _ hpa: HPA, target: TargetResolution, attributes: AdmissionAttributes, exempt: ObjectExemptions
    ) -> [Finding] {
        withUnsafeTemporaryAllocation(of: CELValue?.self, capacity: CustomRule.Bindings.count) { slots in
            slots.initialize(repeating: nil)
            // Emptied slot by slot, which releases each value with code made for CELValue; `deinitialize()` goes
            // through the generic value witnesses, several times slower. Nil needs no deinitialization.
            defer { for index in slots.indices { slots[index] = nil } }
            var findings: [Finding] = []
            var bindings: CustomRule.Bindings?
            let namespaceLabels = attributes.namespaceObject.map { ManifestObject(value: $0, file: "").labels }
            for enabled in enabledCustomRules
            where !exempt.covers(enabled.rule.id) && enabled.rule.applies(to: hpa.object, operation: attributes.operation) {
                let rule = enabled.rule
                if bindings == nil {
                    let targetObject = customRuleReads.target ? target.workload?.object.value : nil
                    bindings = CustomRule.Bindings(
                        slots: slots, hpa: hpa, targetObject: targetObject, attributes: attributes, reads: customRuleReads)
                }
                let outcome = rule.evaluate(bindings!, namespaceLabels: namespaceLabels)
                if !outcome.violations.isEmpty || !outcome.notes.isEmpty {
                    findings += self.findings(of: outcome, of: enabled, on: hpa)
                }
            }
            return findings
        }
    }

    /// The findings of one custom rule's outcome: apart from the path every review takes (see
    /// `CustomRule.evaluate`).
    @inline(never)
    private func findings(of outcome: CustomRule.Outcome, of enabled: EnabledCustomRule, on hpa: HPA) -> [Finding] {
        let rule = enabled.rule
        var findings = outcome.violations.map { violation in
            finding(violation, rule: rule.id, severity: enabled.severity, object: hpa.object, hpa: hpa)
        }
        for note in outcome.notes {
            findings.append(finding(
                Violation("\(rule.id) is only partly checked offline: \(note)", at: .root), rule: rule.id,
                severity: .info, object: hpa.object, hpa: hpa))
        }
        return findings
    }

    /// The finding of a rule whose findings a front end has the engine make (`duplicate-object`, which needs every
    /// input at once), with the policy's severity; nil when the rule is disabled or the object exempt from it.
    func finding(_ violation: Violation, rule: any Rule.Type, object: ManifestObject) -> Finding? {
        let id = rule.description.id
        guard let settings = policy.settings(for: id), settings.enabled, !policy.exemptions(for: object).covers(id)
        else { return nil }
        return finding(violation, rule: id, severity: settings.severity, object: object, hpa: nil)
    }

    /// A finding about a file rather than an object (it did not load, or was not fixed), with the policy's
    /// severity; nil when the rule is disabled.
    func frontEndFinding(_ rule: any Rule.Type, message: String, file: String, position: SourcePosition?) -> Finding? {
        let id = rule.description.id
        guard let settings = policy.settings(for: id), settings.enabled else { return nil }
        return Finding(rule: id, severity: settings.severity, message: message, file: file, position: position)
    }

    func finding(_ violation: Violation, rule: String, severity: Severity, object: ManifestObject, hpa: HPA?) -> Finding {
        let pointer: JSONPointer
        switch violation.place {
        case .converted(let internalPointer): pointer = hpa?.originalPointer(for: internalPointer) ?? internalPointer
        case .written(let writtenPointer): pointer = writtenPointer
        case .elsewhere(let location):
            return Finding(
                rule: rule, severity: severity, message: violation.message, file: location.file,
                position: location.position, path: location.pointer, object: location.object)
        }
        return Finding(
            rule: rule, severity: severity, message: violation.message, file: object.file,
            position: object.position(of: pointer), path: pointer, object: object.reference)
    }
}

