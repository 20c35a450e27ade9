import Engine

/// What fixing one file gives: the new text, or why the file was left as it is.
public struct FixOutcome: Sendable {
    /// The fixed bytes; nil when nothing changed or the fix was refused.
    public var fixed: [UInt8]?
    /// The objects whose mutation was applied.
    public var changed: [ObjectReference] = []
    /// Why a file that needed changes was left untouched (JSON, a syntax error, an edit that did not verify).
    public var refusal: String?
    /// Where the first object that needed a change starts, for the refusal's finding.
    public var refusalPosition: SourcePosition?
    /// For a JSON file, which is not edited in place: every object with its mutation applied, as indented JSON.
    public var mutatedJSON: String?
}

/// Applies the mutation plans of a file's HPAs as text edits: new lines in the file's own indentation, comments,
/// key order, quoting and every untouched line kept byte for byte. Each result is verified by loading it again:
/// every object must equal the planned object, and planning again must change nothing; otherwise the file is
/// left untouched.
public struct ManifestFixer: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    public func fix(_ bytes: [UInt8], loaded: LoadedFile, resolver: any WorkloadResolver) -> FixOutcome {
        var outcome = FixOutcome()
        var plans: [(object: ManifestObject, operations: [JSONPatchOperation])] = []
        // The planned operations by the object's index in the file: looked up per object, not searched for.
        var operationsByIndex: [Int: [JSONPatchOperation]] = [:]
        for (index, object) in loaded.objects.enumerated() {
            let plan = engine.mutationPlan(for: object, resolver: resolver)
            if !plan.isEmpty {
                plans.append((object, plan.operations))
                operationsByIndex[index] = plan.operations
            }
        }
        guard !plans.isEmpty else { return outcome }
        outcome.refusalPosition = plans[0].object.position(of: .root)
        guard loaded.problems.isEmpty else {
            outcome.refusal = "the file has syntax errors; fix them first"
            return outcome
        }
        if let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            outcome.refusal = "JSON files are not rewritten in place; `hpaguard mutate` prints the mutated objects"
            outcome.mutatedJSON = loaded.objects.enumerated().map { index, object in
                let operations = operationsByIndex[index] ?? []
                let value = (try? JSONPatch.apply(operations, to: object.value)) ?? object.value
                return value.prettySerialized() + "\n"
            }.joined()
            return outcome
        }

        let text = TextBuffer(bytes)
        var edits: [TextBuffer.Insertion] = []
        for (object, operations) in plans {
            guard let locator = object.locator as? DocumentLocator else {
                outcome.refusal = "no source positions for \(object.reference.displayName)"
                return outcome
            }
            let maps = locator.file.maps(ofDocument: locator.document)
            let style = detectStyle(maps, text: text)
            for (order, operation) in operations.enumerated() {
                guard let parent = operation.path.parent, let key = operation.path.last else { continue }
                let documentParent = object.basePointer.appending(parent)
                guard let layout = maps.layouts[documentParent] else {
                    outcome.refusal = "cannot find \(parent.fieldPath.isEmpty ? "the object" : parent.fieldPath) of \(object.reference.displayName) in the text"
                    return outcome
                }
                if layout.isFlow {
                    guard let closing = layout.closing else {
                        outcome.refusal = "cannot find the end of \(parent.fieldPath)"
                        return outcome
                    }
                    let isEmpty = object.value[parent]?.objectValue?.isEmpty ?? true
                    let insert = (isEmpty ? "" : ", ") + YAMLTextStyle.scalar(.string(key)) + ": " + YAMLTextStyle.flow(operation.value)
                    edits.append(.init(offset: text.offset(of: closing), text: insert, order: order))
                } else {
                    let lines = style.member(key, operation.value, indent: layout.start.column - 1)
                    let block = lines.joined(separator: style.lineEnding) + style.lineEnding
                    let (offset, needsLineBreak) = text.offsetAfterLine(layout.endLine)
                    edits.append(.init(offset: offset, text: (needsLineBreak ? style.lineEnding : "") + block, order: order))
                }
            }
            outcome.changed.append(object.reference)
        }
        let fixed = text.applying(edits)

        // Verify: the new text must load to exactly the planned objects, and planning again must change nothing.
        let reloaded = ManifestLoader.load(fixed, file: loaded.file)
        guard reloaded.problems.isEmpty, reloaded.objects.count == loaded.objects.count else {
            outcome.refusal = "the edited text did not load back cleanly; left untouched"
            outcome.changed = []
            return outcome
        }
        for (index, original) in loaded.objects.enumerated() {
            var expected = original.value
            if let operations = operationsByIndex[index] {
                do {
                    expected = try JSONPatch.apply(operations, to: original.value)
                } catch {
                    outcome.refusal = "the planned patch does not apply: \(error)"
                    outcome.changed = []
                    return outcome
                }
            }
            let again = reloaded.objects[index]
            guard again.value == expected, engine.mutationPlan(for: again, resolver: resolver).isEmpty else {
                outcome.refusal = "the edit of \(original.reference.displayName) could not be verified; left untouched"
                outcome.changed = []
                return outcome
            }
        }
        outcome.fixed = fixed
        return outcome
    }

    /// The file's indentation unit and sequence style, read from its own block mappings and sequences.
    private func detectStyle(_ maps: FileLocator.DocumentMaps, text: TextBuffer) -> YAMLTextStyle {
        var style = YAMLTextStyle()
        style.lineEnding = text.usesCRLF ? "\r\n" : "\n"
        var unit: Int?
        var sequenceIndent: Bool?
        for (pointer, layout) in maps.layouts.sorted(by: { $0.key.tokens.count < $1.key.tokens.count }) where !layout.isFlow {
            guard let key = maps.positions[pointer], key.line < layout.start.line else { continue }
            let offset = layout.start.column - key.column
            if layout.isSequence {
                if sequenceIndent == nil { sequenceIndent = offset > 0 }
            } else if unit == nil, offset > 0 {
                unit = offset
            }
            if unit != nil, sequenceIndent != nil { break }
        }
        style.indentUnit = unit ?? 2
        style.indentsSequences = sequenceIndent ?? true
        return style
    }
}

/// The file's bytes with line starts, and ordered insertions into them.
struct TextBuffer {
    struct Insertion {
        let offset: Int
        let text: String
        /// Keeps insertions at one offset in plan order.
        let order: Int
    }

    let bytes: [UInt8]
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A { starts.append(index + 1) }
        lineStarts = starts
    }

    var usesCRLF: Bool {
        guard let newline = bytes.firstIndex(of: 0x0A) else { return false }
        return newline > 0 && bytes[newline - 1] == 0x0D
    }

    /// The byte offset of a 1-based line and column (columns count characters, as libyaml's marks do).
    func offset(of position: SourcePosition) -> Int {
        let lineIndex = min(max(position.line - 1, 0), lineStarts.count - 1)
        var offset = lineStarts[lineIndex]
        var characters = 1
        while characters < position.column, offset < bytes.count, bytes[offset] != 0x0A {
            offset += 1
            // Skip UTF-8 continuation bytes: they belong to the same character.
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            characters += 1
        }
        return offset
    }

    /// The 1-based line and column (in characters) of byte `offset`: the inverse of `offset(of:)`.
    func position(ofOffset offset: Int) -> SourcePosition {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let column = bytes[lineStarts[low]..<offset].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return SourcePosition(line: low + 1, column: column)
    }

    /// Where a new line after 1-based `line` starts, and whether a line break must come first (no final newline).
    func offsetAfterLine(_ line: Int) -> (Int, Bool) {
        if line < lineStarts.count { return (lineStarts[line], false) }
        return (bytes.count, !(bytes.last == 0x0A || bytes.isEmpty))
    }

    /// The text with every insertion made, in one pass over it (a huge file gets thousands of insertions); at one
    /// offset they keep the plan's order.
    func applying(_ insertions: [Insertion]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + insertions.reduce(0) { $0 + $1.text.utf8.count })
        var copied = 0
        for insertion in insertions.sorted(by: { ($0.offset, $0.order) < ($1.offset, $1.order) }) {
            result.append(contentsOf: bytes[copied..<insertion.offset])
            result.append(contentsOf: insertion.text.utf8)
            copied = insertion.offset
        }
        result.append(contentsOf: bytes[copied...])
        return result
    }
}
