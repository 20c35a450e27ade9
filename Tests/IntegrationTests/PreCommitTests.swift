import Foundation
import Testing

/// The hooks of `.pre-commit-hooks.yaml`, installed by the real `pre-commit` into a throwaway git repository: a bad
/// manifest blocks `git commit` with the finding shown, the fixed one is committed.
@Suite("pre-commit hooks", .serialized)
struct PreCommitTests {
    /// A project repository whose `.pre-commit-config.yaml` points at a hooks repository holding this checkout's
    /// `.pre-commit-hooks.yaml` (as it is in the working tree, committed or not), at a real commit of it.
    struct Project {
        let root: URL
        let directory: URL

        init(hooks: [String]) async throws {
            root = try Shell.temporaryFolder()
            directory = root.appendingPathComponent("project")
            let hooksFile = Shell.repositoryRoot.appendingPathComponent(".pre-commit-hooks.yaml").path
            let setup = try await Shell.bash("""
                mkdir hooks project
                cp \(Shell.quote(hooksFile)) hooks/
                git -C hooks init -q -b main
                git -C hooks add .pre-commit-hooks.yaml
                git -C hooks commit -q -m 'hpaguard hooks'
                git -C project init -q -b main
                git -C hooks rev-parse HEAD
                """, in: root)
            try #require(setup.status == 0, "\(setup)")
            let revision = setup.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let config = """
                repos:
                  - repo: \(root.appendingPathComponent("hooks").path)
                    rev: \(revision)
                    hooks:
                \(hooks.map { "      - id: \($0)" }.joined(separator: "\n"))

                """
            try config.write(to: directory.appendingPathComponent(".pre-commit-config.yaml"), atomically: true, encoding: .utf8)
        }

        /// Runs `script` in the project, with pre-commit's cache inside the throwaway folder.
        func run(_ script: String) async throws -> Shell.Result {
            try await Shell.bash(script + " 2>&1", in: directory, environment: [
                "PRE_COMMIT_HOME": root.appendingPathComponent("cache").path,
                "PRE_COMMIT_COLOR": "never",
            ])
        }

        func write(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }

        func read(_ name: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - name: web
                  image: registry.example.com/shop/web:2.1.0
                  resources: {requests: {cpu: 500m, memory: 256Mi}}
                  readinessProbe: {httpGet: {path: /healthz, port: 8080}}

        """

    static func hpa(min: Int, max: Int) -> String {
        """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: \(min)
          maxReplicas: \(max)
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}

        """
    }

    @Test("hpaguard-lint blocks a commit with maxReplicas below minReplicas, shows the finding, passes once fixed")
    func lintHook() async throws {
        try await Shell.requireTool("pre-commit", install: "python3 -m pip install pre-commit")
        let project = try await Project(hooks: ["hpaguard-lint"])
        defer { project.remove() }
        try project.write("deployment.yaml", Self.deployment)
        try project.write("hpa.yaml", Self.hpa(min: 3, max: 2))
        let install = try await project.run("pre-commit install")
        try #require(install.status == 0, "\(install)")

        let blocked = try await project.run("git add -A && git commit -m 'web: autoscale'")
        #expect(blocked.status != 0, "the commit went through:\n\(blocked)")
        #expect(blocked.stdout.contains("hpaguard lint"), "\(blocked)")
        #expect(blocked.stdout.contains("Failed"), "\(blocked)")
        #expect(blocked.stdout.contains("""
            hpa.yaml:7:3: error [max-below-min] maxReplicas (2) must be greater than or equal to minReplicas (3) \
            (HorizontalPodAutoscaler shop/web)
            """), "\(blocked)")
        let noCommit = try await project.run("git rev-parse --verify -q HEAD || echo none")
        #expect(noCommit.stdout.contains("none"), "\(noCommit)")

        try project.write("hpa.yaml", Self.hpa(min: 3, max: 6))
        let passed = try await project.run("git add -A && git commit -m 'web: autoscale'")
        #expect(passed.status == 0, "\(passed)")
        #expect(passed.stdout.contains("hpaguard lint"), "\(passed)")
        #expect(passed.stdout.contains("Passed"), "\(passed)")
        let log = try await project.run("git log --format=%s")
        #expect(log.stdout == "web: autoscale\n", "\(log)")
    }

    @Test("hpaguard-lint resolves targets across all staged files in one run (require_serial)")
    func lintHookCrossFile() async throws {
        try await Shell.requireTool("pre-commit", install: "python3 -m pip install pre-commit")
        let project = try await Project(hooks: ["hpaguard-lint"])
        defer { project.remove() }
        // The Deployment without a CPU request, in its own file: only a run that sees both files can tell.
        try project.write("deployment.yaml", Self.deployment.replacingOccurrences(of: "cpu: 500m, ", with: ""))
        try project.write("hpa.yaml", Self.hpa(min: 2, max: 6))
        for index in 0..<8 { try project.write("config-\(index).yaml", "key: value-\(index)\n") }
        let result = try await project.run("git add -A && pre-commit run --all-files")
        #expect(result.status != 0, "\(result)")
        #expect(result.stdout.contains("error [target-missing-request]"), "\(result)")
    }

    @Test("hpaguard-fix writes the ML profile into the manifest; the re-staged file is committed")
    func fixHook() async throws {
        try await Shell.requireTool("pre-commit", install: "python3 -m pip install pre-commit")
        let project = try await Project(hooks: ["hpaguard-fix"])
        defer { project.remove() }
        let before = try String(
            contentsOf: Shell.testdata.appendingPathComponent("profiles/llm-vllm-detected/before.yaml"), encoding: .utf8)
        try project.write("llama.yaml", before)
        let install = try await project.run("pre-commit install")
        try #require(install.status == 0, "\(install)")

        let first = try await project.run("git add -A && git commit -m 'llama: autoscale'")
        #expect(first.status != 0, "pre-commit must stop a commit whose files a hook changed:\n\(first)")
        #expect(first.stdout.contains("files were modified by this hook"), "\(first)")
        let fixed = try project.read("llama.yaml")
        #expect(fixed.contains("hpaguard.io/applied-profile"), "\(fixed)")
        #expect(fixed.contains("minReplicas: 2   # keep one warm spare"), "comments are kept:\n\(fixed)")

        let second = try await project.run("git add -A && git commit -m 'llama: autoscale'")
        #expect(second.status == 0, "\(second)")
        #expect(try project.read("llama.yaml") == fixed, "a second fix changes nothing")
    }
}
