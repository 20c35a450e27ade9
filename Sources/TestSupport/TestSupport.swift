import Engine
import Manifests

/// Runs a rule's examples as tests: valid examples yield no finding of the rule, invalid ones yield a finding at
/// each `↓` marker and nowhere else.
public enum RuleVerifier {
    /// One example's outcome: empty `problems` means it behaved as documented.
    public struct Outcome: Sendable {
        public let example: Example
        public let problems: [String]
    }

    public static func verify(_ rule: any Rule.Type) -> [Outcome] {
        let description = rule.description
        return description.validExamples.map { verify($0, rule: description.id, expectingFindings: false) }
            + description.invalidExamples.map { verify($0, rule: description.id, expectingFindings: true) }
    }

    static func verify(_ example: Example, rule: String, expectingFindings: Bool) -> Outcome {
        let (manifest, markers) = stripMarkers(example.manifest)
        var problems: [String] = []
        if expectingFindings, markers.isEmpty { problems.append("an invalid example needs at least one ↓ marker") }
        if !expectingFindings, !markers.isEmpty { problems.append("a valid example has no ↓ marker") }
        let findings: [Finding]
        do {
            let isLive = RuleRegistry.all.contains { $0.description.id == rule && $0 is any LiveRule.Type }
            findings = try (isLive
                ? live(manifest, policy: example.policy, kubeVersion: example.kubeVersion)
                : lint(manifest, policy: example.policy, kubeVersion: example.kubeVersion))
                .filter { $0.rule == rule }
        } catch {
            return Outcome(example: example, problems: ["cannot run the example: \(error)"])
        }
        let found = Set(findings.compactMap(\.position))
        for marker in markers.sorted() where !found.contains(marker) {
            problems.append("expected a [\(rule)] finding at \(marker.line):\(marker.column); found \(describe(findings))")
        }
        for finding in findings where !markers.contains(finding.position ?? SourcePosition(line: 0, column: 0)) {
            let place = finding.position.map { "\($0.line):\($0.column)" } ?? "?"
            problems.append("unexpected [\(rule)] finding at \(place): \(finding.message)")
        }
        return Outcome(example: example, problems: problems)
    }

    /// Lints `manifest` as the CLI would (one file, `example.yaml`).
    public static func lint(_ manifest: String, policy: String? = nil, kubeVersion: String? = nil) throws -> [Finding] {
        let basePolicy = try PolicyLoader.defaultPolicy()
        let resolvedPolicy = try policy.map { try PolicyLoader.load(text: $0, file: "example-policy.yaml", over: basePolicy) }
            ?? basePolicy
        let version = kubeVersion.flatMap(KubeVersion.init) ?? .newestStable
        let linter = Linter(engine: Engine(policy: resolvedPolicy, kubeVersion: version))
        let input = [(name: "example.yaml", bytes: Array(manifest.utf8))]
        // What `lint --fix` would refuse is part of what a user sees, so examples show it too.
        let refusals = linter.fix(input).compactMap { linter.refusalFinding(file: "example.yaml", outcome: $0) }
        return linter.lint(input, extraFindings: refusals).findings
    }

    /// Audits `manifest` as `hpaguard audit` would see it: its first HPA as the API server returns it (status
    /// included), its `Event` documents as the HPA's events, a `Status` document (the API server's refusal, e.g.
    /// a 403) as something the audit could not read, and every other object as the cluster around the HPA. It is
    /// observed at `LiveHPAState.exampleNow` with the default window.
    public static func live(_ manifest: String, policy: String? = nil, kubeVersion: String? = nil) throws -> [Finding] {
        let basePolicy = try PolicyLoader.defaultPolicy()
        let resolvedPolicy = try policy.map { try PolicyLoader.load(text: $0, file: "example-policy.yaml", over: basePolicy) }
            ?? basePolicy
        let engine = Engine(
            policy: resolvedPolicy, kubeVersion: kubeVersion.flatMap(KubeVersion.init) ?? .newestStable, vantage: .admission)
        let objects = ManifestLoader.load(Array(manifest.utf8), file: "example.yaml").objects
        let events = objects.filter { $0.kind == "Event" }.map(\.value)
        let unread = objects.filter { $0.kind == "Status" }.compactMap { $0.value["message"]?.stringValue }
        let cluster = objects.filter { $0.kind != "Event" && $0.kind != "Status" }
        guard let hpa = cluster.first(where: HPA.isHPA),
            let state = LiveHPAState(
                object: hpa, events: events, now: LiveHPAState.exampleNow, window: LiveHPAState.defaultWindow, unread: unread)
        else { return [] }
        let resolver = InventoryResolver(objects: cluster, kinds: resolvedPolicy.settings.workloadKinds, isComplete: true)
        return engine.evaluateLive(state, resolver: resolver)
    }

    /// Removes `↓` markers; each marks the position of the character after it.
    public static func stripMarkers(_ text: String) -> (String, Set<SourcePosition>) {
        var markers: Set<SourcePosition> = []
        var lines: [String] = []
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var cleaned = ""
            var column = 1
            for character in line {
                if character == Example.marker {
                    markers.insert(SourcePosition(line: lineIndex + 1, column: column))
                } else {
                    cleaned.append(character)
                    column += 1
                }
            }
            lines.append(cleaned)
        }
        return (lines.joined(separator: "\n"), markers)
    }

    private static func describe(_ findings: [Finding]) -> String {
        findings.isEmpty ? "none" : findings.map { f in
            "\(f.position.map { "\($0.line):\($0.column)" } ?? "?") \(f.message)"
        }.joined(separator: "; ")
    }
}
