import Engine

/// Reads a configuration file that is not a manifest (a kubeconfig) into the value tree, with the loader's limits.
///
/// The webhook needs YAML for `--kubeconfig`; kubeconfig files have no required `apiVersion`/`kind`, so
/// `ManifestLoader` (which keeps Kubernetes objects only) does not fit.
public enum YAMLValueLoader {
    /// The first non-empty document of `bytes`, or `.null` for an empty file.
    ///
    /// - Throws: the first syntax error or crossed limit, with its position.
    public static func load(_ bytes: [UInt8], limits: LoaderLimits = .default) throws(LoadProblem) -> JSONValue {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw LoadProblem(message: "the file is over the \(limits.maxDocumentBytes)-byte limit", position: nil)
        }
        for document in YAMLEventReader(limits: limits, recordPositions: false).read(bytes) {
            if let problem = document.problem { throw problem }
            if let root = document.root, !root.isNull { return root }
        }
        return .null
    }
}

extension LoadProblem: Error, CustomStringConvertible {
    public var description: String {
        guard let position else { return message }
        return "\(position.line):\(position.column): \(message)"
    }
}
