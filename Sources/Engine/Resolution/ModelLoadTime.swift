/// How long a new replica takes to load its model and become ready, and where hpaguard read it.
///
/// Read by the rules and by the mutation profiles alike: the `hpaguard.io/model-load-seconds` annotation on the
/// HPA, then on the target, in whole seconds; otherwise the target's startupProbe budget
/// (`Workload.startupBudgetSeconds`).
struct ModelLoadTime {
    let seconds: Int64
    /// "the HPA's hpaguard.io/model-load-seconds annotation", "the target's startupProbe budget".
    let source: String

    enum Lookup {
        case known(ModelLoadTime)
        /// The annotation is there but is not a positive whole number of seconds, so the profiles ignore it too;
        /// `object` is the HPA's or the target's.
        case invalidAnnotation(String, object: ManifestObject)
        case unknown
    }

    static let annotationPointer = JSONPointer(tokens: ["metadata", "annotations", PolicyAnnotation.modelLoadSeconds])

    /// - Parameter skippingInvalid: pass over an annotation that does not parse (the profiles do) instead of
    ///   reporting it (the rules do).
    static func lookup(hpa: HPA, workload: Workload?, skippingInvalid: Bool = false) -> Lookup {
        for (object, owner) in [(hpa.object, "the HPA's"), (workload?.object, "the target's")] {
            guard let object, let text = object.annotation(PolicyAnnotation.modelLoadSeconds) else { continue }
            guard let seconds = Int64(text), seconds > 0 else {
                if skippingInvalid { continue }
                return .invalidAnnotation(text, object: object)
            }
            let source = "\(owner) \(PolicyAnnotation.modelLoadSeconds) annotation"
            return .known(ModelLoadTime(seconds: seconds, source: source))
        }
        guard let budget = workload?.startupBudgetSeconds, budget > 0 else { return .unknown }
        return .known(ModelLoadTime(seconds: budget, source: "the target's startupProbe budget"))
    }

    /// The known load time, ignoring an annotation that does not parse.
    static func of(hpa: HPA, workload: Workload?) -> ModelLoadTime? {
        if case .known(let time) = lookup(hpa: hpa, workload: workload) { return time }
        return nil
    }
}
