extension Engine {
    /// The live rules that run: enabled by the policy, in registry order.
    public var liveRules: [any LiveRule.Type] {
        RuleRegistry.all.compactMap { $0 as? any LiveRule.Type }.filter {
            policy.settings(for: $0.description.id)?.enabled ?? false
        }
    }

    /// The findings of the live rules for one HPA as the cluster reports it, with the policy's severities,
    /// parameters and exemptions (the spec rules run through `evaluate`, as for a manifest).
    public func evaluateLive(_ state: LiveHPAState, resolver: any WorkloadResolver) -> [Finding] {
        let object = state.hpa.object
        let exempt = policy.exemptions(for: object)
        let rules = liveRules.filter { !exempt.covers($0.description.id) }
        guard !rules.isEmpty else { return [] }
        let target = resolver.resolve(state.hpa.scaleTargetRef, namespace: object.namespace)
        var findings: [Finding] = []
        for rule in rules {
            let id = rule.description.id
            guard let settings = policy.settings(for: id) else { continue }
            var parameters: [String: JSONValue] = [:]
            for parameter in rule.description.parameters { parameters[parameter.name] = parameter.defaultValue }
            parameters.merge(settings.parameters) { _, set in set }
            let context = RuleContext(
                target: target, resolver: resolver, parameters: RuleParameters(parameters), kubeVersion: kubeVersion,
                policy: policy, vantage: vantage)
            findings += rule.init().check(state, in: context).compactMap { finding($0, rule: id, object: object) }
        }
        return findings
    }
}
