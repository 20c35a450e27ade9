/// Maps a JSON pointer inside a loaded document to where it was written.
public protocol SourceLocating: Sendable {
    /// The position of the value at `pointer` (for an object member, of its key), or of its nearest written
    /// ancestor when the value is absent.
    func position(of pointer: JSONPointer) -> SourcePosition?
}

/// One Kubernetes object read from a file, a List, or an admission request.
public struct ManifestObject: Sendable {
    public var value: JSONValue
    /// Where findings about this object are reported: a file path, `<stdin>`, or a request name.
    public var file: String
    /// The object's place inside its document: `/items/3` for an item of a List, the root otherwise.
    public var basePointer: JSONPointer
    public var locator: (any SourceLocating)?
    /// Keys written twice in one mapping (pointers to the second occurrence), found by the loader.
    public var duplicateKeys: [JSONPointer]

    public init(
        value: JSONValue, file: String, basePointer: JSONPointer = .root, locator: (any SourceLocating)? = nil,
        duplicateKeys: [JSONPointer] = []
    ) {
        self.value = value
        self.file = file
        self.basePointer = basePointer
        self.locator = locator
        self.duplicateKeys = duplicateKeys
    }

    public var apiVersion: String { value["apiVersion"]?.stringValue ?? "" }
    public var kind: String { value["kind"]?.stringValue ?? "" }
    public var name: String? { value["metadata"]?["name"]?.stringValue }
    public var namespace: String? { value["metadata"]?["namespace"]?.stringValue }

    public var annotations: [String: String] {
        var result: [String: String] = [:]
        for member in value["metadata"]?["annotations"]?.objectValue ?? JSONObject() {
            if let text = member.value.stringValue { result[member.key] = text }
        }
        return result
    }

    public var labels: [String: String] {
        var result: [String: String] = [:]
        for member in value["metadata"]?["labels"]?.objectValue ?? JSONObject() {
            if let text = member.value.stringValue { result[member.key] = text }
        }
        return result
    }

    /// The API group ("" for the core group), from `apiVersion`.
    public var group: String { APIVersion(apiVersion).group }

    public var reference: ObjectReference {
        ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }

    /// Where `pointer` (relative to this object) was written.
    public func position(of pointer: JSONPointer) -> SourcePosition? {
        locator?.position(of: basePointer.appending(pointer))
    }
}

/// An `apiVersion` string split as `schema.ParseGroupVersion` splits it.
public struct APIVersion: Sendable, Hashable {
    public var group: String
    public var version: String
    /// False for strings with more than one `/`, which the API server rejects.
    public var isValid: Bool

    public init(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            group = ""
            version = text
            isValid = true
        case 2:
            group = String(parts[0])
            version = String(parts[1])
            isValid = true
        default:
            group = ""
            version = ""
            isValid = false
        }
        if text == "/" {
            group = ""
            version = ""
        }
    }
}
