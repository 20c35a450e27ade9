import Engine
import Manifests

/// Exactly one JSON object: `{"findings":[...],"summary":{...}}`, the contract other tools parse. Each finding says
/// its `source`: `file` (lint) or `cluster` (audit, where `file`, `line` and `column` are null).
///
/// Written straight into bytes (no intermediate tree, no `String` appends), in slices on all cores: large trees
/// have tens of thousands of findings.
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        String(decoding: renderBytes(report), as: UTF8.self)
    }

    public func renderBytes(_ report: LintReport) -> [UInt8] {
        // Findings are written in slices on all cores, then joined: a large tree's report is otherwise one core's
        // work after the run's parallel part is over.
        let slices = concurrentMap(batches(of: report.findings)) { findings in
            var out: [UInt8] = []
            out.reserveCapacity(findings.count * 320)
            for index in findings.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.append(findings[index], to: &out)
            }
            return out
        }
        var out: [UInt8] = []
        out.reserveCapacity(slices.reduce(128) { $0 + $1.count })
        JSONText.append("{\"findings\":[", to: &out)
        for slice in slices { out += slice }
        JSONText.append("],\"summary\":{\"files\":", to: &out)
        JSONText.append(report.files, to: &out)
        JSONText.append(",\"objects\":", to: &out)
        JSONText.append(report.objects, to: &out)
        JSONText.append(",\"errors\":", to: &out)
        JSONText.append(report.count(.error), to: &out)
        JSONText.append(",\"warnings\":", to: &out)
        JSONText.append(report.count(.warning), to: &out)
        JSONText.append(",\"infos\":", to: &out)
        JSONText.append(report.count(.info), to: &out)
        JSONText.append("}}\n", to: &out)
        return out
    }

    private static func append(_ finding: Finding, to out: inout [UInt8]) {
        JSONText.append("{\"rule\":", to: &out)
        JSONText.appendString(finding.rule, to: &out)
        JSONText.append(",\"severity\":", to: &out)
        JSONText.appendString(finding.severity.rawValue, to: &out)
        JSONText.append(",\"message\":", to: &out)
        JSONText.appendString(finding.message, to: &out)
        JSONText.append(",\"file\":", to: &out)
        // A cluster finding has no file: its object says which one it is.
        if finding.source == .cluster { JSONText.append("null", to: &out) } else { JSONText.appendString(finding.file, to: &out) }
        if let position = finding.position {
            JSONText.append(",\"line\":", to: &out)
            JSONText.append(position.line, to: &out)
            JSONText.append(",\"column\":", to: &out)
            JSONText.append(position.column, to: &out)
        } else {
            JSONText.append(",\"line\":null,\"column\":null", to: &out)
        }
        JSONText.append(",\"path\":", to: &out)
        if let path = finding.path { JSONText.appendString(path.description, to: &out) } else { JSONText.append("null", to: &out) }
        JSONText.append(",\"object\":", to: &out)
        if let object = finding.object {
            JSONText.append("{\"apiVersion\":", to: &out)
            JSONText.appendString(object.apiVersion, to: &out)
            JSONText.append(",\"kind\":", to: &out)
            JSONText.appendString(object.kind, to: &out)
            JSONText.append(",\"namespace\":", to: &out)
            if let namespace = object.namespace { JSONText.appendString(namespace, to: &out) } else { JSONText.append("null", to: &out) }
            JSONText.append(",\"name\":", to: &out)
            if let name = object.name { JSONText.appendString(name, to: &out) } else { JSONText.append("null", to: &out) }
            out.append(UInt8(ascii: "}"))
        } else {
            JSONText.append("null", to: &out)
        }
        JSONText.append(",\"source\":", to: &out)
        JSONText.appendString(finding.source.rawValue, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}
