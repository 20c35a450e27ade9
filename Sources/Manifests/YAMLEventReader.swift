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

    /// The documents of `bytes`, whose first line is line `lineBase + 1` of the stream they were cut from.
    func read(_ bytes: [UInt8], lineBase firstLineBase: Int = 0) -> [BuiltDocument] {
        var documents: [BuiltDocument] = []
        var offset = 0
        var lineBase = firstLineBase
        // The first character libyaml would refuse, from `offset` on; rescanned only once reading has passed it.
        var unreadable: UnreadableCharacter?
        var scanned = false
        while offset <= bytes.count {
            let outcome = bytes.withUnsafeBufferPointer { buffer in
                if !scanned || (unreadable.map { $0.offset < offset } ?? false) {
                    unreadable = UnreadableCharacter.first(in: buffer, from: offset)
                    scanned = true
                }
                return readChunk(buffer, from: offset, until: unreadable, lineBase: lineBase, firstIndex: documents.count)
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

        /// Ends the chunk with a broken document `index` at `byteOffset`.
        mutating func fail(at byteOffset: Int, _ problem: LoadProblem, document index: Int) {
            var broken = BuiltDocument(index: index, root: nil, position: problem.position ?? SourcePosition(line: 1, column: 1))
            broken.problem = problem
            documents.append(broken)
            failure = (byteOffset, problem)
        }
    }

    /// Parses `buffer` from `offset` up to `unreadable` (or the end), stopping at the first syntax error or crossed
    /// limit; the document that holds `unreadable` is reported broken at its line and column.
    private func readChunk(
        _ buffer: UnsafeBufferPointer<UInt8>, from offset: Int, until unreadable: UnreadableCharacter?, lineBase: Int,
        firstIndex: Int
    ) -> ChunkOutcome {
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
        let length = (unreadable?.offset ?? buffer.count) - offset
        yaml_parser_set_input_string(parser, base, length)
        let unreadableProblem = unreadable.map {
            LoadProblem(message: $0.reason, position: position(of: $0.offset, in: buffer, from: offset, lineBase: lineBase))
        }

        var outcome = ChunkOutcome()
        var builder = DocumentBuilder(limits: limits, recordPositions: recordPositions, lineBase: lineBase)
        var documentIndex = firstIndex
        var lastDocumentEnd = -1
        while true {
            guard yaml_parser_parse(parser, event) == 1 else {
                let mark = parser.pointee.problem_mark
                // An error at the end of a stream cut short before an unreadable character is that character's fault.
                if let unreadable, let unreadableProblem, Int(mark.index) >= length {
                    outcome.fail(at: unreadable.offset, unreadableProblem, document: documentIndex)
                    return outcome
                }
                let problem = LoadProblem(
                    message: syntaxMessage(parser.pointee, lineBase: lineBase),
                    position: SourcePosition(line: lineBase + Int(mark.line) + 1, column: Int(mark.column) + 1))
                outcome.fail(at: offset + Int(mark.index), problem, document: documentIndex)
                return outcome
            }
            defer { yaml_event_delete(event) }
            switch event.pointee.type {
            case YAML_STREAM_END_EVENT:
                if let unreadable, let unreadableProblem {
                    // The last document ran into the cut (its implicit end is at the cut): it holds the character.
                    if lastDocumentEnd >= length, outcome.documents.count > 0 {
                        outcome.documents.removeLast()
                        documentIndex -= 1
                    }
                    outcome.fail(at: unreadable.offset, unreadableProblem, document: documentIndex)
                }
                return outcome
            case YAML_DOCUMENT_START_EVENT:
                builder.startDocument(at: event.pointee.start_mark)
            case YAML_DOCUMENT_END_EVENT:
                outcome.documents.append(builder.finishDocument(index: documentIndex))
                documentIndex += 1
                lastDocumentEnd = Int(event.pointee.end_mark.index)
            default:
                builder.handle(event.pointee)
                // A crossed limit ends the document like a syntax error: parsing on through a 20,000-deep flow
                // collection costs libyaml quadratic time, and the reader resumes at the next document anyway.
                if let problem = builder.problem {
                    outcome.fail(at: offset + Int(event.pointee.start_mark.index), problem, document: documentIndex)
                    return outcome
                }
            }
        }
    }

    /// The line and column of byte `target`, counted as libyaml counts them: characters, not bytes, and a leading
    /// byte order mark takes no column.
    private func position(of target: Int, in buffer: UnsafeBufferPointer<UInt8>, from offset: Int, lineBase: Int) -> SourcePosition {
        var line = lineBase + 1
        var lineStart = offset
        for index in offset..<target where buffer[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        if lineStart == 0, target >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { lineStart = 3 }
        var column = 1
        for index in lineStart..<target where buffer[index] & 0xC0 != 0x80 { column += 1 }
        return SourcePosition(line: line, column: column)
    }

    /// libyaml's message, with the line of its context counted in the whole stream (`lineBase` lines precede the
    /// bytes it parsed).
    private func syntaxMessage(_ parser: yaml_parser_t, lineBase: Int) -> String {
        var message = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        if let context = parser.context.map({ String(cString: $0) }) {
            let mark = parser.context_mark
            message += " (\(context) at line \(lineBase + Int(mark.line) + 1), column \(Int(mark.column) + 1))"
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
