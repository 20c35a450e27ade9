import Engine
import Manifests

/// SARIF 2.1.0 (OASIS Standard, errata 01): one run whose driver describes the rules that produced results.
///
/// What each field follows, by section of the SARIF 2.1.0 specification:
/// - `tool.driver.rules` (§3.19.23) holds a `reportingDescriptor` (§3.49) for every rule that has a result, in
///   registry order, so viewers (GitHub code scanning, the VS Code SARIF viewer) show its summary, rationale and
///   remediation. Rules without results are left out: the log stays small and does not change when rules are added.
/// - `result.level` (§3.27.10) is `error`, `warning` or `note`; hpaguard's `info` is SARIF's `note`.
/// - `artifactLocation.uri` (§3.4.3) is the path as given on the command line, percent-encoded where RFC 3986
///   requires it; absolute paths become `file://` URIs.
/// - Columns count Unicode code points, as libyaml's marks do, so the run says `columnKind: unicodeCodePoints`
///   (§3.14.17; the default would be UTF-16 code units).
/// - The object a finding is about is a `logicalLocation` of kind `resource` (§3.33.7); the JSON pointer and the
///   object's identity are also in the result's property bag (§3.8) under the names the JSON format uses.
public struct SARIFReporter: Reporter {
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public let tool: ToolIdentity
    public let rules: [RuleDescription]

    public init(tool: ToolIdentity = .hpaguard, rules: [RuleDescription] = RuleRegistry.all.map { $0.description }) {
        self.tool = tool
        self.rules = rules
    }

    public func render(_ report: LintReport) -> String {
        let used = Set(report.findings.map(\.rule))
        let descriptors = rules.filter { used.contains($0.id) }
        let indexByID = Dictionary(descriptors.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })

        var driver = JSONObject([
            ("name", .string(tool.name)),
            ("version", .string(tool.version)),
            ("semanticVersion", .string(tool.version)),
            ("informationUri", .string(tool.informationURI)),
        ])
        driver["rules"] = .array(descriptors.map(descriptor))
        let run: JSONValue = .object(JSONObject([
            ("tool", .object(JSONObject([("driver", .object(driver))]))),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(report.findings.map { result($0, ruleIndex: indexByID[$0.rule]) })),
        ]))
        let log: JSONValue = .object(JSONObject([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]))
        return log.prettySerialized() + "\n"
    }

    private func descriptor(_ rule: RuleDescription) -> JSONValue {
        .object(JSONObject([
            ("id", .string(rule.id)),
            ("shortDescription", text(rule.summary)),
            ("fullDescription", text(rule.rationale)),
            ("help", text(rule.remediation)),
            ("defaultConfiguration", .object(JSONObject([("level", .string(Self.level(rule.defaultSeverity)))]))),
            ("properties", .object(JSONObject([
                ("category", .string(rule.category.rawValue)),
                ("tags", .array([.string(rule.category.rawValue)])),
            ]))),
        ]))
    }

    private func result(_ finding: Finding, ruleIndex: Int?) -> JSONValue {
        var result = JSONObject([("ruleId", .string(finding.rule))])
        if let ruleIndex { result["ruleIndex"] = .int(Int64(ruleIndex)) }
        result["level"] = .string(Self.level(finding.severity))
        result["message"] = text(finding.messageWithSubject)

        var physical = JSONObject([
            ("artifactLocation", .object(JSONObject([("uri", .string(Self.uri(forPath: finding.file)))]))),
        ])
        if let position = finding.position {
            physical["region"] = .object(JSONObject([
                ("startLine", .int(Int64(position.line))), ("startColumn", .int(Int64(position.column))),
            ]))
        }
        // A cluster finding has no artifact: SARIF §3.28.1 lets a location be logical only.
        var location = finding.source == .cluster ? JSONObject() : JSONObject([("physicalLocation", .object(physical))])
        if let object = finding.object {
            var logical = JSONObject()
            if let name = object.name { logical["name"] = .string(name) }
            logical["fullyQualifiedName"] = .string(object.displayName)
            logical["kind"] = .string("resource")
            location["logicalLocations"] = .array([.object(logical)])
        }
        result["locations"] = .array([.object(location)])

        var properties = JSONObject()
        properties["path"] = finding.path.map { .string($0.description) } ?? .null
        properties["object"] = finding.object?.jsonValue ?? .null
        result["properties"] = .object(properties)
        return .object(result)
    }

    private func text(_ value: String) -> JSONValue { .object(JSONObject([("text", .string(value))])) }

    /// SARIF §3.27.10: `none`, `note`, `warning`, `error`.
    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// A URI reference for `path`: relative paths stay relative (viewers resolve them against the checkout), absolute
    /// ones become `file://` URIs, and every byte RFC 3986 does not allow in a path is percent-encoded.
    static func uri(forPath path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        // A first segment with a colon ("c:x.yaml") would read as a scheme.
        if !path.hasPrefix("/"), let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/") { out += "./" }
        for byte in path.utf8 {
            if isPathByte(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// RFC 3986 `pchar` and `/`: unreserved, sub-delims, `:` and `@`.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*+,;=:@/".utf8.contains(byte)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
