import Foundation
import Testing

/// `action.yml`: its structure as GitHub reads it (parsed by PyYAML), and its shell steps run here the way a runner
/// runs a composite action: `${{ … }}` replaced, each step's `env:` set, `bash --noprofile --norc -eo pipefail`,
/// in the workspace, with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files and step outputs passed on.
@Suite("GitHub Action (action.yml)")
struct GitHubActionTests {
    struct Step {
        var id: String?
        var name: String
        var shell: String?
        var run: String
        var env: [String: String]
    }

    struct Action {
        var raw: [String: Any]
        var steps: [Step]
        var inputDefaults: [String: String]

        static func load() async throws -> Action {
            try await Shell.requireTool("python3", install: "python3 with PyYAML: python3 -m pip install pyyaml")
            let parsed = try await Shell.bash(
                "python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(\"action.yml\")), sys.stdout)'")
            try #require(parsed.status == 0, "action.yml does not parse as YAML:\n\(parsed)")
            let raw = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])
            let runs = try #require(raw["runs"] as? [String: Any], "action.yml has no runs")
            let steps = try #require(runs["steps"] as? [[String: Any]], "runs.steps is missing")
            let inputs = try #require(raw["inputs"] as? [String: [String: Any]], "inputs is missing")
            return Action(
                raw: raw,
                steps: steps.map { step in
                    Step(id: step["id"] as? String, name: step["name"] as? String ?? "", shell: step["shell"] as? String,
                         run: step["run"] as? String ?? "", env: (step["env"] as? [String: Any] ?? [:]).mapValues { "\($0)" })
                },
                inputDefaults: inputs.compactMapValues { $0["default"].map { "\($0)" } })
        }
    }

    struct Run {
        /// The exit status of each step that ran, by id; a failing step ends the run, as on a runner.
        var statuses: [String: Int32] = [:]
        var outputs: [String: [String: String]] = [:]
        var log = ""
        var summary = ""
        var workspace: URL
    }

    /// Runs the action's steps with `inputs` over the defaults, in a workspace holding a copy of testdata/.
    static func run(_ action: Action, inputs: [String: String], path extraPath: String? = nil) async throws -> Run {
        let workspace = try Shell.temporaryFolder()
        let copy = try await Shell.bash("cp -R testdata \(Shell.quote(workspace.path))/testdata")
        try #require(copy.status == 0, "\(copy)")
        var run = Run(workspace: workspace)
        let values = action.inputDefaults.merging(inputs) { _, new in new }
        let summaryFile = workspace.appendingPathComponent(".summary")
        for (index, step) in action.steps.enumerated() {
            let id = step.id ?? "step\(index)"
            let outputFile = workspace.appendingPathComponent(".output-\(id)")
            _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
            let scriptFile = workspace.appendingPathComponent(".step-\(id).sh")
            try substitute(step.run, inputs: values, run: run).write(to: scriptFile, atomically: true, encoding: .utf8)
            var environment = step.env.mapValues { substitute($0, inputs: values, run: run) }
            environment["GITHUB_OUTPUT"] = outputFile.path
            environment["GITHUB_STEP_SUMMARY"] = summaryFile.path
            environment["GITHUB_WORKSPACE"] = workspace.path
            environment["GITHUB_ACTION_PATH"] = Shell.repositoryRoot.path
            environment["RUNNER_TEMP"] = workspace.path
            let prefix = extraPath.map { "PATH=\(Shell.quote($0)):\"$PATH\" " } ?? ""
            let result = try await Shell.bash(
                prefix + "bash --noprofile --norc -eo pipefail \(Shell.quote(scriptFile.path))",
                in: workspace, environment: environment)
            run.statuses[id] = result.status
            run.log += result.stdout + result.stderr
            var outputs: [String: String] = [:]
            for line in try String(contentsOf: outputFile, encoding: .utf8).split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                outputs[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            run.outputs[id] = outputs
            if result.status != 0 { break }
        }
        run.summary = (try? String(contentsOf: summaryFile, encoding: .utf8)) ?? ""
        return run
    }

    /// Replaces `${{ inputs.X }}`, `${{ github.action_path }}`, `${{ github.workspace }}` and
    /// `${{ steps.ID.outputs.X }}`; any other expression fails the test, since this runner would not know it.
    static func substitute(_ text: String, inputs: [String: String], run: Run) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let parts = expression.split(separator: ".").map(String.init)
            switch (parts.first, parts.count) {
            case ("inputs", 2): result += inputs[parts[1]] ?? ""
            case ("github", 2) where parts[1] == "action_path": result += Shell.repositoryRoot.path
            case ("github", 2) where parts[1] == "workspace": result += run.workspace.path
            case ("steps", 4) where parts[2] == "outputs": result += run.outputs[parts[1]]?[parts[3]] ?? ""
            default: Issue.record("action.yml uses ${{ \(expression) }}, which this test cannot stand in for")
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    // MARK: - Structure

    @Test("action.yml: name, description, described inputs, a composite run whose steps all name their shell")
    func structure() async throws {
        let action = try await Action.load()
        #expect((action.raw["name"] as? String)?.isEmpty == false)
        #expect((action.raw["description"] as? String)?.isEmpty == false)
        let inputs = try #require(action.raw["inputs"] as? [String: [String: Any]])
        for name in ["paths", "policy", "fail-on", "format", "sarif-file", "kube-version", "install", "version"] {
            let input = inputs[name]
            #expect(input != nil, "input \(name) is missing")
            #expect((input?["description"] as? String)?.isEmpty == false, "input \(name) has no description")
            #expect(input?["default"] != nil, "input \(name) has no default")
        }
        let runs = try #require(action.raw["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        #expect(!action.steps.isEmpty)
        for step in action.steps {
            #expect(step.shell == "bash", "step '\(step.name)' has no `shell: bash` (composite run steps need one)")
            #expect(!step.run.isEmpty, "step '\(step.name)' has no run script")
            #expect(!step.run.contains("${{"), "step '\(step.name)' splices an expression into its script; use env:")
        }
        let outputs = try #require(action.raw["outputs"] as? [String: [String: Any]])
        #expect(Set(outputs.keys) == ["exit-code", "sarif-file"])
        for step in action.steps {
            let syntax = try await Shell.bash("bash -n", stdin: step.run)
            #expect(syntax.status == 0, "step '\(step.name)' is not valid bash:\n\(syntax)")
        }
    }

    // MARK: - The steps, run

    @Test("an error finding fails the step with exit 1 and still writes the SARIF report")
    func errorGate() async throws {
        let action = try await Action.load()
        let run = try await Self.run(action, inputs: ["install": "path", "version": "0.1.0", "paths": "testdata/cli/max-below-min.yaml"])
        defer { try? FileManager.default.removeItem(at: run.workspace) }
        #expect(run.statuses["install"] == 0, "\(run.log)")
        #expect(run.statuses["lint"] == 1, "\(run.log)")
        #expect(run.outputs["lint"]?["exit-code"] == "1")
        #expect(run.outputs["lint"]?["sarif-file"] == "hpaguard.sarif")
        #expect(run.log.contains("::error file=testdata/cli/max-below-min.yaml,line=7,col=3"), "\(run.log)")
        #expect(run.log.contains("upload-sarif"), "\(run.log)")
        #expect(run.summary.contains("error [max-below-min]"), "\(run.summary)")

        let sarif = try Data(contentsOf: run.workspace.appendingPathComponent("hpaguard.sarif"))
        let report = try #require(try JSONSerialization.jsonObject(with: sarif) as? [String: Any])
        #expect(report["version"] as? String == "2.1.0")
        let results = (report["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []
        #expect(results.map { $0["ruleId"] as? String } == ["max-below-min"])
    }

    @Test("a clean tree passes with exit 0 and an empty SARIF report; several paths split on spaces and newlines")
    func cleanPass() async throws {
        let action = try await Action.load()
        let run = try await Self.run(action, inputs: [
            "install": "path", "paths": "testdata/cli/clean.yaml\ntestdata/kustomize/base testdata/pulumi/rendered",
            "format": "text", "sarif-file": "reports/hpaguard.sarif",
        ])
        defer { try? FileManager.default.removeItem(at: run.workspace) }
        #expect(run.statuses["lint"] == 0, "\(run.log)")
        #expect(run.log.contains("0 errors"), "\(run.log)")
        #expect(run.log.contains("in 7 files"), "\(run.log)")
        let sarif = try Data(contentsOf: run.workspace.appendingPathComponent("reports/hpaguard.sarif"))
        let report = try #require(try JSONSerialization.jsonObject(with: sarif) as? [String: Any])
        let results = (report["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]
        #expect(results?.contains { $0["level"] as? String == "error" } == false)
    }

    @Test("fail-on warning fails on a warning; a policy and kube-version reach hpaguard")
    func failOnAndPolicy() async throws {
        let action = try await Action.load()
        let warning = try await Self.run(action, inputs: [
            "install": "path", "paths": "testdata/pulumi/rendered", "fail-on": "warning", "kube-version": "1.30",
        ])
        defer { try? FileManager.default.removeItem(at: warning.workspace) }
        #expect(warning.statuses["lint"] == 1, "\(warning.log)")
        #expect(warning.log.contains("min-replicas-floor"), "\(warning.log)")

        let policy = try await Self.run(action, inputs: [
            "install": "path", "paths": "testdata/cli/broken.yaml", "policy": "testdata/cli/syntax-as-warning.policy.yaml",
        ])
        defer { try? FileManager.default.removeItem(at: policy.workspace) }
        #expect(policy.statuses["lint"] == 0, "the policy lowers syntax-error to a warning:\n\(policy.log)")
        #expect(policy.log.contains("::warning file=testdata/cli/broken.yaml"), "\(policy.log)")
    }

    @Test("a missing path is exit 2 from the SARIF run, reported as the step's exit code")
    func usageError() async throws {
        let action = try await Action.load()
        let run = try await Self.run(action, inputs: ["install": "path", "paths": "no/such/manifests"])
        defer { try? FileManager.default.removeItem(at: run.workspace) }
        #expect(run.statuses["lint"] == 2, "\(run.log)")
        #expect(run.outputs["lint"]?["exit-code"] == "2")
        #expect(run.log.contains("no/such/manifests"), "\(run.log)")
    }

    @Test("install: a stale binary fails the version check; an unknown install mode is refused")
    func installChecks() async throws {
        let action = try await Action.load()
        let stale = try await Self.run(action, inputs: ["install": "path", "version": "9.9.9", "paths": "testdata/cli/clean.yaml"])
        defer { try? FileManager.default.removeItem(at: stale.workspace) }
        #expect(stale.statuses["install"] == 2, "\(stale.log)")
        #expect(stale.statuses["lint"] == nil, "lint ran after a failed install")
        #expect(stale.log.contains("not version 9.9.9"), "\(stale.log)")

        let unknown = try await Self.run(action, inputs: ["install": "download"])
        defer { try? FileManager.default.removeItem(at: unknown.workspace) }
        #expect(unknown.statuses["install"] == 2, "\(unknown.log)")
    }

    @Test("install: build runs swift build -c release on the action's own checkout and uses its binary")
    func installBuild() async throws {
        let action = try await Action.load()
        // A stand-in `swift` records its arguments and answers --show-bin-path with the folder of the real build,
        // so the step's logic runs without a release build.
        let stub = try Shell.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: stub) }
        let binFolder = try #require(Shell.binFolder).path
        try """
            #!/bin/bash
            echo "$*" >> \(Shell.quote(stub.appendingPathComponent("calls").path))
            if [[ " $* " == *" --show-bin-path "* ]]; then echo \(Shell.quote(binFolder)); fi

            """.write(to: stub.appendingPathComponent("swift"), atomically: true, encoding: .utf8)
        let chmod = try await Shell.bash("chmod +x \(Shell.quote(stub.appendingPathComponent("swift").path))")
        try #require(chmod.status == 0)
        let run = try await Self.run(action, inputs: ["install": "build", "paths": "testdata/cli/clean.yaml"], path: stub.path)
        defer { try? FileManager.default.removeItem(at: run.workspace) }
        #expect(run.statuses["install"] == 0, "\(run.log)")
        #expect(run.statuses["lint"] == 0, "\(run.log)")
        #expect(run.outputs["install"]?["hpaguard"] == binFolder + "/hpaguard")
        let calls = try String(contentsOf: stub.appendingPathComponent("calls"), encoding: .utf8)
        #expect(calls.contains("build -c release --package-path \(Shell.repositoryRoot.path) --product hpaguard"), "\(calls)")
    }
}
