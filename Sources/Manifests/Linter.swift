import Engine
import Foundation

/// The result of linting a set of files.
public struct LintReport: Sendable {
    public var findings: [Finding]
    public var files: Int
    public var objects: Int

    public init(findings: [Finding], files: Int, objects: Int) {
        self.findings = findings
        self.files = files
        self.objects = objects
    }

    public func count(_ severity: Severity) -> Int { findings.count { $0.severity == severity } }
}

/// The linter front end: load every input, resolve targets across all of them, evaluate, sort.
public struct Linter: Sendable {
    public let engine: Engine
    public let limits: LoaderLimits

    public init(engine: Engine, limits: LoaderLimits = .default) {
        self.engine = engine
        self.limits = limits
    }

    /// Lints already-read inputs (name and bytes). Files are loaded and evaluated on all cores.
    public func lint(_ inputs: [(name: String, bytes: [UInt8])], extraFindings: [Finding] = []) -> LintReport {
        let (loaded, resolver) = load(inputs)
        let allObjects = loaded.flatMap(\.objects)
        let perFile = concurrentMap(loaded) { file -> [Finding] in
            var findings = file.problems.compactMap {
                engine.loaderFinding(rule: "syntax-error", message: $0.message, file: file.file, position: $0.position)
            }
            findings += engine.evaluate(file.objects, resolver: resolver)
            return findings
        }
        let findings = Self.namingSources(perFile.flatMap { $0 } + extraFindings, loaded: loaded)
        return LintReport(findings: findings.sorted(by: Finding.reportOrder), files: inputs.count, objects: allObjects.count)
    }

    /// Appends "(source: …)" to the message of each finding in a rendered stream that names where the object came
    /// from (see `RenderedSources`): the line points into the stream, the source into the user's files.
    static func namingSources(_ findings: [Finding], loaded: [LoadedFile]) -> [Finding] {
        let lookups = Dictionary(
            loaded.filter(\.namesSources).map { ($0.file, $0.sourceLookup()) }, uniquingKeysWith: { first, _ in first })
        guard !lookups.isEmpty else { return findings }
        return findings.map { finding in
            guard let lookup = lookups[finding.file], let line = finding.position?.line, let source = lookup(line)
            else { return finding }
            var named = finding
            named.message += " (source: \(source))"
            return named
        }
    }

    /// The mutations of every input as text edits; targets resolve across all inputs, as in `lint`.
    public func fix(_ inputs: [(name: String, bytes: [UInt8])]) -> [FixOutcome] {
        let (loaded, resolver) = load(inputs)
        let fixer = ManifestFixer(engine: engine)
        return concurrentMap(Array(zip(inputs, loaded)).map { ($0.0.bytes, $0.1) }) { fixer.fix($0.0, loaded: $0.1, resolver: resolver) }
    }

    /// A finding for a file `--fix` left untouched.
    public func refusalFinding(file: String, outcome: FixOutcome) -> Finding? {
        guard let reason = outcome.refusal else { return nil }
        return engine.loaderFinding(rule: "fix-refused", message: "not fixed: \(reason)", file: file, position: outcome.refusalPosition)
    }

    private func load(_ inputs: [(name: String, bytes: [UInt8])]) -> ([LoadedFile], InventoryResolver) {
        let loaded = concurrentMap(inputs) { ManifestLoader.load($0.bytes, file: $0.name, limits: limits) }
        let resolver = InventoryResolver(objects: loaded.flatMap(\.objects), kinds: engine.policy.settings.workloadKinds)
        return (loaded, resolver)
    }
}

/// `map` over all cores, results in input order.
func concurrentMap<Element: Sendable, Result: Sendable>(
    _ items: [Element], _ transform: @Sendable (Element) -> Result
) -> [Result] {
    guard items.count > 1 else { return items.map(transform) }
    let results = UnsafeResultBuffer<Result>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        results.store(transform(items[index]), at: index)
    }
    return results.values
}

/// Each index is written by exactly one iteration of `concurrentPerform` and read only after all of them return,
/// so the slots never race.
private final class UnsafeResultBuffer<Result>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Result?>
    private let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func store(_ value: Result, at index: Int) { base[index] = value }

    var values: [Result] { (0..<count).map { base[$0]! } }
}
