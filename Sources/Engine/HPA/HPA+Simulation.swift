/// What `hpaguard simulate` reads from the engine: the same load time and profile choice as the mutation.
extension HPA {
    /// The model load time the profiles would use: the `hpaguard.io/model-load-seconds` annotation (HPA, then
    /// target), else the target's startupProbe budget; nil when neither says. An annotation that does not parse
    /// is passed over, as the profiles do.
    public func modelLoadTime(workload: Workload?) -> (seconds: Int64, source: String)? {
        if case .known(let time) = ModelLoadTime.lookup(hpa: self, workload: workload, skippingInvalid: true) {
            return (time.seconds, time.source)
        }
        return nil
    }
}

extension Mutator {
    /// The profile `mutate` would choose for `hpa` (annotation, policy selector, detection), and why.
    public func selectedProfile(hpa: HPA, workload: Workload?) -> (profile: Profile, source: ProfileSource)? {
        selectProfile(hpa: hpa, workload: workload).map { (profile: $0.0, source: $0.1) }
    }
}
