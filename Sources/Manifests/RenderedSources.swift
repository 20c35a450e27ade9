import Engine
import Foundation

/// Where the objects of a rendered stream came from, when the stream says so.
///
/// A finding on `kubectl kustomize … | hpaguard lint -` points at a line of the rendered stream, not at a file the
/// user edits. Renderers that record the source are named in the finding's message:
///
/// - kustomize with `buildMetadata: [originAnnotations]`: the object's `config.kubernetes.io/origin` annotation
///   (`path:`, and `repo:`/`ref:` for a remote base);
/// - Helm (`helm template`): the `# Source: chart/templates/file.yaml` comment opening each document;
/// - `pulumi preview --json`: the Pulumi resource of the step (see `PulumiPreview`).
struct RenderedSources: Sendable {
    static let originAnnotation = "config.kubernetes.io/origin"

    /// `# Source:` comments (path) and document starts (nil) by line, in line order.
    private(set) var comments: [(line: Int, source: String?)] = []

    var isEmpty: Bool { comments.isEmpty }

    init() {}

    /// Scans a document of the stream, whose first line is `lineBase + 1`, for Helm's `# Source:` comments; cheap
    /// when there is none.
    mutating func scan(_ bytes: [UInt8], lineBase: Int) {
        let marker = Array("# Source: ".utf8)
        guard bytes.containsBytes(marker) else { return }
        var line = lineBase + 1
        var start = 0
        while start <= bytes.count {
            // Line by line with memchr; only lines that open with `-` or `#` can be either.
            let index = bytes.withUnsafeBytes { buffer -> Int in
                guard start < buffer.count, let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start)
                else { return buffer.count }
                return buffer.baseAddress!.distance(to: UnsafeRawPointer(found))
            }
            defer {
                line += 1
                start = index + 1
            }
            guard start < index, bytes[start] == UInt8(ascii: "-") || bytes[start] == UInt8(ascii: "#") else { continue }
            let text = bytes[start..<index]
            if text.starts(with: "---".utf8) {
                // A finding on the `---` line itself is the previous document's (libyaml reports an unclosed
                // document where the next one starts), so the previous source ends after it.
                comments.append((line + 1, nil))
            } else if text.starts(with: marker) {
                var path = String(decoding: text.dropFirst(marker.count), as: UTF8.self)
                while path.last == "\r" || path.last == " " { path.removeLast() }
                if !path.isEmpty { comments.append((line, path)) }
            }
        }
    }

    /// Adds the comments of a later part of the same stream.
    mutating func append(_ later: RenderedSources) {
        comments += later.comments
    }

    /// The `# Source:` of the document holding `line`.
    func comment(atLine line: Int) -> String? {
        comments.last { $0.line <= line }?.source
    }

    /// The file kustomize's origin annotation names: `path`, with `repo` and `ref` for a remote base; for an object
    /// a generator made, the kustomization that configured it.
    static func origin(of object: ManifestObject) -> String? {
        guard let text = object.value["metadata"]?["annotations"]?[originAnnotation]?.stringValue,
            let root = YAMLEventReader(limits: .default, recordPositions: false).read(Array(text.utf8)).first?.root
        else { return nil }
        if let path = root["path"]?.stringValue {
            guard let repo = root["repo"]?.stringValue else { return path }
            return root["ref"]?.stringValue.map { "\(path) in \(repo)@\($0)" } ?? "\(path) in \(repo)"
        }
        if let configuredIn = root["configuredIn"]?.stringValue {
            let kind = root["configuredBy"]?["kind"]?.stringValue
            return kind.map { "\($0) in \(configuredIn)" } ?? configuredIn
        }
        return nil
    }
}

extension LoadedFile {
    /// Whether any object or document of the file names its source.
    var namesSources: Bool { !renderedSources.isEmpty || objectStarts.contains { $0.source != nil } }

    /// Looks up the source for a line of this file: the object's own (kustomize origin, Pulumi resource) when the
    /// object starting last at or before the line has one, else the document's `# Source:` comment.
    func sourceLookup() -> (Int) -> String? {
        let starts = objectStarts.contains { $0.source != nil } ? objectStarts.sorted { $0.line < $1.line } : []
        let comments = renderedSources
        return { line in
            if let source = starts.last(where: { $0.line <= line })?.source { return source }
            return comments.comment(atLine: line)
        }
    }
}
