/// JSON written as UTF-8 bytes, a piece at a time: for output on hot paths (the webhook's answer and log line, a
/// report of tens of thousands of findings), where each append to a `String` costs a check of the string's storage
/// and most strings need no escape at all.
public enum JSONText {
    /// Appends `value` as a JSON string literal: quote, backslash and control characters escaped (`\n`, `\r`,
    /// `\t`, others and DEL as `\u00XX`), everything else as it is.
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaping($0, to: &out) }) == nil {
            Array(value.utf8).withUnsafeBufferPointer { appendEscaping($0, to: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends text that needs no escaping (JSON punctuation, keys written by hand).
    public static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends `number` in decimal.
    public static func append(_ number: Int, to out: inout [UInt8]) {
        out.append(contentsOf: String(number).utf8)
    }

    /// True when `value` holds a byte that a JSON string escapes.
    public static func needsEscaping(_ value: String) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { firstEscaped(in: $0, from: 0) < $0.count }
            ?? value.utf8.contains(where: isEscaped)
    }

    @inline(__always)
    private static func isEscaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }

    /// The bytes between escapes are appended as whole runs, found eight at a time; a string without any (nearly
    /// all) is one scan and one append.
    private static func appendEscaping(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        var index = firstEscaped(in: bytes, from: 0)
        while index < bytes.count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            out.append(UInt8(ascii: "\\"))
            switch bytes[index] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(bytes[index])
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
            case let byte:
                func hexDigit(_ nibble: UInt8) -> UInt8 {
                    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                }
                append("u00", to: &out)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
            }
            runStart = index + 1
            index = firstEscaped(in: bytes, from: runStart)
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    /// The position of the first byte from `start` that a JSON string escapes, or `bytes.count`; eight bytes at a
    /// time.
    static func firstEscaped(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        var index = start
        while index + 8 <= bytes.count {
            let word = ByteWord(base, at: index)
            let escaped =
                word.below(0x20) | word.equal(to: UInt8(ascii: "\"")) | word.equal(to: UInt8(ascii: "\\"))
                | word.equal(to: 0x7F)
            if escaped != 0 { return index + ByteWord.firstFlagged(escaped) }
            index += 8
        }
        while index < bytes.count, !isEscaped(bytes[index]) { index += 1 }
        return index
    }
}
