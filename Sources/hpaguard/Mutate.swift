import ArgumentParser
import Engine
import Foundation
import Manifests

struct Mutate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the manifests with the ML scaling profiles' mutations applied (what --fix would write).",
        discussion: """
            YAML keeps its comments and formatting; JSON objects are printed as JSON. Targets resolve across all \
            PATHs, as in lint. Files that cannot be edited safely are printed unchanged, with the reason on stderr.
            """
    )

    @Option(help: "A policy file laid over the embedded default.") var policy: String?
    @Option(name: .customLong("kube-version"), help: "The Kubernetes version to check against (X.Y).")
    var kubeVersion: KubeVersion = .newestStable
    @Argument(help: "Files, directories, or - for standard input.") var paths: [String]

    func run() throws {
        let engine = Engine(policy: try loadPolicy(policy), kubeVersion: kubeVersion)
        let contents = try readAll(try collectInputs(paths))
        let linter = Linter(engine: engine)
        let outcomes = linter.fix(contents)
        var output = ""
        for (index, outcome) in outcomes.enumerated() {
            let (name, bytes) = contents[index]
            if let refusal = outcome.refusal { warn("hpaguard: \(name): \(refusal)") }
            let text = outcome.mutatedJSON ?? String(decoding: outcome.fixed ?? bytes, as: UTF8.self)
            if index > 0, !output.isEmpty { output += output.hasSuffix("\n") ? "---\n" : "\n---\n" }
            output += text
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
