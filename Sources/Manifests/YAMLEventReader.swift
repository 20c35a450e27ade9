import CLibYAML
import Engine

/// A problem the loader met: a syntax error or a crossed limit, with where it happened.
public struct LoadProblem: Sendable, Hashable {
    public let message: String
    public let position: SourcePosition?
}

/// One document of a stream, as built by `YAMLEventReader`.
struct BuiltDocument {
    /// 0-based index of the document in the file, counting broken documents too.
    var index: Int
    var root: JSONValue?
    var position: SourcePosition
    var duplicateKeys: [JSONPointer] = []
    /// Filled only when positions are recorded (the locator's pass).
    var positions: [JSONPointer: SourcePosition] = [:]
    /// Where each node was written, by path hash; always filled, cheap, for findings.
    var positionIndex: [PositionEntry] = []
    /// How each mapping and sequence was written; filled with `positions` (for text-preserving edits).
    var layouts: [JSONPointer: ContainerLayout] = [:]
    var problem: LoadProblem?
}

/// Drives libyaml's event parser over a whole file and builds each document's `JSONValue`, resolving scalars the
/// way Kubernetes' YAML decoder (YAML 1.1, go-yaml) does.
///
/// A syntax error ends the broken document only: reading resumes at the next `---` line, so the other documents of
/// the file are still checked. The same walk, with `recordPositions`, gives the locator its pointer → position map.
struct YAMLEventReader {
    let limits: LoaderLimits
    let recordPositions: Bool

    func read(_ bytes: [UInt8]) -> [BuiltDocument] {
        var documents: [BuiltDocument] = []
        var offset = 0
        var lineBase = 0
        while offset <= bytes.count {
            let outcome = bytes.withUnsafeBufferPointer { buffer in
                readChunk(buffer, from: offset, lineBase: lineBase, firstIndex: documents.count)
            }
            documents += outcome.documents
            guard let failure = outcome.failure else { break }
            // Resume after the line of the error, at the next document marker.
            guard let resume = nextDocumentStart(in: bytes, after: failure.byteOffset, notBefore: offset + 1) else { break }
            lineBase += countNewlines(bytes, from: offset, to: resume)
            offset = resume
        }
        return documents
    }

    private struct ChunkOutcome {
        var documents: [BuiltDocument] = []
        var failure: (byteOffset: Int, problem: LoadProblem)?
    }

    private func readChunk(_ buffer: UnsafeBufferPointer<UInt8>, from offset: Int, lineBase: Int, firstIndex: Int) -> ChunkOutcome {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer {
            parser.deallocate()
            event.deallocate()
        }
        guard yaml_parser_initialize(parser) == 1 else {
            return ChunkOutcome(failure: (offset, LoadProblem(message: "libyaml could not start (out of memory)", position: nil)))
        }
        defer { yaml_parser_delete(parser) }
        let base = buffer.baseAddress.map { $0 + offset } ?? UnsafePointer(bitPattern: 1)!
        yaml_parser_set_input_string(parser, base, buffer.count - offset)

        var outcome = ChunkOutcome()
        var builder = DocumentBuilder(limits: limits, recordPositions: recordPositions, lineBase: lineBase)
        var documentIndex = firstIndex
        while true {
            guard yaml_parser_parse(parser, event) == 1 else {
                let mark = parser.pointee.problem_mark
                let problem = LoadProblem(
                    message: syntaxMessage(parser.pointee),
                    position: SourcePosition(line: lineBase + Int(mark.line) + 1, column: Int(mark.column) + 1))
                var broken = BuiltDocument(index: documentIndex, root: nil, position: problem.position!)
                broken.problem = problem
                outcome.documents.append(broken)
                outcome.failure = (offset + Int(mark.index), problem)
                return outcome
            }
            defer { yaml_event_delete(event) }
            switch event.pointee.type {
            case YAML_STREAM_END_EVENT:
                return outcome
            case YAML_DOCUMENT_START_EVENT:
                builder.startDocument(at: event.pointee.start_mark)
            case YAML_DOCUMENT_END_EVENT:
                var document = builder.finishDocument(index: documentIndex)
                documentIndex += 1
                if let problem = document.problem, document.root == nil {
                    document.problem = problem
                }
                outcome.documents.append(document)
            default:
                builder.handle(event.pointee)
            }
        }
    }

    private func syntaxMessage(_ parser: yaml_parser_t) -> String {
        var message = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        if let context = parser.context.map({ String(cString: $0) }) {
            let mark = parser.context_mark
            message += " (\(context) at line \(Int(mark.line) + 1), column \(Int(mark.column) + 1))"
        }
        return message
    }

    /// The byte offset of the next line that starts a document (`---` then a space, a newline or the end), from the
    /// line holding `offset` on: an error is often reported at the marker that ends the broken document.
    private func nextDocumentStart(in bytes: [UInt8], after offset: Int, notBefore minimum: Int) -> Int? {
        var lineStart = min(offset, bytes.count)
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        while lineStart < bytes.count {
            if lineStart >= minimum, isDocumentMarker(bytes, at: lineStart) { return lineStart }
            while lineStart < bytes.count, bytes[lineStart] != 0x0A { lineStart += 1 }
            lineStart += 1
        }
        return nil
    }

    private func isDocumentMarker(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 2 < bytes.count, bytes[index] == 0x2D, bytes[index + 1] == 0x2D, bytes[index + 2] == 0x2D else {
            return false
        }
        let after = index + 3
        return after == bytes.count || [0x20, 0x0A, 0x0D, 0x09].contains(bytes[after])
    }

    private func countNewlines(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var count = 0
        for index in start..<min(end, bytes.count) where bytes[index] == 0x0A { count += 1 }
        return count
    }
}
