import Engine

/// Reads policy files (YAML or JSON) into `Policy`, laid over the embedded default.
public enum PolicyLoader {
    /// The embedded default policy (`policies/default.yaml`), already validated.
    public static func defaultPolicy() throws(PolicyError) -> Policy {
        try load(text: EmbeddedPolicies.defaultPolicy, file: "policies/default.yaml (embedded)", over: .builtInDefaults)
    }

    /// Loads `text` as a policy over `base` (the default policy unless said otherwise).
    public static func load(text: String, file: String, over base: Policy? = nil) throws(PolicyError) -> Policy {
        let documents = YAMLEventReader(limits: .default, recordPositions: false).read(Array(text.utf8))
        if let problem = documents.compactMap(\.problem).first {
            throw PolicyError(file: file, position: problem.position, key: "", message: problem.message)
        }
        let roots = documents.compactMap(\.root).filter { !$0.isNull }
        guard roots.count <= 1 else {
            throw PolicyError(file: file, position: nil, key: "", message: "a policy file holds one document")
        }
        let locator = DocumentLocator(
            file: FileLocator(bytes: Array(text.utf8), limits: .default), document: documents.first?.index ?? 0,
            fallback: SourcePosition(line: 1, column: 1))
        if let duplicate = documents.first?.duplicateKeys.first {
            throw PolicyError(
                file: file, position: locator.position(of: duplicate), key: duplicate.fieldPath, message: "duplicate key")
        }
        let resolvedBase: Policy
        if let base { resolvedBase = base } else { resolvedBase = try defaultPolicy() }
        return try Policy(roots.first ?? .null, file: file, locator: locator, over: resolvedBase)
    }
}
