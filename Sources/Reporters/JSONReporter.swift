import Engine
import Manifests

/// Exactly one JSON object: `{"findings":[...],"summary":{...}}`, the contract other tools parse. Each finding says
/// its `source`: `file` (lint) or `cluster` (audit, where `file`, `line` and `column` are null).
///
/// Written straight into the output string (no intermediate tree): large trees have tens of thousands of findings.
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        var out = "{\"findings\":["
        out.reserveCapacity(report.findings.count * 320 + 128)
        for (index, finding) in report.findings.enumerated() {
            if index > 0 { out += "," }
            out += "{\"rule\":"
            JSONValue.writeString(finding.rule, to: &out)
            out += ",\"severity\":\"\(finding.severity.rawValue)\",\"message\":"
            JSONValue.writeString(finding.message, to: &out)
            out += ",\"file\":"
            // A cluster finding has no file: its object says which one it is.
            if finding.source == .cluster { out += "null" } else { JSONValue.writeString(finding.file, to: &out) }
            if let position = finding.position {
                out += ",\"line\":\(position.line),\"column\":\(position.column)"
            } else {
                out += ",\"line\":null,\"column\":null"
            }
            out += ",\"path\":"
            if let path = finding.path { JSONValue.writeString(path.description, to: &out) } else { out += "null" }
            out += ",\"object\":"
            if let object = finding.object {
                out += "{\"apiVersion\":"
                JSONValue.writeString(object.apiVersion, to: &out)
                out += ",\"kind\":"
                JSONValue.writeString(object.kind, to: &out)
                out += ",\"namespace\":"
                if let namespace = object.namespace { JSONValue.writeString(namespace, to: &out) } else { out += "null" }
                out += ",\"name\":"
                if let name = object.name { JSONValue.writeString(name, to: &out) } else { out += "null" }
                out += "}"
            } else {
                out += "null"
            }
            out += ",\"source\":\"\(finding.source.rawValue)\"}"
        }
        out += "],\"summary\":{\"files\":\(report.files),\"objects\":\(report.objects),\"errors\":\(report.count(.error)),"
        out += "\"warnings\":\(report.count(.warning)),\"infos\":\(report.count(.info))}}\n"
        return out
    }
}
