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

/// Walks YAML text by lines and characters (columns count characters, not UTF-8 bytes, as libyaml's marks do).
private struct ScalarScan {
    let bytes: [UInt8]
    let lineBase: Int

    /// The byte offset of `position` (a stream line, a 1-based character column), nil when outside the text.
    func offset(of position: SourcePosition) -> Int? {
        var line = lineBase + 1
        var index = 0
        while line < position.line {
            guard let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            index = newline + 1
            line += 1
        }
        var column = 1
        while column < position.column, index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            column += 1
        }
        return index
    }

    /// The stream line and character column of byte `offset`.
    func position(ofOffset offset: Int) -> SourcePosition {
        var line = lineBase + 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = bytes[lineStart..<offset].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return SourcePosition(line: line, column: column)
    }

    func position(afterKeyAt key: SourcePosition, line: Int, column: Int) -> SourcePosition? {
        guard var index = offset(of: key), index < bytes.count else { return nil }
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
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            if line == 1 { return SourcePosition(line: start.line, column: start.column + column) }
            return SourcePosition(line: start.line + line - 1, column: indentation(ofLine: start.line + line - 1) + column)
        default:
            if line == 1 { return SourcePosition(line: start.line, column: start.column + column - 1) }
            return SourcePosition(line: start.line + line - 1, column: indentation(ofLine: start.line + line - 1) + column)
        }
    }

    private func indentation(ofLine line: Int) -> Int {
        guard var index = offset(of: SourcePosition(line: line, column: 1)) else { return 0 }
        var indent = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") {
            index += 1
            indent += 1
        }
        return indent
    }
}
