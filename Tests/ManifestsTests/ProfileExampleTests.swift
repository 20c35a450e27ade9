import Engine
import Foundation
import Testing
import TestSupport
@testable import Manifests

/// Each case under testdata/profiles/ is a manifest before and after its profile: `--fix`/`mutate` must turn the one
/// into the other byte for byte, change nothing on the second run, and agree with what the webhook's /mutate
/// patch does to the object the API server hands it.
@Suite("Profile examples")
struct ProfileExampleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let casesDirectory = repository.appendingPathComponent("testdata/profiles")

    static let cases: [String] = (try? FileManager.default.contentsOfDirectory(atPath: casesDirectory.path).sorted()) ?? []

    struct Case {
        let name: String
        let before: [UInt8]
        let after: [UInt8]

        init(_ name: String) throws {
            self.name = name
            let directory = ProfileExampleTests.casesDirectory.appendingPathComponent(name)
            before = [UInt8](try Data(contentsOf: directory.appendingPathComponent("before.yaml")))
            after = [UInt8](try Data(contentsOf: directory.appendingPathComponent("after.yaml")))
        }
    }

    static func linter() throws -> Linter { Linter(engine: Engine(policy: try PolicyLoader.defaultPolicy())) }

    @Test func thereAreCasesForEveryShippedProfile() throws {
        #expect(Self.cases.count >= 6)
        let afters = try Self.cases.map { String(decoding: try Case($0).after, as: UTF8.self) }.joined()
        for profile in try PolicyLoader.builtInProfiles() {
            #expect(afters.contains("\(MutationAnnotation.applied): \"\(profile.name)"), "no example applies \(profile.name)")
        }
    }

    @Test("fix turns before into after, byte for byte", arguments: cases)
    func fixGivesAfter(_ name: String) throws {
        let example = try Case(name)
        let outcome = try Self.linter().fix([(name: "before.yaml", bytes: example.before)])[0]
        #expect(outcome.refusal == nil)
        let result = outcome.fixed ?? example.before
        #expect(String(decoding: result, as: UTF8.self) == String(decoding: example.after, as: UTF8.self))
    }

    @Test("fixing after changes nothing (idempotent)", arguments: cases)
    func fixIsIdempotent(_ name: String) throws {
        let example = try Case(name)
        let outcome = try Self.linter().fix([(name: "after.yaml", bytes: example.after)])[0]
        #expect(outcome.fixed == nil)
        #expect(outcome.refusal == nil)
    }

    /// What the API server stores: the linter's fixed manifest, defaulted; or the webhook's patch applied to the
    /// defaulted original. They must be the same object, except what only the linter can see (a missing
    /// minReplicas, which the API server has already defaulted to 1 when the webhook is called).
    @Test("lint --fix and /mutate store the same object", arguments: cases)
    func fixAgreesWithAdmission(_ name: String) throws {
        let example = try Case(name)
        let engine = Engine(policy: try PolicyLoader.defaultPolicy(), vantage: .admission)
        let before = ManifestLoader.load(example.before, file: "before.yaml").objects
        let after = ManifestLoader.load(example.after, file: "after.yaml").objects
        let resolver = InventoryResolver(objects: before)
        for (original, fixed) in zip(before, after) {
            guard let hpa = HPA(original), let fixedHPA = HPA(fixed), hpa.version == "v2" else { continue }
            let received = ManifestObject(value: hpa.defaultedObject, file: "request")
            let plan = engine.mutationPlan(for: received, resolver: resolver)
            let admitted = try JSONPatch.apply(plan.operations, to: received.value)
            var linted = fixedHPA.defaultedObject
            var webhook = admitted
            let minReplicasWritten = original.value["spec"]?["minReplicas"] != nil
            if !minReplicasWritten {
                #expect(webhook["spec"]?["minReplicas"] == 1, "the webhook cannot raise a defaulted minReplicas")
                let pointers = [
                    JSONPointer("/spec/minReplicas"), JSONPointer(tokens: ["metadata", "annotations", MutationAnnotation.applied]),
                ]
                for pointer in pointers {
                    linted.set(.null, at: pointer)
                    webhook.set(.null, at: pointer)
                }
            }
            #expect(linted == webhook, "\(name): \(linted.serialized())\n!=\n\(webhook.serialized())")
            // Re-mutating the admitted object (as after reinvocation) changes nothing.
            let again = engine.mutationPlan(for: ManifestObject(value: admitted, file: "request"), resolver: resolver)
            #expect(again.operations.isEmpty)
        }
    }

    @Test("every /mutate patch applies with Python's jsonpatch and gives a schema-valid object")
    func patchesApplyIndependently() async throws {
        let engine = Engine(policy: try PolicyLoader.defaultPolicy(), vantage: .admission)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpaguard-patches-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var written = 0
        for name in Self.cases {
            let example = try Case(name)
            let objects = ManifestLoader.load(example.before, file: "before.yaml").objects
            let resolver = InventoryResolver(objects: objects)
            for (index, object) in objects.enumerated() {
                guard let hpa = HPA(object), hpa.version == "v2" else { continue }
                let received = JSONValue.object(JSONObject((hpa.defaultedObject.objectValue ?? JSONObject()).members
                    .filter { $0.key != "status" }.map { ($0.key, $0.value) }))
                let plan = engine.mutationPlan(for: ManifestObject(value: received, file: "request"), resolver: resolver)
                guard !plan.operations.isEmpty else { continue }
                let expected = try JSONPatch.apply(plan.operations, to: received)
                let stem = directory.appendingPathComponent("\(name)-\(index)").path
                try received.serialized().write(toFile: stem + ".object.json", atomically: true, encoding: .utf8)
                try JSONPatch.serialize(plan.operations).write(toFile: stem + ".patch.json", atomically: true, encoding: .utf8)
                try expected.serialized().write(toFile: stem + ".expected.json", atomically: true, encoding: .utf8)
                written += 1
            }
        }
        #expect(written >= 5)
        let result = try await runPython(Self.repository.appendingPathComponent("testdata/scripts/verify_patches.py").path, directory.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\(written) passed, 0 failed"), "\(result.output)")
    }
}

/// Runs a Python script; CI installs its packages (jsonpatch, kubernetes-validate), and a missing one fails the test.
/// Output goes through a file and the wait sleeps as a task: tests run in parallel on Swift's cooperative pool, one
/// thread per core, and a test blocked reading a pipe there starves every other test.
func runPython(_ script: String, _ arguments: String...) async throws -> (status: Int32, output: String) {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("hpaguard-python-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    let handle = try FileHandle(forWritingTo: output)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script] + arguments
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    // A run past five minutes is a hang: killed, and its failure is the caller's status check.
    guard await process.exited(within: .seconds(300)) else { return (-1, "python3 \(script) did not end within 300 s") }
    return (process.terminationStatus, String(decoding: try Data(contentsOf: output), as: UTF8.self))
}

/// `--fix` on manifests other people wrote: every original line survives, in order, byte for byte; the result
/// loads, and a second fix changes nothing.
private let realWorldCorpus = ProfileExampleTests.repository.deletingLastPathComponent()
    .appendingPathComponent("shared/corpus/real-world")

@Suite(
    "Fix on real-world manifests",
    .enabled(
        if: FileManager.default.fileExists(atPath: realWorldCorpus.path),
        "skipped: the real-world corpus (../shared/corpus/real-world) is not beside this clone"))
struct RealWorldFixTests {
    static let corpus = realWorldCorpus

    static let files: [String] = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path))?
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted() ?? []

    /// Every HPA gets the llm-inference profile, so every file with an autoscaling/v2 HPA is edited.
    static let policy = """
        profiles:
          selectors:
          - profile: llm-inference
        """

    @Test func theCorpusIsThere() {
        #expect(Self.files.count >= 40, "expected ../shared/corpus/real-world beside the repository")
    }

    @Test("fix keeps every original line", arguments: files)
    func fixKeepsOriginalLines(_ file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(file)))
        let engine = Engine(policy: try PolicyLoader.load(text: Self.policy, file: "policy.yaml"))
        let linter = Linter(engine: engine)
        let outcome = linter.fix([(name: file, bytes: bytes)])[0]
        guard let fixed = outcome.fixed else { return }
        let original = String(decoding: bytes, as: UTF8.self)
        let result = String(decoding: fixed, as: UTF8.self)
        let script = UnifiedDiff.editScript(UnifiedDiff.splitLines(original), UnifiedDiff.splitLines(result))
        #expect(!script.contains(.delete), "\(file): --fix changed or removed an original line")
        #expect(script.contains(.insert))
        let again = linter.fix([(name: file, bytes: fixed)])[0]
        #expect(again.fixed == nil && again.refusal == nil, "\(file): a second fix is not a no-op")
        #expect(ManifestLoader.load(fixed, file: file).problems.isEmpty)
    }

    @Test func severalCorpusFilesAreActuallyFixed() throws {
        let engine = Engine(policy: try PolicyLoader.load(text: Self.policy, file: "policy.yaml"))
        let fixedCount = try Self.files.filter { file in
            let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(file)))
            return Linter(engine: engine).fix([(name: file, bytes: bytes)])[0].fixed != nil
        }.count
        #expect(fixedCount >= 15)
    }
}
