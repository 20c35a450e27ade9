import Engine

/// What the mutating endpoint asks for an object: the changes to make, as JSON Patch operations on the object as
/// received (the engine's `JSONPatchOperation`, applied by the API server in the version the webhook got).
///
/// The webhook runs `ProfileMutations` (the engine's ML profiles); tests plug in others. A mutator must be idempotent
/// (mutating a mutated object yields nothing), which `MutationPlanner` checks before a patch is sent.
public protocol AdmissionMutator: Sendable {
    /// True when the mutator reads the target workload (the webhook then looks it up first).
    var needsTarget: Bool { get }
    func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> AdmissionMutation
}

/// Operations, plus what to tell the user about them.
public struct AdmissionMutation: Sendable {
    public var operations: [JSONPatchOperation]
    /// Shown as admission warnings (a profile that does not exist, a version that cannot be mutated).
    public var warnings: [String]
    /// Logged: what each operation sets and why.
    public var explanations: [String]

    public init(operations: [JSONPatchOperation] = [], warnings: [String] = [], explanations: [String] = []) {
        self.operations = operations
        self.warnings = warnings
        self.explanations = explanations
    }
}

/// The empty mutation set: every object is left as it is.
public struct NoMutations: AdmissionMutator {
    public init() {}
    public var needsTarget: Bool { false }
    public func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> AdmissionMutation { AdmissionMutation() }
}

/// The policy's ML profiles, planned by the engine from the admission vantage (the object is already defaulted, so
/// fields the API server fills are left alone): the same plan `hpaguard mutate` makes for the same object and target.
public struct ProfileMutations: AdmissionMutator {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    public var needsTarget: Bool { true }

    public func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> AdmissionMutation {
        let plan = engine.mutationPlan(for: object, resolver: resolver)
        var mutation = AdmissionMutation(operations: plan.operations, explanations: plan.explanations)
        switch plan.outcome {
        case .unknownProfile(let name):
            mutation.warnings.append("hpaguard: profile \"\(name)\" does not exist; the HPA was not mutated")
        case .notMutable(let reason):
            mutation.warnings.append("hpaguard: not mutated: \(reason)")
        case .noProfile, .ownedElsewhere, .profile:
            break
        }
        return mutation
    }
}

/// Turns a mutator's operations into the patch to send, or none.
public enum MutationPlanner {
    public enum Plan: Sendable, Equatable {
        /// Nothing to change: the response carries no patch at all.
        case unchanged
        case patch([JSONPatchOperation])
        /// The operations do not apply, or applying them and mutating again still changes the object: no patch is
        /// sent (the object is admitted as it is) and the reason is logged.
        case rejected(String)
    }

    public static func plan(object: ManifestObject, mutator: any AdmissionMutator, resolver: any WorkloadResolver) -> Plan {
        plan(object: object, operations: mutator.mutations(of: object, resolver: resolver).operations, mutator: mutator, resolver: resolver)
    }

    static func plan(
        object: ManifestObject, operations: [JSONPatchOperation], mutator: any AdmissionMutator, resolver: any WorkloadResolver
    ) -> Plan {
        guard !operations.isEmpty else { return .unchanged }
        let mutated: JSONValue
        do {
            mutated = try JSONPatch.apply(operations, to: object.value)
        } catch {
            return .rejected("the mutation does not apply: \(error)")
        }
        if mutated == object.value { return .unchanged }
        var again = object
        again.value = mutated
        let second = mutator.mutations(of: again, resolver: resolver).operations
        if !second.isEmpty, (try? JSONPatch.apply(second, to: mutated)) != mutated {
            return .rejected("the mutation is not idempotent: a second pass would change \(second.map(\.path.description))")
        }
        return .patch(operations)
    }
}
