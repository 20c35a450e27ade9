import Engine
import Synchronization

/// What one file (or standard input) held.
public struct LoadedFile: Sendable {
    public let file: String
    /// Kubernetes objects: documents with apiVersion and kind, and the items of `List` kinds.
    public var objects: [ManifestObject] = []
    /// Syntax errors and crossed limits, one per broken document.
    public var problems: [LoadProblem] = []
    /// Documents read, broken ones included.
    public var documents = 0
    /// Documents that are not Kubernetes objects (no apiVersion or kind), counted and skipped.
    public var skippedDocuments = 0
    /// For each of `objects`, the source the stream names for it (kustomize origin, Pulumi resource), or nil.
    public internal(set) var objectSources: [String?] = []
    /// Helm-style `# Source:` comments.
    var renderedSources = RenderedSources(bytes: [])
}

/// Loads YAML (multi-document, anchors, every scalar style) and JSON into the engine's objects.
public enum ManifestLoader {
    public static func load(_ bytes: [UInt8], file: String, limits: LoaderLimits = .default) -> LoadedFile {
        var loaded = LoadedFile(file: file)
        guard bytes.count <= limits.maxFileBytes else {
            loaded.problems.append(LoadProblem(
                message: "the file is larger than \(limits.maxFileBytes) bytes (loader limit on file size); it was not parsed",
                position: SourcePosition(line: 1, column: 1)))
            return loaded
        }
        let documents = YAMLEventReader(limits: limits, recordPositions: false).read(bytes)
        let locator = FileLocator(bytes: bytes, limits: limits)
        loaded.documents = documents.count
        loaded.renderedSources = RenderedSources(bytes: bytes)
        for document in documents {
            if let problem = document.problem {
                loaded.problems.append(problem)
                continue
            }
            guard let root = document.root, !root.isNull else { continue }  // empty or comment-only document
            let objects = kubernetesObjects(in: root)
            if objects.isEmpty {
                loaded.skippedDocuments += 1
                continue
            }
            for (pointer, value, source) in objects {
                let duplicates = document.duplicateKeys.compactMap { duplicate -> JSONPointer? in
                    guard duplicate.hasPrefix(pointer) else { return nil }
                    return JSONPointer(tokens: Array(duplicate.tokens.dropFirst(pointer.tokens.count)))
                }
                let object = ManifestObject(
                    value: value, file: file, basePointer: pointer,
                    locator: DocumentLocator(
                        file: locator, document: document.index, fallback: document.position, entries: document.positionIndex),
                    duplicateKeys: duplicates)
                loaded.objects.append(object)
                loaded.objectSources.append(source ?? RenderedSources.origin(of: object))
            }
        }
        return loaded
    }

    /// The objects of a document: itself, the items of a `List` / `*List` kind, or the objects of a Pulumi preview
    /// (with the Pulumi resource as their source).
    static func kubernetesObjects(in root: JSONValue) -> [(JSONPointer, JSONValue, source: String?)] {
        if PulumiPreview.isPreview(root) {
            return PulumiPreview.resources(in: root).map { ($0.pointer, $0.object, $0.label) }
        }
        guard let kind = root["kind"]?.stringValue, root["apiVersion"]?.stringValue != nil else { return [] }
        if kind.hasSuffix("List"), case .array(let items)? = root["items"] {
            return items.enumerated().compactMap { index, item in
                guard item["kind"]?.stringValue != nil, item["apiVersion"]?.stringValue != nil else { return nil }
                return (JSONPointer(tokens: ["items", String(index)]), item, nil)
            }
        }
        return [(.root, root, nil)]
    }
}

/// Positions for the documents of one file, computed on first use by a second walk that records them: most
/// objects never need a position, so the common path builds no map.
final class FileLocator: Sendable {
    struct DocumentMaps: Sendable {
        var positions: [JSONPointer: SourcePosition] = [:]
        var layouts: [JSONPointer: ContainerLayout] = [:]
    }

    let bytes: [UInt8]
    private let limits: LoaderLimits
    private let maps = Mutex<[Int: DocumentMaps]?>(nil)

    init(bytes: [UInt8], limits: LoaderLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    func maps(ofDocument index: Int) -> DocumentMaps {
        maps.withLock { cache in
            if let cache { return cache[index] ?? DocumentMaps() }
            var built: [Int: DocumentMaps] = [:]
            for document in YAMLEventReader(limits: limits, recordPositions: true).read(bytes) {
                built[document.index] = DocumentMaps(positions: document.positions, layouts: document.layouts)
            }
            cache = built
            return built[index] ?? DocumentMaps()
        }
    }
}

struct DocumentLocator: SourceLocating {
    let file: FileLocator
    let document: Int
    let fallback: SourcePosition
    /// The first pass's position index of the document.
    let entries: [PositionEntry]

    /// The written position of `pointer`, or of its nearest written ancestor. A duplicated key resolves to its last
    /// occurrence, the one the API server keeps.
    func position(of pointer: JSONPointer) -> SourcePosition? {
        var tokens = pointer.tokens
        while true {
            let hash = PathHash.of(JSONPointer(tokens: tokens))
            if let entry = entries.last(where: { $0.hash == hash }) { return entry.position }
            if tokens.isEmpty { return fallback }
            tokens.removeLast()
        }
    }
}
