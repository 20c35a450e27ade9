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
            for (pointer, value) in objects {
                let duplicates = document.duplicateKeys.compactMap { duplicate -> JSONPointer? in
                    guard duplicate.hasPrefix(pointer) else { return nil }
                    return JSONPointer(tokens: Array(duplicate.tokens.dropFirst(pointer.tokens.count)))
                }
                loaded.objects.append(ManifestObject(
                    value: value, file: file, basePointer: pointer,
                    locator: DocumentLocator(
                        file: locator, document: document.index, fallback: document.position, entries: document.positionIndex),
                    duplicateKeys: duplicates))
            }
        }
        return loaded
    }

    /// The objects of a document: itself, or the items of a `List` / `*List` kind.
    static func kubernetesObjects(in root: JSONValue) -> [(JSONPointer, JSONValue)] {
        guard let kind = root["kind"]?.stringValue, root["apiVersion"]?.stringValue != nil else { return [] }
        if kind.hasSuffix("List"), case .array(let items)? = root["items"] {
            return items.enumerated().compactMap { index, item in
                guard item["kind"]?.stringValue != nil, item["apiVersion"]?.stringValue != nil else { return nil }
                return (JSONPointer(tokens: ["items", String(index)]), item)
            }
        }
        return [(.root, root)]
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

    func positions(ofDocument index: Int) -> [JSONPointer: SourcePosition] { maps(ofDocument: index).positions }
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
