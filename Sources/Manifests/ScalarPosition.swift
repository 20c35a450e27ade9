import Engine

extension DocumentLocator {
    /// Finds the string value of the member at `pointer` in the text (past its key, the `:` and the quote, or on the
    /// first content line of a block scalar) and counts `line:column` from there.
    ///
    /// Exact for what expressions are written as: a plain or quoted scalar on one line, or a `|`/`>` block. In a
    /// quoted scalar that spans lines, later lines are counted from their first non-blank character.
    func position(inScalarAt pointer: JSONPointer, line: Int, column: Int) -> SourcePosition? {
        guard let key = position(of: pointer) else { return nil }
        let scan = ScalarScan(bytes: file.bytes, lineBase: file.lineBase)
        return scan.position(afterKeyAt: key, line: line, column: column) ?? key
    }
}

/// The text of one chunk of a stream (`lineBase` lines come before it), in the stream's line numbers.
private struct ScalarScan {
    let text: TextBuffer
    let lineBase: Int

    init(bytes: [UInt8], lineBase: Int) {
        text = TextBuffer(bytes)
        self.lineBase = lineBase
    }

    var bytes: [UInt8] { text.bytes }

    func offset(of position: SourcePosition) -> Int {
        text.offset(of: SourcePosition(line: position.line - lineBase, column: position.column))
    }

    func position(ofOffset offset: Int) -> SourcePosition {
        let inChunk = text.position(ofOffset: offset)
        return SourcePosition(line: inChunk.line + lineBase, column: inChunk.column)
    }

    func position(afterKeyAt key: SourcePosition, line: Int, column: Int) -> SourcePosition? {
        var index = offset(of: key)
        guard index < bytes.count else { return nil }
        // Past the key: quoted, or plain up to the ": " that ends it.
        if let quote = bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") ? bytes[index] : nil {
            index += 1
            while index < bytes.count, bytes[index] != quote {
                if quote == UInt8(ascii: "\""), bytes[index] == UInt8(ascii: "\\") { index += 1 }
                index += 1
            }
            index += 1
        }
        while index < bytes.count, bytes[index] != UInt8(ascii: ":") { index += 1 }
        index += 1
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        guard index < bytes.count else { return nil }
        let start = position(ofOffset: index)
        switch bytes[index] {
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            // A block scalar: its content starts on the next line, at the indentation of its first non-blank line.
            guard var lineStart = bytes[index...].firstIndex(of: UInt8(ascii: "\n")).map({ $0 + 1 }) else { return nil }
            var indent = 0
            while lineStart < bytes.count {
                indent = 0
                while lineStart + indent < bytes.count, bytes[lineStart + indent] == UInt8(ascii: " ") { indent += 1 }
                guard lineStart + indent < bytes.count, bytes[lineStart + indent] == UInt8(ascii: "\n") else { break }
                lineStart += indent + 1
            }
            return SourcePosition(line: start.line + line, column: indent + column)
        default:
            // A quoted scalar's first character is one past its quote; later lines count from their indentation.
            let quoted = bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")
            if line == 1 { return SourcePosition(line: start.line, column: start.column + column - (quoted ? 0 : 1)) }
            return SourcePosition(line: start.line + line - 1, column: indentation(ofLine: start.line + line - 1) + column)
        }
    }

    private func indentation(ofLine line: Int) -> Int {
        var index = offset(of: SourcePosition(line: line, column: 1))
        var indent = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") {
            index += 1
            indent += 1
        }
        return indent
    }
}
