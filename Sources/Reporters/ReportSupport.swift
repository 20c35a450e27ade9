import Engine
import Manifests

/// Who wrote a report: SARIF names the tool, the CLI prints the version.
public struct ToolIdentity: Sendable, Hashable {
    public var name: String
    public var version: String
    public var informationURI: String

    public init(name: String, version: String, informationURI: String) {
        self.name = name
        self.version = version
        self.informationURI = informationURI
    }

    /// This build of hpaguard; `hpaguard --version` prints the same version.
    public static let hpaguard = ToolIdentity(
        name: "hpaguard", version: "0.1.0", informationURI: "https://github.com/hpaguard/hpaguard")
}

extension Finding {
    /// `file:line:column`, or the file alone when the finding has no position.
    var place: String { position.map { "\(file):\($0.line):\($0.column)" } ?? file }

    /// The message with the object it is about, as the text reporter prints it: "… (HorizontalPodAutoscaler ml/web)".
    /// A cluster finding is already placed at the object's `namespace/name`, so only its kind is added.
    var messageWithSubject: String {
        guard let object else { return message }
        if source == .cluster, file == [object.namespace, object.name].compactMap({ $0 }).joined(separator: "/") {
            return "\(message) (\(object.kind))"
        }
        return "\(message) (\(object.displayName))"
    }
}

extension ObjectReference {
    /// The object as the JSON contract spells it: apiVersion, kind, namespace, name (null when absent).
    var jsonValue: JSONValue {
        .object(JSONObject([
            ("apiVersion", .string(apiVersion)),
            ("kind", .string(kind)),
            ("namespace", namespace.map { .string($0) } ?? .null),
            ("name", name.map { .string($0) } ?? .null),
        ]))
    }
}

extension LintReport {
    /// "1 error, 2 warnings, 0 infos in 3 files (4 objects)"; for an audit (a report of no files, whose objects
    /// are the HPAs read from the cluster) "… in the cluster (12 HPAs)".
    var summaryLine: String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        let counts = "\(plural(count(.error), "error")), \(plural(count(.warning), "warning")), \(plural(count(.info), "info"))"
        if files == 0 { return "\(counts) in the cluster (\(objects) HPA\(objects == 1 ? "" : "s"))" }
        return "\(counts) in \(plural(files, "file")) (\(plural(objects, "object")))"
    }
}
