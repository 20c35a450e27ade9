extension Engine {
    /// The live rules that run: enabled by the policy, in registry order.
    public var liveRules: [any LiveRule.Type] { enabledLiveRules.map { type(of: $0.rule) } }

    /// The findings of the live rules for one HPA as the cluster reports it, with the policy's severities,
    /// parameters and exemptions (the spec rules run through `evaluate`, as for a manifest).
    public func evaluateLive(_ state: LiveHPAState, resolver: any WorkloadResolver) -> [Finding] {
        let object = state.hpa.object
        let exempt = policy.exemptions(for: object)
        let rules = enabledLiveRules.filter { !exempt.covers(enabledRule(at: $0.place).id) }
        guard !rules.isEmpty else { return [] }
        let target = resolver.resolve(state.hpa.scaleTargetRef, namespace: object.namespace)
        var context = RuleContext(shared: ruleContextShared(target: target, resolver: resolver), rulePlace: 0)
        var findings: [Finding] = []
        for (rule, place) in rules {
            let enabled = enabledRule(at: place)
            context.rulePlace = place
            for violation in rule.check(state, in: context) {
                if case .elsewhere(let location) = violation.place, location.exemptions.covers(enabled.id) { continue }
                findings.append(finding(violation, rule: enabled.id, severity: enabled.severity, object: object, hpa: nil))
            }
        }
        return findings
    }
}
