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
    /// The line where each object starts, with the source it names (kustomize origin, Pulumi resource) or nil.
    var objectStarts: [(line: Int, source: String?)] = []
    /// Helm-style `# Source:` comments.
    var renderedSources = RenderedSources()

    public init(file: String) { self.file = file }

    /// Loads one document of the stream: its objects, or the problem that broke it.
    mutating func load(_ chunk: DocumentChunk, limits: LoaderLimits) {
        guard !chunk.isOversized else {
            documents += 1
            problems.append(LoadProblem(
                message: "the document is larger than \(limits.maxDocumentBytes) bytes (\(chunk.size) bytes; loader limit "
                    + "per document); it was not parsed",
                position: SourcePosition(line: chunk.lineBase + 1, column: 1)))
            return
        }
        renderedSources.scan(chunk.bytes, lineBase: chunk.lineBase)
        let built = YAMLEventReader(limits: limits, recordPositions: false).read(chunk.bytes, lineBase: chunk.lineBase)
        documents += built.count
        // Positions are worked out only when a finding needs one: the locator keeps the document's bytes until then.
        var locator: FileLocator?
        for document in built {
            if let problem = document.problem {
                problems.append(problem)
                continue
            }
            guard let root = document.root, !root.isNull else { continue }  // empty or comment-only document
            let found = ManifestLoader.kubernetesObjects(in: root)
            if found.isEmpty {
                skippedDocuments += 1
                continue
            }
            let fileLocator = locator ?? FileLocator(bytes: chunk.bytes, lineBase: chunk.lineBase, limits: limits)
            locator = fileLocator
            for (pointer, value, source) in found {
                let duplicates = document.duplicateKeys.compactMap { duplicate -> JSONPointer? in
                    guard duplicate.hasPrefix(pointer) else { return nil }
                    return JSONPointer(tokens: Array(duplicate.tokens.dropFirst(pointer.tokens.count)))
                }
                let object = ManifestObject(
                    value: value, file: file, basePointer: pointer,
                    locator: DocumentLocator(
                        file: fileLocator, document: document.index, fallback: document.position,
                        entries: document.positionIndex),
                    duplicateKeys: duplicates)
                if let line = object.position(of: .root)?.line {
                    objectStarts.append((line, source ?? RenderedSources.origin(of: object)))
                }
                objects.append(object)
            }
        }
    }

    /// Takes in what `part` (a later document of the same stream) held, keeping only the objects `keep` chooses:
    /// the problems, counts and sources stay whole.
    mutating func absorb(_ part: LoadedFile, keeping keep: (ManifestObject) -> ManifestObject?) {
        objects += part.objects.compactMap(keep)
        problems += part.problems
        documents += part.documents
        skippedDocuments += part.skippedDocuments
        objectStarts += part.objectStarts
        renderedSources.append(part.renderedSources)
    }
}

/// Loads YAML (multi-document, anchors, every scalar style) and JSON into the engine's objects.
public enum ManifestLoader {
    public static func load(_ bytes: [UInt8], file: String, limits: LoaderLimits = .default) -> LoadedFile {
        var loaded = LoadedFile(file: file)
        var splitter = DocumentSplitter(bytes: bytes, maxDocumentBytes: limits.maxDocumentBytes)
        // Bytes in memory: reading them cannot fail.
        while let chunk = (try? splitter.next()) ?? nil { loaded.load(chunk, limits: limits) }
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

/// Positions for the documents of one chunk of a stream, computed on first use by a second walk that records them:
/// most objects never need a position, so the common path builds no map.
final class FileLocator: Sendable {
    struct DocumentMaps: Sendable {
        var positions: [JSONPointer: SourcePosition] = [:]
        var layouts: [JSONPointer: ContainerLayout] = [:]
    }

    let bytes: [UInt8]
    /// Lines of the stream before `bytes`.
    let lineBase: Int
    private let limits: LoaderLimits
    private let maps = Mutex<[Int: DocumentMaps]?>(nil)

    init(bytes: [UInt8], lineBase: Int, limits: LoaderLimits) {
        self.bytes = bytes
        self.lineBase = lineBase
        self.limits = limits
    }

    func maps(ofDocument index: Int) -> DocumentMaps {
        maps.withLock { cache in
            if let cache { return cache[index] ?? DocumentMaps() }
            var built: [Int: DocumentMaps] = [:]
            for document in YAMLEventReader(limits: limits, recordPositions: true).read(bytes, lineBase: lineBase) {
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
