import Engine
import Foundation

/// The result of linting a set of files.
public struct LintReport: Sendable {
    public var findings: [Finding]
    public var files: Int
    public var objects: Int
    /// What the run read, freed with the report (see `LintInputs`).
    public let inputs: LintInputs?

    public init(findings: [Finding], files: Int, objects: Int, inputs: LintInputs? = nil) {
        self.findings = findings
        self.files = files
        self.objects = objects
        self.inputs = inputs
    }

    public func count(_ severity: Severity) -> Int { count { $0 == severity } }

    /// Findings at `severity` or above.
    public func count(atLeast severity: Severity) -> Int { count { $0 >= severity } }

    /// By index: a loop over the findings themselves would copy each one (a dozen strings to retain and release).
    private func count(where matches: (Severity) -> Bool) -> Int {
        var count = 0
        for index in findings.indices where matches(findings[index].severity) { count += 1 }
        return count
    }
}

/// The objects a lint run read, kept until its report goes. Freeing tens of thousands of object trees is a tenth of
/// a large run, and leaves glibc's allocator consolidating its free lists while the report is written: a command
/// that exits once it has printed the report does without both. Freed on all cores when the report goes.
public final class LintInputs: @unchecked Sendable {
    /// Set once, emptied only by `deinit`.
    private var files: [Linter.StreamedFile]
    /// The index of the objects the run resolved targets among.
    private let resolver: InventoryResolver?

    init(_ files: consuming [Linter.StreamedFile], resolver: InventoryResolver?) {
        self.files = files
        self.resolver = resolver
    }

    deinit {
        let files = self.files
        self.files = []
        releaseConcurrently(consume files)
    }
}

/// The linter front end: read every input as a stream of documents, resolve targets across all of them, evaluate,
/// sort.
///
/// What a run keeps while it reads: the HPAs (evaluated once every input is read, since a target may come later),
/// the objects an HPA can resolve to in full (workloads, scalers, disruption budgets, LimitRanges: what the
/// resolver reads), and of every other object only its kind, name, namespace and first line (for `duplicate-object`
/// and for telling an unscalable target from a missing one). Every other object is evaluated as it is read and
/// dropped, with the bytes of its document.
public struct Linter: Sendable {
    public let engine: Engine
    public let limits: LoaderLimits
    /// ValidatingAdmissionPolicies, bindings and their parameter objects read from elsewhere (`lint --vap DIR`):
    /// they apply to the inputs' HPAs like those among the inputs, and are not linted themselves.
    public let admissionObjects: [ManifestObject]
    /// Kinds (`group/kind`) kept in full as possible admission policy parameters.
    private let parameterKinds: Set<String>

    public init(engine: Engine, limits: LoaderLimits = .default, admissionObjects: [ManifestObject] = []) {
        self.engine = engine
        self.limits = limits
        self.admissionObjects = admissionObjects
        // ConfigMaps are the usual parameter kind; a policy's own paramKind is known up front only from --vap.
        parameterKinds = AdmissionPolicies.parameterKinds(in: admissionObjects).union(["/ConfigMap"])
    }

    /// Lints already-read inputs (name and bytes).
    public func lint(_ inputs: [(name: String, bytes: [UInt8])], extraFindings: [Finding] = []) -> LintReport {
        do {
            return try lint(inputs.map { ManifestSource(name: $0.name, bytes: $0.bytes) }, extraFindings: extraFindings)
        } catch {
            preconditionFailure("bytes in memory cannot fail to read: \(error)")
        }
    }

    /// Lints files and standard input as streams of documents, files on all cores.
    ///
    /// - Throws: the first input that could not be read, naming it.
    public func lint(_ sources: [ManifestSource], extraFindings: [Finding] = []) throws(ManifestSource.ReadError) -> LintReport {
        // Copied nowhere after this: each copy of a file's parts retains every reference in them, and releases it
        // again, on one core while the others wait.
        let files = concurrentMap(sources) { source in read(source) }
        if let failed = files.firstIndex(where: { $0.failure != nil }), let failure = files[failed].failure { throw failure }
        // Gathered, named and sorted in place: a large run has tens of thousands of findings, and each copy of the
        // list retains and releases every string of every one.
        var findings = files.flatMap(\.findings)
        let (evaluated, resolver) = evaluate(files.flatMap(\.hpas), among: files)
        findings += evaluated
        findings += extraFindings
        var naming: [LoadedFile] = []
        for index in files.indices where files[index].namesSources { naming.append(files[index].loaded) }
        Self.nameSources(in: &findings, loaded: naming)
        // Positions are sorted, not findings: a merge sort moves each element several times, and a finding is a
        // dozen references to retain and release per move.
        let order = findings.indices.sorted { Finding.reportOrder(findings[$0], findings[$1]) }
        findings.rearrange(by: order)
        let objects = files.reduce(0) { $0 + $1.objectCount }
        return LintReport(
            findings: findings, files: sources.count, objects: objects, inputs: LintInputs(files, resolver: resolver))
    }

    /// The findings of `hpas` with what they resolve to among `files`, of the admission policies among them, and of
    /// `duplicate-object`; and the resolver, for the report to keep (see `LintInputs`): freeing its index here would
    /// be one core's work while the run waits.
    private func evaluate(_ hpas: [ManifestObject], among files: [StreamedFile]) -> ([Finding], InventoryResolver) {
        // HPAs are part of the inventory too: the resolver finds the other scalers of a workload among them.
        let inventory = files.flatMap(\.loaded.objects) + hpas
        let (engine, admissionFindings) = withAdmissionPolicies(among: inventory)
        let kinds = engine.policy.settings.workloadKinds
        let (resolver, duplicateFindings) = concurrently(
            { InventoryResolver(objects: inventory, kinds: kinds) }, { engine.duplicateObjectFindings(inventory) })
        let evaluated = concurrentMap(batches(of: hpas)) { batch in engine.evaluate(Array(batch), resolver: resolver) }
        return (evaluated.flatMap { $0 } + admissionFindings + duplicateFindings, resolver)
    }

    /// The engine with the ValidatingAdmissionPolicies among `inventory` and `admissionObjects` added as rules, and
    /// the findings about those policies themselves.
    private func withAdmissionPolicies(among inventory: [ManifestObject]) -> (Engine, [Finding]) {
        guard !admissionObjects.isEmpty || inventory.contains(where: AdmissionPolicies.isPolicyOrBinding) else {
            return (engine, [])
        }
        let (rules, findings) = AdmissionPolicies.rules(from: inventory + admissionObjects)
        return (Engine(policy: engine.policy.adding(customRules: rules), kubeVersion: engine.kubeVersion, vantage: engine.vantage), findings)
    }

    /// One input after reading: what it keeps (see the type's comment) and the findings made while reading.
    struct StreamedFile: Sendable {
        var loaded: LoadedFile
        var hpas: [ManifestObject] = []
        var findings: [Finding] = []
        var objectCount = 0
        /// Whether the file says where its objects came from (see `nameSources`), told while it is read.
        var namesSources = false
        /// Why the file could not be read to its end.
        var failure: ManifestSource.ReadError?
    }

    private func read(_ source: ManifestSource) -> StreamedFile {
        var file = StreamedFile(loaded: LoadedFile(file: source.name))
        do throws(ManifestSource.ReadError) {
            try read(source, into: &file)
        } catch {
            file.failure = error
        }
        file.namesSources = file.loaded.namesSources
        return file
    }

    private func read(_ source: ManifestSource, into file: inout StreamedFile) throws(ManifestSource.ReadError) {
        let everyObjectRules = InventoryResolver(objects: [])
        try source.forEachDocument(limits: limits) { part in
            file.findings += part.problems.compactMap {
                engine.syntaxErrorFinding($0.message, file: part.file, position: $0.position)
            }
            file.objectCount += part.objects.count
            file.loaded.absorb(part) { object in
                if HPA.isHPA(object) {
                    file.hpas.append(object)
                    return nil
                }
                // Rules on objects other than HPAs read nothing but the object.
                file.findings += engine.evaluate(object, resolver: everyObjectRules)
                if Self.isResolvable(object, kinds: engine.policy.settings.workloadKinds) || AdmissionPolicies.isPolicyOrBinding(object)
                    || parameterKinds.contains(AdmissionPolicies.parameterKindKey(of: object))
                {
                    return object
                }
                return object.identity
            }
        }
    }

    /// Whether the resolver may read more of `object` than its identity: a scaler, a budget, a LimitRange, a known
    /// workload kind, or anything with replicas or a pod template (a custom resource with a scale subresource).
    static func isResolvable(_ object: ManifestObject, kinds: [WorkloadKind]) -> Bool {
        switch (object.group, object.kind) {
        case ("keda.sh", "ScaledObject"), ("policy", "PodDisruptionBudget"), ("", "LimitRange"): return true
        default:
            if kinds.contains(where: { $0.kind == object.kind && $0.group == object.group }) { return true }
            let spec = object.value["spec"]
            return spec?["replicas"] != nil || spec?["template"] != nil
        }
    }

    /// Appends "(source: …)" to the message of each finding in a rendered stream that names where the object came
    /// from (see `RenderedSources`): the line points into the stream, the source into the user's files.
    static func nameSources(in findings: inout [Finding], loaded: [LoadedFile]) {
        let lookups = Dictionary(
            loaded.filter(\.namesSources).map { ($0.file, $0.sourceLookup()) }, uniquingKeysWith: { first, _ in first })
        guard !lookups.isEmpty else { return }
        for index in findings.indices {
            guard let lookup = lookups[findings[index].file], let line = findings[index].position?.line,
                let source = lookup(line)
            else { continue }
            findings[index].message += " (source: \(source))"
        }
    }

    /// The mutations of every input as text edits; targets resolve across all inputs, as in `lint`.
    public func fix(_ inputs: [(name: String, bytes: [UInt8])]) -> [FixOutcome] {
        let loaded = concurrentMap(inputs) { ManifestLoader.load($0.bytes, file: $0.name, limits: limits) }
        let resolver = InventoryResolver(objects: loaded.flatMap(\.objects), kinds: engine.policy.settings.workloadKinds)
        let fixer = ManifestFixer(engine: engine)
        return concurrentMap(Array(zip(inputs, loaded)).map { ($0.0.bytes, $0.1) }) { fixer.fix($0.0, loaded: $0.1, resolver: resolver) }
    }

    /// A finding for a file `--fix` left untouched.
    public func refusalFinding(file: String, outcome: FixOutcome) -> Finding? {
        guard let reason = outcome.refusal else { return nil }
        return engine.fixRefusedFinding(reason, file: file, position: outcome.refusalPosition)
    }
}

extension Array {
    /// Puts the element at `order[i]` at `i`, for every `i`, by swaps along the permutation's cycles: elements move
    /// without being copied (a copy of a finding retains and releases a dozen references).
    mutating func rearrange(by order: [Int]) {
        precondition(order.count == count, "an order names every element once")
        var placed = [Bool](repeating: false, count: count)
        for start in indices where !placed[start] {
            var current = start
            while true {
                placed[current] = true
                let source = order[current]
                if source == start { break }
                swapAt(current, source)
                current = source
            }
        }
    }
}
