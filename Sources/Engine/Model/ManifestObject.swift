/// Maps a JSON pointer inside a loaded document to where it was written.
public protocol SourceLocating: Sendable {
    /// The position of the value at `pointer` (for an object member, of its key), or of its nearest written
    /// ancestor when the value is absent.
    func position(of pointer: JSONPointer) -> SourcePosition?
    /// The position of the character at `line:column` (1-based) inside the string value at `pointer`, counted in
    /// the file: past the key, the quote or the block scalar's indicator. A CEL error points there.
    func position(inScalarAt pointer: JSONPointer, line: Int, column: Int) -> SourcePosition?
}

extension SourceLocating {
    /// Without the text at hand, the value's own place.
    public func position(inScalarAt pointer: JSONPointer, line: Int, column: Int) -> SourcePosition? {
        position(of: pointer)
    }
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

    /// `annotations[key]` without building the dictionary: the last member named `key` with a string value (the
    /// one the dictionary would keep).
    public func annotation(_ key: String) -> String? {
        guard let annotations = value["metadata"]?["annotations"]?.objectValue else { return nil }
        for member in annotations.members.reversed() where member.key == key {
            if let text = member.value.stringValue { return text }
        }
        return nil
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

    /// This object reduced to what names it (apiVersion, kind, name, namespace), its `hpaguard.io/ignore` annotation
    /// and where it starts: what a lint run keeps of an object that no HPA can read more of.
    public var identity: ManifestObject {
        var metadata = JSONObject()
        if let name = value["metadata"]?["name"] { metadata["name"] = name }
        if let namespace = value["metadata"]?["namespace"] { metadata["namespace"] = namespace }
        // The object's own exemptions still apply to what is reported about it (duplicate-object).
        if let ignored = value["metadata"]?["annotations"]?[PolicyAnnotation.ignore] {
            metadata["annotations"] = .object(JSONObject([(PolicyAnnotation.ignore, ignored)]))
        }
        var reduced = JSONObject()
        reduced["apiVersion"] = value["apiVersion"]
        reduced["kind"] = value["kind"]
        reduced["metadata"] = .object(metadata)
        return ManifestObject(
            value: .object(reduced), file: file, locator: position(of: .root).map(FixedLocator.init))
    }

    /// Where `pointer` (relative to this object) was written.
    public func position(of pointer: JSONPointer) -> SourcePosition? {
        locator?.position(of: basePointer.appending(pointer))
    }

    /// The file position of `line:column` inside the string at `pointer` (an expression's error).
    public func position(inScalarAt pointer: JSONPointer, line: Int, column: Int) -> SourcePosition? {
        locator?.position(inScalarAt: basePointer.appending(pointer), line: line, column: column)
    }
}

/// An `apiVersion` string split as `schema.ParseGroupVersion` splits it.
public struct APIVersion: Sendable, Hashable {
    public var group: String
    public var version: String
    /// False for strings with more than one `/`, which the API server rejects.
    public var isValid: Bool

    public init(_ text: String) {
        // Every apiVersion in practice is ASCII: split at the `/` byte, as the Character-wise split below would.
        let split: (group: String, version: String, isValid: Bool)? = text.withASCIIBytes { bytes in
            guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return ("", text, true) }
            let rest = UnsafeBufferPointer(rebasing: bytes[(slash + 1)...])
            guard !rest.contains(UInt8(ascii: "/")) else { return ("", "", false) }
            return (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[..<slash]), as: UTF8.self),
                String(decoding: rest, as: UTF8.self), true
            )
        }
        if let split {
            (group, version, isValid) = split
            return
        }
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

/// A locator that knows one position: where the object starts.
struct FixedLocator: SourceLocating {
    let position: SourcePosition
    func position(of pointer: JSONPointer) -> SourcePosition? { position }
}
