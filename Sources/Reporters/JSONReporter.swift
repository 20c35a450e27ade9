import Engine
import Manifests

/// Exactly one JSON object: `{"findings":[...],"summary":{...}}`, the contract other tools parse.
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        let findings: [JSONValue] = report.findings.map { finding in
            var object = JSONObject()
            object["rule"] = .string(finding.rule)
            object["severity"] = .string(finding.severity.rawValue)
            object["message"] = .string(finding.message)
            object["file"] = .string(finding.file)
            object["line"] = finding.position.map { .int(Int64($0.line)) } ?? .null
            object["column"] = finding.position.map { .int(Int64($0.column)) } ?? .null
            object["path"] = finding.path.map { .string($0.description) } ?? .null
            object["object"] = finding.object?.jsonValue ?? .null
            return .object(object)
        }
        let summary: JSONValue = .object(JSONObject([
            ("files", .int(Int64(report.files))),
            ("objects", .int(Int64(report.objects))),
            ("errors", .int(Int64(report.count(.error)))),
            ("warnings", .int(Int64(report.count(.warning)))),
            ("infos", .int(Int64(report.count(.info)))),
        ]))
        return JSONValue.object(JSONObject([("findings", .array(findings)), ("summary", summary)])).serialized() + "\n"
    }
}
