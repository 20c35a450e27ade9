import Engine

/// The first character of a UTF-8 stream that libyaml's reader would refuse, found before libyaml sees it.
///
/// libyaml decodes its input ahead of the parser, in blocks, and reports a bad byte with a byte offset but without a
/// line or column (`problem_offset`, not `problem_mark`). Met that way, a bad byte far down a file would end the
/// documents before it and be reported at 1:1. Scanning first lets the reader hand libyaml only the bytes before it,
/// mark the document that holds it as broken, with its line and column, and go on after it.
///
/// The checks are libyaml's (`reader.c`, `yaml_parser_update_buffer`): well-formed UTF-8, no surrogates, nothing past
/// U+10FFFF, and only the characters YAML 1.1 allows (tab, line feed, carriage return, printable ASCII, U+0085,
/// U+00A0–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF). Streams that start with a UTF-16 byte order mark are left to
/// libyaml.
struct UnreadableCharacter: Equatable {
    /// Offset of the character's first byte in the scanned buffer.
    let offset: Int
    let reason: String

    static func first(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UnreadableCharacter? {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return nil
        }
        var index = start
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        while index < count {
            // Eight bytes at a time while none is a control character, DEL or non-ASCII (most of a manifest); the
            // byte-wise checks below take over at the word that holds one.
            while index + 8 <= count {
                let word = ByteWord(base, at: index)
                if word.below(0x20) | word.equal(to: 0x7F) | word.nonASCII != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead >= 0x20 && lead < 0x7F || lead == 0x0A || lead == 0x0D || lead == 0x09 {
                index += 1
                continue
            }
            let width: Int
            var value: UInt32
            switch lead {
            case 0x00..<0x80: width = 1; value = UInt32(lead)
            case 0xC0..<0xE0: width = 2; value = UInt32(lead & 0x1F)
            case 0xE0..<0xF0: width = 3; value = UInt32(lead & 0x0F)
            case 0xF0..<0xF8: width = 4; value = UInt32(lead & 0x07)
            default:
                return UnreadableCharacter(offset: index, reason: "invalid UTF-8: byte 0x\(hex(lead)) cannot start a character")
            }
            guard index + width <= count else {
                return UnreadableCharacter(offset: index, reason: "invalid UTF-8: the file ends inside a character")
            }
            for next in 1..<width {
                let byte = bytes[index + next]
                guard byte & 0xC0 == 0x80 else {
                    return UnreadableCharacter(offset: index, reason: "invalid UTF-8: byte 0x\(hex(byte)) cannot continue a character")
                }
                value = value << 6 | UInt32(byte & 0x3F)
            }
            let shortest = width == 1 || (width == 2 && value >= 0x80) || (width == 3 && value >= 0x800)
                || (width == 4 && value >= 0x10000)
            guard shortest else {
                return UnreadableCharacter(offset: index, reason: "invalid UTF-8: overlong encoding")
            }
            guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
                return UnreadableCharacter(offset: index, reason: "invalid UTF-8: not a Unicode character")
            }
            let allowed = value == 0x09 || value == 0x0A || value == 0x0D || (0x20...0x7E).contains(value)
                || value == 0x85 || (0xA0...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value)
                || (0x10000...0x10FFFF).contains(value)
            guard allowed else {
                let name = value < 0x10000 ? "U+" + hex(value, digits: 4) : "U+" + hex(value, digits: 6)
                return UnreadableCharacter(offset: index, reason: "control character \(name) is not allowed in YAML")
            }
            index += width
        }
        return nil
    }

    private static func hex<T: BinaryInteger>(_ value: T, digits: Int = 2) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
