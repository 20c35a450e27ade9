import Engine
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `hpaguard lint` through the built binary: exit codes, standard output and standard error as the contract says.
@Suite("hpaguard lint")
struct LintCommandTests {
    static let cli = "testdata/cli/"

    // MARK: - Exit codes

    @Test("a clean file exits 0 and reports no error")
    func cleanFile() async throws {
        let result = try await HPAGuardBinary.run(["lint", Self.cli + "clean.yaml"])
        #expect(result.status == 0, "\(result)")
        #expect(!result.signaled)
        #expect(!result.stdout.contains(": error ["), "\(result)")
        #expect(result.stdout.hasSuffix("in 1 file (2 objects)\n"), "\(result)")
        #expect(result.stdout.contains("0 errors"))
        #expect(result.stderr.isEmpty, "\(result)")
    }

    @Test("an error finding exits 1 and prints file:line:column: severity [rule] message")
    func errorFinding() async throws {
        let result = try await HPAGuardBinary.run(["lint", Self.cli + "max-below-min.yaml"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == """
            testdata/cli/max-below-min.yaml:7:3: error [max-below-min] maxReplicas (2) must be greater than or equal \
            to minReplicas (5) (HorizontalPodAutoscaler shop/web)
            1 error, 0 warnings, 0 infos in 1 file (2 objects)

            """)
        #expect(result.stderr.isEmpty)
    }

    @Test("--fail-on decides which severity fails the run", arguments: [
        // (policy, --fail-on, expected exit)
        ("syntax-as-warning", nil, 0), ("syntax-as-warning", "error", 0), ("syntax-as-warning", "warning", 1),
        ("syntax-as-warning", "info", 1), ("syntax-as-info", nil, 0), ("syntax-as-info", "warning", 0),
        ("syntax-as-info", "info", 1),
    ] as [(String, String?, Int32)])
    func failOn(policy: String, failOn: String?, expected: Int32) async throws {
        var arguments = ["lint", "--policy", Self.cli + "\(policy).policy.yaml"]
        if let failOn { arguments += ["--fail-on", failOn] }
        let result = try await HPAGuardBinary.run(arguments + [Self.cli + "broken.yaml"])
        #expect(result.status == expected, "\(result)")
        let severity = policy == "syntax-as-warning" ? "warning" : "info"
        #expect(result.stdout.contains("testdata/cli/broken.yaml:3:1: \(severity) [syntax-error]"), "\(result)")
    }

    @Test("a missing path exits 2 and names the path on stderr")
    func missingPath() async throws {
        let result = try await HPAGuardBinary.run(["lint", Self.cli + "clean.yaml", "no/such/file.yaml"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("no/such/file.yaml"), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test("an unreadable file exits 2 and names the path", .enabled(if: getuid() != 0, "root reads every file"))
    func unreadableFile() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("secret.yaml")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data("a: 1\n".utf8), attributes: [.posixPermissions: 0])
        let result = try await HPAGuardBinary.run(["lint", file.path])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains(file.path))
    }

    @Test("a policy with an unknown rule id exits 2, naming the file and the key")
    func unknownRulePolicy() async throws {
        let result = try await HPAGuardBinary.run(["lint", "--policy", Self.cli + "unknown-rule.policy.yaml", Self.cli + "clean.yaml"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("testdata/cli/unknown-rule.policy.yaml:5:3"), "\(result)")
        #expect(result.stderr.contains("rules.no-such-rule"), "\(result)")
        #expect(result.stderr.contains("unknown rule id"), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a policy with a wrongly typed value exits 2, naming the file and the key")
    func wronglyTypedPolicy() async throws {
        let result = try await HPAGuardBinary.run(["lint", "--policy", Self.cli + "wrong-type.policy.yaml", Self.cli + "clean.yaml"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("testdata/cli/wrong-type.policy.yaml:5:5"), "\(result)")
        #expect(result.stderr.contains("rules.max-below-min.enabled"), "\(result)")
        #expect(result.stderr.contains("expected true or false"), "\(result)")
    }

    @Test("a wrongly typed rule parameter exits 2, naming the file and the parameter")
    func wronglyTypedParameter() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let policy = folder.appendingPathComponent("policy.yaml")
        // A rule with a parameter gets a value of the wrong type; while no rule takes one, any parameter is refused.
        let withParameter = RuleRegistry.all.map { $0.description }.first { !$0.parameters.isEmpty }
        let rule = withParameter?.id ?? "max-below-min"
        let parameter = withParameter?.parameters.first
        let name = parameter?.name ?? "threshold"
        let wrongValue = switch parameter?.kind {
        case .string?, .stringList?: "42"
        default: "\"not-a-number\""
        }
        try "rules:\n  \(rule):\n    parameters:\n      \(name): \(wrongValue)\n".write(to: policy, atomically: true, encoding: .utf8)
        let result = try await HPAGuardBinary.run(["lint", "--policy", policy.path, Self.cli + "clean.yaml"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains(policy.path + ":4:7"), "\(result)")
        #expect(result.stderr.contains("rules.\(rule).parameters.\(name)"), "\(result)")
        #expect(result.stderr.contains(withParameter == nil ? "takes no parameters" : "expected"), "\(result)")
    }

    @Test("usage errors exit 2", arguments: [
        ["lint", "--no-such-option", "testdata/cli/clean.yaml"],
        ["lint"],
        ["lint", "--format", "xml", "testdata/cli/clean.yaml"],
        ["lint", "--fail-on", "fatal", "testdata/cli/clean.yaml"],
        ["lint", "--kube-version", "one.two", "testdata/cli/clean.yaml"],
        ["no-such-command"],
    ])
    func usageErrors(arguments: [String]) async throws {
        let result = try await HPAGuardBinary.run(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(!result.stderr.isEmpty)
        if arguments.contains("--no-such-option") { #expect(result.stderr.contains("--no-such-option")) }
    }

    // MARK: - Inputs

    @Test("- reads standard input, reported as <stdin>")
    func standardInput() async throws {
        let manifest = try Data(contentsOf: HPAGuardBinary.testdata.appendingPathComponent("cli/max-below-min.yaml"))
        let result = try await HPAGuardBinary.run(["lint", "--format", "json", "-"], stdin: manifest)
        #expect(result.status == 1, "\(result)")
        let findings = try #require(try result.json()["findings"] as? [[String: Any]])
        #expect(findings.map { $0["file"] as? String } == ["<stdin>"])
        #expect(findings.first?["line"] as? Int == 7)
    }

    @Test("a directory walk reads *.yaml, *.yml and *.json, skipping dot-folders and other extensions")
    func directoryWalk() async throws {
        let result = try await HPAGuardBinary.run(["lint", "--format", "json", Self.cli + "tree"])
        #expect(result.status == 1, "\(result)")
        let json = try result.json()
        let findings = try #require(json["findings"] as? [[String: Any]])
        let files = findings.compactMap { $0["file"] as? String }
        #expect(files == ["a.yaml", "b.yml", "c.json", "sub/d.yaml"].map { Self.cli + "tree/" + $0 })
        let names = findings.compactMap { ($0["object"] as? [String: Any])?["name"] as? String }
        #expect(names == ["walked-yaml", "walked-yml", "walked-json", "walked-nested"])
        #expect((json["summary"] as? [String: Any])?["files"] as? Int == 4)
    }

    @Test("a file named explicitly is linted whatever its extension")
    func explicitFile() async throws {
        let result = try await HPAGuardBinary.run(["lint", Self.cli + "notes.txt", Self.cli + "tree/skipped.yaml.bak"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("testdata/cli/notes.txt:8:3: error [max-below-min]"), "\(result)")
        #expect(result.stdout.contains("testdata/cli/tree/skipped.yaml.bak:7:3: error [max-below-min]"), "\(result)")
    }

    @Test("a link loop, broken links and a named pipe in a walked folder are noted on stderr and survived")
    func linksInAWalk() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = FileManager.default
        try files.copyItem(
            at: HPAGuardBinary.testdata.appendingPathComponent("cli/max-below-min.yaml"),
            to: folder.appendingPathComponent("hpa.yaml"))
        try files.createDirectory(at: folder.appendingPathComponent("nested"), withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("nested/up").path, withDestinationPath: "..")
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("gone.yaml").path, withDestinationPath: "missing.yaml")
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("self.yaml").path, withDestinationPath: "self.yaml")
        // A named pipe would block a read forever: a walk skips it with a note.
        #expect(mkfifo(folder.appendingPathComponent("pipe.yaml").path, 0o644) == 0)

        let result = try await HPAGuardBinary.run(["lint", "--format", "json", folder.path])
        #expect(result.status == 1, "exit as per the findings: \(result)")
        #expect(!result.signaled)
        #expect(result.stderr.contains("gone.yaml: broken link"), "\(result)")
        #expect(result.stderr.contains("self.yaml"), "\(result)")
        #expect(result.stderr.contains("nested/up"), "the loop is noted: \(result)")
        #expect(result.stderr.contains("pipe.yaml: not a regular file; skipped"), "\(result)")
        let findings = try #require(try result.json()["findings"] as? [[String: Any]])
        #expect(findings.compactMap { $0["file"] as? String } == [folder.path + "/hpa.yaml"])
    }

    @Test("a 20 MB stream (past the old 16 MiB file bound) is linted whole, from a file and from standard input")
    func largeStream() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("platform.yaml")
        // Pairs of a Deployment and its HPA; every 500th HPA has minReplicas above maxReplicas.
        var text = ""
        var brokenLines: [Int] = []
        var line = 1
        var pairs = 0
        while text.utf8.count < 20 << 20 {
            let broken = pairs % 500 == 0
            let pair = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app-\(pairs), namespace: ml}
                spec:
                  selector: {matchLabels: {app: app-\(pairs)}}
                  template:
                    metadata: {labels: {app: app-\(pairs)}}
                    spec:
                      containers:
                        - name: server
                          image: registry.example/server:1.0
                          resources: {requests: {cpu: "1", memory: 2Gi}, limits: {memory: 2Gi}}
                          readinessProbe: {httpGet: {path: /health, port: 8080}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: app-\(pairs), namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-\(pairs)}
                  minReplicas: \(broken ? 9 : 2)
                  maxReplicas: 8
                  metrics:
                    - type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                ---

                """
            if broken { brokenLines.append(line + 20) }
            line += pair.count { $0 == "\n" }
            text += pair
            pairs += 1
        }
        try Data(text.utf8).write(to: file)

        for arguments in [["lint", "--format", "json", file.path], ["lint", "--format", "json", "-"]] {
            let stdin = arguments.last == "-" ? Data(text.utf8) : nil
            let result = try await HPAGuardBinary.run(arguments, stdin: stdin)
            #expect(result.status == 1, "\(result.stderr)")
            let json = try result.json()
            let summary = try #require(json["summary"] as? [String: Any])
            #expect(summary["objects"] as? Int == 2 * pairs)
            let findings = try #require(json["findings"] as? [[String: Any]])
            let errors = findings.filter { $0["rule"] as? String == "max-below-min" }
            #expect(errors.compactMap { $0["line"] as? Int } == brokenLines)
            #expect(!findings.contains { $0["rule"] as? String == "syntax-error" || $0["rule"] as? String == "target-not-found" })
        }
    }

    @Test("--fix on a file of 2,000 model servers edits every HPA, in one atomic replacement")
    func fixManyObjects() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("fleet.yaml")
        let count = 2_000
        let text = (0..<count).map { index in
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: llm-\(index), namespace: ml}
            spec:
              template:
                spec:
                  containers:
                    - name: vllm
                      image: vllm/vllm-openai:v0.8.5
                      resources: {requests: {cpu: "4", nvidia.com/gpu: "1"}, limits: {nvidia.com/gpu: "1"}}
                      startupProbe: {httpGet: {path: /health, port: 8000}, periodSeconds: 10, failureThreshold: 30}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: llm-\(index), namespace: ml}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm-\(index)}
              minReplicas: 2
              maxReplicas: 8
              metrics:
                - type: Pods
                  pods: {metric: {name: vllm:num_requests_waiting}, target: {type: AverageValue, averageValue: "5"}}

            """
        }.joined(separator: "---\n")
        try Data(text.utf8).write(to: file)
        let before = try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int

        let result = try await HPAGuardBinary.run(["lint", "--fix", "--format", "json", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("fixed \(file.path)"))
        let fixed = try String(contentsOf: file, encoding: .utf8)
        #expect(fixed.components(separatedBy: "hpaguard.io/applied-profile").count - 1 == count)
        // Replaced by a rename, not written over: a reader never sees half a file.
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int != before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["fleet.yaml"])
    }

    // MARK: - Output formats

    @Test("--format json prints exactly one object with the contract's keys, findings in report order")
    func jsonContract() async throws {
        let result = try await HPAGuardBinary.run([
            "lint", "--format", "json", Self.cli + "tree/b.yml", Self.cli + "broken.yaml", Self.cli + "tree/a.yaml",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("{") && result.stdout.hasSuffix("}\n"), "\(result)")
        let json = try result.json()
        #expect(Set(json.keys) == ["findings", "summary"])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(Set(summary.keys) == ["files", "objects", "errors", "warnings", "infos"])
        #expect(summary["files"] as? Int == 3)
        #expect(summary["objects"] as? Int == 2)
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(summary["errors"] as? Int == findings.count { $0["severity"] as? String == "error" })
        for finding in findings {
            #expect(Set(finding.keys) == ["rule", "severity", "message", "file", "line", "column", "path", "object", "source"])
            #expect(finding["source"] as? String == "file")
            if finding["rule"] as? String == "syntax-error" {
                #expect(finding["path"] is NSNull)
                #expect(finding["object"] is NSNull)
            } else {
                let object = try #require(finding["object"] as? [String: Any])
                #expect(Set(object.keys) == ["apiVersion", "kind", "namespace", "name"])
                #expect(finding["path"] as? String == "/spec/maxReplicas")
            }
        }
        let order = findings.map { ($0["file"] as? String ?? "", $0["line"] as? Int ?? 0) }
        #expect(order.map(\.0) == [Self.cli + "broken.yaml", Self.cli + "tree/a.yaml", Self.cli + "tree/b.yml"])
        #expect(order.map(\.0) == order.map(\.0).sorted())
    }

    @Test("--format github prints workflow commands")
    func githubFormat() async throws {
        let result = try await HPAGuardBinary.run([
            "lint", "--format", "github", "--policy", Self.cli + "syntax-as-info.policy.yaml",
            Self.cli + "max-below-min.yaml", Self.cli + "broken.yaml",
        ])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "::notice file=testdata/cli/broken.yaml,line=3,col=1,title=[syntax-error]::"
            + "did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 6)", "\(result)")
        #expect(lines.dropFirst().first?.hasPrefix(
            "::error file=testdata/cli/max-below-min.yaml,line=7,col=3,title=[max-below-min]::maxReplicas (2)") == true)
    }

    @Test("--format junit prints XML with a failure for the error")
    func junitFormat() async throws {
        let result = try await HPAGuardBinary.run(["lint", "--format", "junit", Self.cli + "max-below-min.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"), "\(result)")
        #expect(result.stdout.contains("<failure message=\"maxReplicas (2) must be greater"))
        let document = try XMLDocument(data: result.stdoutData)
        #expect(try document.nodes(forXPath: "//testcase").count == 1)
    }

    @Test("--format junit fails the cases --fail-on fails: warnings too with --fail-on warning")
    func junitFollowsFailOn() async throws {
        let file = "testdata/examples/common-mistakes.yaml"
        func failures(_ arguments: [String]) async throws -> (status: Int32, failed: Int, cases: Int, declared: String?) {
            let result = try await HPAGuardBinary.run(["lint", "--format", "junit"] + arguments + [file])
            let document = try XMLDocument(data: result.stdoutData)
            let declared = try document.nodes(forXPath: "/testsuites/@failures").first?.stringValue
            return (result.status, try document.nodes(forXPath: "//testcase[failure]").count,
                    try document.nodes(forXPath: "//testcase").count, declared)
        }
        let errorsOnly = try await failures([])
        let withWarnings = try await failures(["--fail-on", "warning"])
        let everything = try await failures(["--fail-on", "info"])
        #expect(errorsOnly.status == 1 && withWarnings.status == 1)
        #expect(errorsOnly.failed > 0 && withWarnings.failed > errorsOnly.failed, "\(errorsOnly) \(withWarnings)")
        #expect(everything.failed == everything.cases, "\(everything)")
        for run in [errorsOnly, withWarnings, everything] { #expect(run.declared == String(run.failed)) }
    }
}
