import Foundation
import Testing

/// The SARIF output validates against the official SARIF 2.1.0 JSON schema (vendored in testdata/schemas/, see the
/// README there), checked by Python's `jsonschema`, a validator that owes nothing to our code.
///
/// scripts/test.sh installs python3's jsonschema and rfc3986-validator (scripts/install-test-tools.sh); without them
/// this test fails rather than skips, so a green run always means the schema was checked.
@Suite("SARIF schema")
struct SARIFSchemaTests {
    static let validator = HPAGuardBinary.testdata.appendingPathComponent("schemas/validate_sarif.py")
    static let schema = HPAGuardBinary.testdata.appendingPathComponent("schemas/sarif-schema-2.1.0.json")

    static func validate(_ sarif: Data, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let python = try #require(
            ["/usr/bin/env"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "no /usr/bin/env to find python3 with")
        let result = try await HPAGuardBinary.runProcess(
            URL(fileURLWithPath: python), ["python3", Self.validator.path, Self.schema.path], stdin: sarif,
            in: HPAGuardBinary.repositoryRoot)
        #expect(
            result.status == 0,
            "SARIF schema validation failed (python3 with jsonschema and rfc3986-validator is required: `python3 -m pip install jsonschema rfc3986-validator`):\n\(result.stderr)\(result.stdout)",
            sourceLocation: sourceLocation)
    }

    @Test("lint --format sarif validates against the official SARIF 2.1.0 schema", arguments: [
        ["testdata/cli/max-below-min.yaml", "testdata/cli/broken.yaml", "testdata/cli/tree", "-"],
        ["testdata/cli/clean.yaml"],
    ])
    func validates(paths: [String]) async throws {
        let stdin = try Data(contentsOf: HPAGuardBinary.testdata.appendingPathComponent("cli/notes.txt"))
        let result = try await HPAGuardBinary.run(
            ["lint", "--format", "sarif", "--policy", "testdata/cli/syntax-as-info.policy.yaml"] + paths, stdin: stdin)
        #expect(result.status == 0 || result.status == 1, "\(result)")
        try await Self.validate(result.stdoutData)

        let log = try result.json()
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "hpaguard")
        #expect(driver["version"] is String)
        #expect(driver["informationUri"] is String)
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        for sarifResult in results {
            let index = try #require(sarifResult["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == sarifResult["ruleId"] as? String)
        }
        if paths.contains("testdata/cli/broken.yaml") {
            #expect(results.contains { $0["ruleId"] as? String == "syntax-error" && $0["level"] as? String == "note" })
            let uris = results.compactMap {
                ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"]
                    as? [String: Any])?["uri"] as? String
            }
            #expect(uris.contains("testdata/cli/broken.yaml"))
            #expect(uris.contains("%3Cstdin%3E"))
        }
    }

    @Test("the SARIF golden files validate too", arguments: ["findings.sarif.sarif", "clean.sarif.sarif"])
    func snapshotValidates(name: String) async throws {
        let snapshot = HPAGuardBinary.repositoryRoot.appendingPathComponent("Tests/ReportersTests/Snapshots/" + name)
        try await Self.validate(try Data(contentsOf: snapshot))
    }

    @Test("the validator rejects a log that breaks the schema (the check is real)")
    func rejectsInvalid() async throws {
        let invalid = Data(#"{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "info", "message": {"text": "x"}}]}]}"#.utf8)
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let result = try await HPAGuardBinary.runProcess(
            python, ["python3", Self.validator.path, Self.schema.path], stdin: invalid, in: HPAGuardBinary.repositoryRoot)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("'name' is a required property"), "\(result)")
        #expect(result.stderr.contains("'info' is not one of"), "\(result)")
    }
}
