import Engine
import Testing

/// How the engine writes a JSON string (reports, patches, the webhook's answers and log lines): what it escapes,
/// that the text between escapes is kept as it is, and that the engine's own parser reads back what was written.
@Suite("JSON string output")
struct JSONTextTests {
    @Test("quote, backslash and control characters are escaped; everything else is written as it is", arguments: [
        ("plain", "\"plain\""),
        ("", "\"\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("C:\\dir\\", "\"C:\\\\dir\\\\\""),
        ("line\nnext\r\n\ttab", "\"line\\nnext\\r\\n\\ttab\""),
        ("\u{1}bell\u{7}\u{1F}", "\"\\u0001bell\\u0007\\u001f\""),
        ("del\u{7F}", "\"del\\u007f\""),
        ("é, ü, 日本, 🚀 and /", "\"é, ü, 日本, 🚀 and /\""),
        ("\"", "\"\\\"\""),
    ])
    func escapes(value: String, expected: String) throws {
        var bytes: [UInt8] = []
        JSONText.appendString(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        var text = ""
        JSONValue.writeString(value, to: &text)
        #expect(text == expected, "the String writer and the bytes writer agree")
        #expect(try JSONParser.parse(expected) == .string(value), "read back as written")
    }

    @Test("a long message with escapes far apart keeps every run between them")
    func longRuns() throws {
        let value = String(repeating: "a", count: 300) + "\"" + String(repeating: "é", count: 200) + "\n" + "tail"
        var bytes: [UInt8] = []
        JSONText.appendString(value, to: &bytes)
        #expect(try JSONParser.parse(bytes) == .string(value))
        #expect(bytes.count == value.utf8.count + 2 + 2)
    }

    @Test("every byte that needs an escape is found at every place of a word, among ASCII and non-ASCII text")
    func escapedByteAtEveryOffset() throws {
        let escaped: [UInt8] = Array(0x00...0x1F) + [0x22, 0x5C, 0x7F]
        for filler in ["a", "é"] {
            for byte in escaped {
                for offset in 0..<18 {
                    let value = String(repeating: filler, count: offset) + String(decoding: [byte], as: UTF8.self)
                        + String(repeating: filler, count: 9)
                    var bytes: [UInt8] = []
                    JSONText.appendString(value, to: &bytes)
                    #expect(try JSONParser.parse(bytes) == .string(value), "byte \(byte) after \(offset) × \(filler)")
                    #expect(JSONText.needsEscaping(value))
                }
            }
            #expect(!JSONText.needsEscaping(String(repeating: filler, count: 33)))
        }
    }
}
