import ArgumentParser
import Engine
import Foundation
import Manifests
import Reporters

extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

extension KubeVersion: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lint Kubernetes manifests: HPAs against the API server's rules, their targets, and ML-serving practice.",
        discussion: """
            PATH is a file, a directory (walked for *.yaml, *.yml, *.json; dot-folders skipped) or - for standard \
            input. Exit status: 0 no finding at or above --fail-on, 1 at least one, 2 usage error, unreadable \
            path or invalid policy.
            """
    )

    @Option(name: .long, help: "A policy file laid over the embedded default (policies/default.yaml).")
    var policy: String?

    @Option(name: .long, help: "Output format: text, json, sarif, junit or github.")
    var format: OutputFormat = .text

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has this severity or a higher one: error, warning or info.")
    var failOn: Severity = .error

    @Option(name: .customLong("kube-version"), help: "The Kubernetes version to check against (X.Y).")
    var kubeVersion: KubeVersion = .newestStable

    @Option(
        name: .long,
        help: "ValidatingAdmissionPolicies, their bindings and parameters (a file or directory) to check the HPAs against, without linting them.")
    var vap: [String] = []

    @Flag(help: "Rewrite files in place with the profiles' mutations (comments and untouched lines kept; atomic).")
    var fix = false

    @Flag(help: "Print the unified diff that --fix would write, and write nothing.")
    var diff = false

    @Argument(help: "Files, directories, or - for standard input.")
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one PATH (or - for standard input)") }
        if fix, paths.contains("-") { throw ValidationError("--fix cannot rewrite standard input; use `hpaguard mutate -`") }
        if fix, diff { throw ValidationError("--fix and --diff exclude each other") }
    }

    func run() throws {
        let engine = Engine(policy: try loadPolicy(policy), kubeVersion: kubeVersion)
        let inputs = try collectInputs(paths)
        let linter = Linter(engine: engine, admissionObjects: try loadAdmissionObjects(vap))
        var refusals: [Finding] = []
        if fix || diff {
            // Rewriting needs each file's whole text; after --fix the lint reads the files again, as written now.
            var contents = try readAll(inputs)
            for (index, outcome) in linter.fix(contents).enumerated() {
                if let finding = linter.refusalFinding(file: contents[index].name, outcome: outcome) { refusals.append(finding) }
                guard let fixed = outcome.fixed else { continue }
                if diff {
                    let name = contents[index].name
                    print(UnifiedDiff.render(
                        old: String(decoding: contents[index].bytes, as: UTF8.self), new: String(decoding: fixed, as: UTF8.self),
                        oldName: name.hasPrefix("/") ? name : "a/\(name)", newName: name.hasPrefix("/") ? name : "b/\(name)"), terminator: "")
                } else if let path = inputs[index].filePath {
                    do {
                        try AtomicFile.replace(path, with: fixed)
                    } catch {
                        warn("hpaguard: \(error)")
                        throw ExitCode(2)
                    }
                    warn("hpaguard: fixed \(contents[index].name)")
                }
                contents[index].bytes = fixed
            }
            if diff {
                // --diff prints only the diff; its status is the one the files would have once fixed.
                exitWithStatus(of: linter.lint(contents, extraFindings: refusals), failOn: failOn)
            }
        }
        let report: LintReport
        do {
            report = try linter.lint(inputs.map(\.source), extraFindings: refusals)
        } catch {
            warn("hpaguard: \(error)")
            throw ExitCode(2)
        }
        printReportAndExit(report, format: format, failOn: failOn)
    }
}

/// Reads every input; an unreadable one is exit 2.
func readAll(_ inputs: [ManifestCollector.Input]) throws -> [(name: String, bytes: [UInt8])] {
    do {
        return try ManifestCollector.read(inputs)
    } catch {
        warn("hpaguard: \(error)")
        throw ExitCode(2)
    }
}

/// Collects inputs; a missing path is exit 2, notes about skipped links go to stderr.
func collectInputs(_ paths: [String]) throws -> [ManifestCollector.Input] {
    var collector = ManifestCollector()
    do {
        let inputs = try collector.collect(paths)
        collector.notes.forEach { warn("hpaguard: note: \($0)") }
        return inputs
    } catch {
        warn("hpaguard: \(error)")
        throw ExitCode(2)
    }
}

/// The objects of the files under `paths` (`--vap`); one that does not parse is exit 2, naming it.
func loadAdmissionObjects(_ paths: [String]) throws -> [ManifestObject] {
    guard !paths.isEmpty else { return [] }
    var objects: [ManifestObject] = []
    for (name, bytes) in try readAll(try collectInputs(paths)) {
        let loaded = ManifestLoader.load(bytes, file: name)
        if let problem = loaded.problems.first {
            warn("hpaguard: \(name):\(problem.position.map { "\($0.line):\($0.column): " } ?? " ")\(problem.message)")
            throw ExitCode(2)
        }
        objects += loaded.objects
    }
    return objects
}

/// The rules of the admission policies under `paths` (`serve --vap`): a policy that does not compile, or a binding
/// that cannot work, is exit 2, as an invalid policy file is.
func loadAdmissionPolicies(_ paths: [String]) throws -> [CustomRule] {
    let (rules, findings) = AdmissionPolicies.rules(from: try loadAdmissionObjects(paths))
    let errors = findings.filter { $0.severity == .error }
    for finding in findings {
        let place = finding.position.map { "\(finding.file):\($0.line):\($0.column)" } ?? finding.file
        warn("hpaguard: \(place): \(finding.severity == .error ? "" : "note: ")\(finding.message)")
    }
    if !errors.isEmpty { throw ExitCode(2) }
    return rules
}

/// The policy at `path` over the embedded default, or the default; an invalid policy is exit 2.
func loadPolicy(_ path: String?) throws -> Policy {
    do {
        guard let path else { return try PolicyLoader.defaultPolicy() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            warn("hpaguard: \(path): cannot read the policy file")
            throw ExitCode(2)
        }
        return try PolicyLoader.load(text: text, file: path)
    } catch let error as PolicyError {
        warn("hpaguard: \(error)")
        throw ExitCode(2)
    }
}
