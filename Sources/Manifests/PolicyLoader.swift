import Engine

/// Reads policy files (YAML or JSON) into `Policy`, laid over the embedded default.
public enum PolicyLoader {
    /// The embedded default policy (`policies/default.yaml`) with the built-in profiles, validated once.
    public static func defaultPolicy() throws(PolicyError) -> Policy {
        try embeddedDefault.get()
    }

    private static let embeddedDefault: Result<Policy, PolicyError> = {
        do {
            var base = Policy.builtInDefaults
            base.profiles = try builtInProfiles()
            return .success(try load(text: EmbeddedPolicies.defaultPolicy, file: "policies/default.yaml (embedded)", over: base))
        } catch let error as PolicyError {
            return .failure(error)
        } catch {
            return .failure(PolicyError(file: "policies/default.yaml", position: nil, key: "", message: "\(error)"))
        }
    }()

    /// The profiles shipped in policies/profiles/, in name order (the order detection tries them).
    public static func builtInProfiles() throws(PolicyError) -> [Profile] {
        var profiles: [Profile] = []
        for (name, text) in EmbeddedPolicies.profiles.sorted(by: { $0.key < $1.key }) {
            profiles.append(try loadProfile(text: text, file: "policies/profiles/\(name).yaml"))
        }
        return profiles
    }

    /// Reads one profile file.
    public static func loadProfile(text: String, file: String) throws(PolicyError) -> Profile {
        let bytes = Array(text.utf8)
        let documents = YAMLEventReader(limits: .default, recordPositions: false).read(bytes)
        if let problem = documents.compactMap(\.problem).first {
            throw PolicyError(file: file, position: problem.position, key: "", message: problem.message)
        }
        guard let document = documents.first(where: { $0.root.map { !$0.isNull } ?? false }), let root = document.root else {
            throw PolicyError(file: file, position: nil, key: "", message: "the profile file is empty")
        }
        let locator = DocumentLocator(
            file: FileLocator(bytes: bytes, lineBase: 0, limits: .default), document: document.index, fallback: document.position,
            entries: document.positionIndex)
        return try Profile(root, file: file, locator: locator)
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
            file: FileLocator(bytes: Array(text.utf8), lineBase: 0, limits: .default), document: documents.first?.index ?? 0,
            fallback: SourcePosition(line: 1, column: 1), entries: documents.first?.positionIndex ?? [])
        if let duplicate = documents.first?.duplicateKeys.first {
            throw PolicyError(
                file: file, position: locator.position(of: duplicate), key: duplicate.fieldPath, message: "duplicate key")
        }
        let resolvedBase: Policy
        if let base { resolvedBase = base } else { resolvedBase = try defaultPolicy() }
        return try Policy(roots.first ?? .null, file: file, locator: locator, over: resolvedBase)
    }
}
