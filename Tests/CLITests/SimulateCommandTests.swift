import Foundation
import Testing

/// `hpaguard simulate`: the contract of issue 11 through the binary (formats, exit codes, bad inputs), and every
/// HPA of the real-world corpus with a built-in trace.
@Suite struct SimulateCommandTests {
    static let llm = "testdata/profiles/llm-vllm-detected/before.yaml"

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func textSummaryWithAssumptions() async throws {
        let result = try await HPAGuardBinary.run(["simulate", "--trace", "spike:2:40@10m+30m", "--capacity", "5", Self.llm])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("peak replicas"))
        #expect(result.stdout.contains("longest unserved stretch"))
        #expect(result.stdout.contains("What it means:"))
        #expect(result.stdout.contains("pods take 6m to load"))
        #expect(result.stdout.contains("Assumptions (a simulation, not a measurement):"))
        #expect(result.stdout.contains("the target's startupProbe budget"))
    }

    @Test func jsonIsOneObjectWithOneTimelineEntryPerSync() async throws {
        let result = try await HPAGuardBinary.run([
            "simulate", "--trace", "step:2:20@5m", "--duration", "10m", "--capacity", "5", "--format", "json",
            "--with-profile", Self.llm,
        ])
        #expect(result.status == 0, "\(result)")
        let json = try result.json()
        let hpa = try #require(json["hpa"] as? [String: Any])
        #expect(hpa["name"] as? String == "llama")
        #expect(hpa["modelLoadSeconds"] as? Double == 360)
        #expect((json["assumptions"] as? [String])?.isEmpty == false)
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.map { $0["name"] as? String } == ["as written", "with profile"])
        let timeline = try #require(runs[0]["timeline"] as? [[String: Any]])
        #expect(timeline.count == 41)
        #expect(timeline.first?["t"] as? Double == 0)
        for key in ["t", "load", "metric", "desiredReplicas", "replicas", "readyReplicas", "reason"] {
            #expect(timeline[20][key] != nil, "timeline entry lacks \(key)")
        }
        let summary = try #require(runs[0]["summary"] as? [String: Any])
        for key in [
            "peakReplicas", "scaleUps", "scaleDowns", "unservedLoadSeconds", "longestUnservedSeconds", "replicaSeconds",
            "secondsAtMax",
        ] {
            #expect(summary[key] != nil, "summary lacks \(key)")
        }
        #expect(runs[0]["behavior"] is NSNull)
        #expect(runs[1]["behavior"] is [String: Any])
    }

    @Test func withoutCapacityUnservedIsNullWithAReason() async throws {
        let result = try await HPAGuardBinary.run(["simulate", "--trace", "step:2:20@5m", "--format", "json", Self.llm])
        #expect(result.status == 0, "\(result)")
        let runs = try #require(try result.json()["runs"] as? [[String: Any]])
        let summary = try #require(runs[0]["summary"] as? [String: Any])
        #expect(summary["unservedLoadSeconds"] is NSNull)
        #expect((summary["unservedReason"] as? String)?.contains("--capacity") == true)
        #expect(
            (try result.json()["assumptions"] as? [String])?.contains { $0.contains("unserved load is not computed") }
                == true)
    }

    @Test func svgIsSelfContainedAndRenders() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("chart.svg").path
        let result = try await HPAGuardBinary.run([
            "simulate", "--trace", "spike:2:40@10m+30m", "--capacity", "5", "--with-profile", "--format", "svg",
            "--output", svg, Self.llm,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!text.contains("<script"))
        #expect(!text.contains("@font-face"))
        #expect(!text.contains("href"))
        #expect(text.contains("load (vllm:num_requests_waiting)"))
        #expect(text.contains("maxReplicas 8"))
        let converter = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        if let converter {
            let png = folder.appendingPathComponent("chart.png").path
            let render = try await HPAGuardBinary.runProcess(URL(fileURLWithPath: converter), [svg, "-o", png], in: folder)
            #expect(render.status == 0, "rsvg-convert failed: \(render.stderr)")
            #expect(FileManager.default.fileExists(atPath: png))
        }
    }

    @Test func htmlHoldsTheChartAndTheTable() async throws {
        let result = try await HPAGuardBinary.run([
            "simulate", "--trace", "ramp:2:30@5m-20m", "--capacity", "5", "--format", "html", Self.llm,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("<!doctype html>"))
        #expect(result.stdout.contains("<svg"))
        #expect(result.stdout.contains("<table>"))
        #expect(result.stdout.contains("Assumptions"))
        #expect(!result.stdout.contains("<script"))
    }

    @Test func severalHPAsNeedHPA() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let two = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: first, namespace: a}
            spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}, maxReplicas: 4}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: second, namespace: b}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: y}
              maxReplicas: 4
              metrics:
              - type: External
                external: {metric: {name: queue}, target: {type: Value, value: "10"}}
            """
        let path = try Self.write(two, "two.yaml", in: folder)
        let result = try await HPAGuardBinary.run(["simulate", "--trace", "step:1:5@1m", path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("a/first"))
        #expect(result.stderr.contains("b/second"))
        #expect(result.stderr.contains("--hpa"))
        let picked = try await HPAGuardBinary.run([
            "simulate", "--trace", "step:1:5@1m", "--hpa", "b/second", "--format", "json", path,
        ])
        #expect(picked.status == 0, "\(picked)")
        let missing = try await HPAGuardBinary.run(["simulate", "--trace", "step:1:5@1m", "--hpa", "third", path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no HPA third"))
    }

    @Test func utilizationWithoutCapacityIsRefused() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.write(
            "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 4, targetCPUUtilizationPercentage: 60}\n",
            "hpa.yaml", in: folder)
        let result = try await HPAGuardBinary.run(["simulate", "--trace", "step:1:5@1m", path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("needs --capacity"))
        let given = try await HPAGuardBinary.run(["simulate", "--trace", "step:0.5:3@1m", "--capacity", "1", path])
        #expect(given.status == 0, "\(given)")
    }

    @Test(arguments: [
        ("seconds,load\n0,1\n60,oops\n", ":3: load `oops` is not a number"),
        ("seconds,load\n0,1\n60,2\n30,1\n", ":4: time goes backwards"),
        ("seconds,load\n", ": the trace is empty"),
        ("seconds,load\n0,1\n60,-3\n", ":3: load -3 is negative"),
    ])
    func badTracesExitTwoWithTheLine(text: String, message: String) async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = try Self.write(text, "trace.csv", in: folder)
        for format in ["text", "json", "svg"] {
            let result = try await HPAGuardBinary.run(["simulate", "--trace", trace, "--format", format, Self.llm])
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.isEmpty, "nothing partial on stdout")
            #expect(result.stderr.contains(trace + message), "\(result.stderr)")
        }
    }

    @Test func usageErrorsExitTwo() async throws {
        for arguments in [
            ["simulate", "--trace", "spike:1:2", Self.llm],
            ["simulate", "--trace", "step:1:2@1m", "--sync-period", "0s", Self.llm],
            ["simulate", "--trace", "step:1:2@1m", "--duration", "soon", Self.llm],
            ["simulate", "--trace", "step:1:2@1m", "--format", "pdf", Self.llm],
            ["simulate", "--trace", "step:1:2@1m", "--metric", "cpu", Self.llm],
            ["simulate", Self.llm],
        ] {
            let result = try await HPAGuardBinary.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func perRequestTraceIsRequestsPerSecond() async throws {
        let folder = try HPAGuardBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
        for second in 0..<600 where second % 2 == 0 {
            text += "2023-11-16 18:\(String(format: "%02d:%02d", second / 60, second % 60)).5000000,374,44\n"
        }
        let trace = try Self.write(text, "azure.csv", in: folder)
        let result = try await HPAGuardBinary.run(["simulate", "--trace", trace, "--format", "json", Self.llm])
        #expect(result.status == 0, "\(result)")
        let json = try result.json()
        #expect((json["hpa"] as? [String: Any])?["loadUnit"] as? String == "requests/s")
        let runs = try #require(json["runs"] as? [[String: Any]])
        let timeline = try #require(runs[0]["timeline"] as? [[String: Any]])
        // One request every 2 s: 8 or 7 in each 15 s bucket; the last bucket ends at 600 s.
        #expect(timeline.count == 41)
        #expect(abs((timeline[3]["load"] as? Double ?? 0) - 0.5) < 0.04)
    }

    /// Every HPA of the real-world corpus, one at a time, with a spike: no crash; exit 0, or 2 with a reason.
    @Test func realWorldCorpus() async throws {
        let folder = HPAGuardBinary.repositoryRoot.deletingLastPathComponent().appendingPathComponent(
            "shared/corpus/real-world")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        var simulated = 0
        var refused = 0
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") {
            let path = folder.appendingPathComponent(name).path
            let listed = try await HPAGuardBinary.run([
                "simulate", "--trace", "spike:1:10@5m+10m", "--capacity", "1", "--format", "json", path,
            ])
            #expect(!listed.signaled, "\(name) crashed: \(listed)")
            guard listed.status != 0 else {
                simulated += 1
                _ = try listed.json()
                continue
            }
            #expect(listed.status == 2, "\(name): \(listed)")
            #expect(!listed.stderr.isEmpty, "\(name): exit 2 without a reason")
            #expect(listed.stdout.isEmpty, "\(name): partial output")
            refused += 1
            // A file with several HPAs: each one by --hpa.
            guard listed.stderr.contains("pick one with --hpa") else { continue }
            for line in listed.stderr.split(separator: "\n") where line.hasPrefix("  ") {
                let hpa = String(line.dropFirst(2).split(separator: " ")[0])
                let one = try await HPAGuardBinary.run([
                    "simulate", "--trace", "diurnal:1:10/1h", "--capacity", "1", "--hpa", hpa, path,
                ])
                #expect(!one.signaled, "\(name) --hpa \(hpa) crashed: \(one)")
                #expect(one.status == 0 || (one.status == 2 && !one.stderr.isEmpty), "\(name) --hpa \(hpa): \(one)")
                if one.status == 0 { simulated += 1 }
            }
        }
        #expect(simulated > 20, "simulated \(simulated), refused \(refused)")
    }
}
