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
            var text = String(decoding: outcome.fixed ?? bytes, as: UTF8.self)
            if outcome.refusal != nil, isJSON(bytes) {
                text = mutatedJSON(bytes, name: name, engine: engine, contents: contents)
            }
            if index > 0, !output.isEmpty { output += output.hasSuffix("\n") ? "---\n" : "\n---\n" }
            output += text
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    private func isJSON(_ bytes: [UInt8]) -> Bool {
        bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }.map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } ?? false
    }

    /// JSON input: each object, mutated, as indented JSON.
    private func mutatedJSON(_ bytes: [UInt8], name: String, engine: Engine, contents: [(name: String, bytes: [UInt8])]) -> String {
        let all = contents.flatMap { ManifestLoader.load($0.bytes, file: $0.name).objects }
        let resolver = InventoryResolver(objects: all, kinds: engine.policy.settings.workloadKinds)
        return ManifestLoader.load(bytes, file: name).objects.map { object in
            let plan = engine.mutationPlan(for: object, resolver: resolver)
            let value = (try? JSONPatch.apply(plan.operations, to: object.value)) ?? object.value
            return value.prettySerialized() + "\n"
        }.joined()
    }
}
