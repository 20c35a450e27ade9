import Engine
import Foundation
import Testing

/// The engine's JSON parser on its own (the webhook reads every AdmissionReview with it): RFC 8259's grammar, UTF-8,
/// the nesting limit, numbers at the edges of Int64 and Double, and objects wide and deep. Each error is the one the
/// parser gives, with the byte it stopped at.
@Suite("JSON parser")
struct JSONParserTests {
    static func error(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParser.Error? {
        error(Array(text.utf8), maxDepth: maxDepth)
    }

    static func error(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParser.Error? {
        do {
            _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Grammar

    @Test("values RFC 8259 allows, with whitespace around and between tokens", arguments: [
        ("{}", JSONValue.object(JSONObject())), ("[]", .array([])), ("\"\"", .string("")), ("0", .int(0)),
        ("-0", .int(0)), ("10", .int(10)), ("-7", .int(-7)), ("1.5", .double(1.5)), ("1e3", .double(1000)),
        ("2E-2", .double(0.02)), ("-0.5e+1", .double(-5)), ("true", .bool(true)), ("false", .bool(false)),
        ("null", .null), (" \t\r\n[ 1 , \"a\" ]\n", .array([.int(1), .string("a")])),
        ("{ \"a\" : { \"b\" : [ null ] } }", .object(JSONObject([("a", .object(JSONObject([("b", .array([.null])),])))]))),
    ])
    func accepts(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test("what RFC 8259 does not allow is an error at the byte it stops at", arguments: [
        ("", "unexpected end of JSON", 0), ("[1,]", "unexpected character", 3), ("{\"a\":1,}", "expected a string key", 7),
        ("{a:1}", "expected a string key", 1), ("'a'", "unexpected character", 0), ("01", "invalid number (a leading zero)", 0),
        ("-012", "invalid number (a leading zero)", 1), ("[00]", "invalid number (a leading zero)", 1), ("1.", "invalid number", 2),
        (".5", "unexpected character", 0), ("+1", "unexpected character", 0), ("-", "unexpected character", 1),
        ("1e", "invalid number", 2), ("NaN", "unexpected character", 0), ("Infinity", "unexpected character", 0),
        ("[1 2]", "expected ',' or ']'", 3), ("{\"a\" 1}", "expected ':'", 5), ("tru", "unexpected end of JSON", 0),
        ("nul", "unexpected end of JSON", 0), ("\"\\x\"", "invalid escape", 3), ("\"a", "unexpected end of JSON in a string", 2),
        ("[1]x", "unexpected data after the JSON value", 3), ("\"a\u{01}b\"", "control character in a string", 2),
        ("// c\n1", "unexpected character", 0), ("[1] [2]", "unexpected data after the JSON value", 4),
        ("\"\\u12zz\"", "invalid hex digit in an escape", 5),
        // After an escape, in a string that ends and in one that does not: the first error, where it is.
        ("\"\\n\\x", "invalid escape", 5), ("\"\\nabcdefghij\u{01}\"", "control character in a string", 13),
        ("\"\\nabcdefghij\u{01}", "control character in a string", 13), ("\"\\n\\\"\\\\", "unexpected end of JSON in a string", 7),
    ] as [(String, String, Int)])
    func refuses(text: String, message: String, offset: Int) {
        let error = Self.error(text)
        #expect(error?.message == message, "\(text.debugDescription): \(String(describing: error))")
        #expect(error?.offset == offset, "\(text.debugDescription): \(String(describing: error))")
    }

    @Test func keysKeepTheirOrderAndTheLastOfTwoEqualKeysWinsInThePlaceOfTheFirst() throws {
        let object = try #require(try JSONParser.parse(#"{"z":1,"a":2,"m":3,"a":4}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == .int(4))
    }

    // MARK: - UTF-8

    @Test func multiByteTextAndEscapesDecodeToTheirScalars() throws {
        #expect(try JSONParser.parse("\"é 日本 😀\"") == .string("é 日本 😀"))
        #expect(try JSONParser.parse(#""\u00e9\u65E5\ud83d\ude00\/\b\f\n\r\t\"\\""#) == .string("é日😀/\u{08}\u{0C}\n\r\t\"\\"))
        // Escaped and literal keys are the same key.
        #expect(try JSONParser.parse(#"{"\u0061":1,"a":2}"#).objectValue?.count == 1)
    }

    @Test("escaped strings of every length and mix decode as they were written (JSON inside an annotation)")
    func escapeHeavyStrings() throws {
        // The shape kubectl leaves in last-applied-configuration: JSON whose quotes are all escaped.
        let pieces = ["a", "\"", "\\", "/", "\n", "\t", "é", "日本", "😀", "\u{01}", "0123456789abcdef", "\u{7F}"]
        var choice: UInt64 = 7
        for length in [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300] {
            var text = ""
            for _ in 0..<length {
                choice = choice &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((choice >> 33) % UInt64(pieces.count))]
            }
            var encodedBytes: [UInt8] = []
            JSONText.appendString(text, to: &encodedBytes)
            let encoded = String(decoding: encodedBytes, as: UTF8.self)
            #expect(try JSONParser.parse(encoded) == .string(text), "\(encoded)")
            // The same text written with \u escapes only, surrogate pairs for the scalars past the BMP.
            let unicodeEscaped = "\"" + text.utf16.map { String(format: "\\u%04x", $0) }.joined() + "\""
            #expect(try JSONParser.parse(unicodeEscaped) == .string(text))
            // Cut short anywhere after its first escape: an error at the end, never a read past it.
            let bytes = Array(unicodeEscaped.utf8)
            for cut in stride(from: 3, to: bytes.count - 1, by: 5) {
                #expect(Self.error(Array(bytes[..<cut])) != nil)
            }
        }
    }

    @Test("a surrogate escape without its pair is an error", arguments: [
        (#""\ud800""#, 7), (#""\udc00""#, 7), (#""\ud800\u0041""#, 13), (#""\ud800x""#, 7),
    ])
    func unpairedSurrogates(text: String, offset: Int) {
        let error = Self.error(text)
        #expect(error?.message == "unpaired surrogate", "\(text): \(String(describing: error))")
        #expect(error?.offset == offset, "\(text): \(String(describing: error))")
    }

    @Test("bytes that are not well-formed UTF-8 are an error, in a string and in a key", arguments: [
        [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE6, 0x97], [0x80], [0xFF],
        [0xF0, 0x8F, 0xBF, 0xBF], [0xE0, 0x80, 0x80],
    ] as [[UInt8]])
    func malformedUTF8(bytes: [UInt8]) {
        let inString = [UInt8(ascii: "\"")] + bytes + Array("\"".utf8)
        #expect(Self.error(inString)?.message == "invalid UTF-8 in a string", "\(bytes)")
        // Read a word at a time (trailing blanks make the bytes a whole word), at each place in that word.
        for prefix in ["", "a", "ab", "abcdef", "abcdefghij"] {
            let inWord = Array("\"\(prefix)".utf8) + bytes + Array("\"          ".utf8)
            #expect(Self.error(inWord)?.message == "invalid UTF-8 in a string", "\(prefix) \(bytes)")
            let beforeEscape = Array("\"\(prefix)".utf8) + bytes + Array("\\n\"          ".utf8)
            #expect(Self.error(beforeEscape)?.message == "invalid UTF-8 in a string", "\(prefix) \(bytes)")
        }
        let inKey = Array("{\"".utf8) + bytes + Array("\":1}".utf8)
        #expect(Self.error(inKey)?.message == "invalid UTF-8 in a string", "\(bytes)")
        // Escaped text around it does not hide it.
        let escaped = Array("\"\\n".utf8) + bytes + Array("\"".utf8)
        #expect(Self.error(escaped)?.message == "invalid UTF-8 in a string", "\(bytes)")
    }

    @Test func aNonASCIIByteOutsideAStringIsAnError() {
        #expect(Self.error([0xC3, 0xA9])?.message == "unexpected character")
        #expect(Self.error(Array("[1,".utf8) + [0xE2, 0x80, 0x8B] + Array("2]".utf8))?.offset == 3)
    }

    // MARK: - Numbers

    @Test("integers to the edges of Int64 stay integers; one past them is a double, as Go reads it into a float64",
          arguments: [
        ("9223372036854775807", JSONValue.int(.max)), ("-9223372036854775808", .int(.min)),
        ("999999999999999999", .int(999_999_999_999_999_999)), ("-999999999999999999", .int(-999_999_999_999_999_999)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("-9223372036854775809", .double(-9_223_372_036_854_775_809)),
        ("100000000000000000000000", .double(1e23)),
    ])
    func integerEdges(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test("doubles to the edges of Double; past the largest is out of range, not infinity", arguments: [
        ("1.7976931348623157e308", JSONValue.double(.greatestFiniteMagnitude)), ("-1.7976931348623157e308", .double(-.greatestFiniteMagnitude)),
        ("5e-324", .double(.leastNonzeroMagnitude)), ("2.2250738585072014e-308", .double(.leastNormalMagnitude)),
        ("0.1", .double(0.1)), ("1e0", .double(1)),
    ])
    func doubleEdges(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test("a number past the largest double is refused where it starts", arguments: [
        ("1e309", 0), ("-1e309", 0), ("[1.8e308]", 1), (#"{"a":12e999}"#, 5),
    ])
    func outOfRange(text: String, offset: Int) {
        let error = Self.error(text)
        #expect(error?.message == "number out of range" && error?.offset == offset, "\(String(describing: error))")
    }

    // MARK: - Depth and width

    @Test func nestingIsBoundedByMaxDepthAndTooDeepIsAnErrorNotACrash() throws {
        func arrays(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        func objects(_ depth: Int) -> String {
            String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        }
        let limit = JSONParser.defaultMaxDepth
        #expect(Self.error(arrays(limit)) == nil)
        #expect(Self.error(arrays(limit + 1))?.message == "JSON nested deeper than \(limit) levels")
        #expect(Self.error(objects(limit - 1)) == nil)
        #expect(Self.error(objects(limit))?.message == "JSON nested deeper than \(limit) levels")
        // Far deeper than any stack allows for recursion: stopped at the limit, at the byte that passes it.
        let tooDeep = Self.error(String(repeating: "[", count: 1_000_000))
        #expect(tooDeep?.message == "JSON nested deeper than \(limit) levels" && tooDeep?.offset == limit)
        #expect(Self.error("[[[1]]]", maxDepth: 3)?.offset == 3)
        #expect(Self.error("[[1]]", maxDepth: 3) == nil)
    }

    @Test func aMemberLeftUnreadIsStillCheckedForDepthAndGrammar() throws {
        let unread = JSONParser.UnreadMembers([["skip"]])
        let deep = "{\"skip\":" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(Array(deep.utf8), leavingOut: unread) }
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(Array(#"{"skip":[01]}"#.utf8), leavingOut: unread) }
        #expect(try JSONParser.parse(Array(#"{"skip":[1,{"b":2}],"keep":3}"#.utf8), leavingOut: unread)
            == .object(JSONObject([("keep", .int(3))])))
        // Strings left out: escapes and all, each fails as it fails when it is built.
        #expect(try JSONParser.parse(Array(#"{"skip":"a\"b\\c\/d\n\u00e9\t","keep":3}"#.utf8), leavingOut: unread)
            == .object(JSONObject([("keep", .int(3))])))
        for broken in [#""a\qb""#, #""\u12""#, #""\ud800x""#, #""ab\"#, "\"a\u{01}\"", "\"\\n\u{01}\"", #""\"#] {
            let built = Self.error("{\"keep\":\(broken)}")
            let skipped: JSONParser.Error? = {
                do throws(JSONParser.Error) {
                    _ = try JSONParser.parse(Array("{\"skip\":\(broken)}".utf8), leavingOut: unread)
                    return nil
                } catch { return error }
            }()
            // The same message, at the same distance from the string's start (the keys have the same length).
            #expect(built != nil && skipped == built, "\(broken)")
        }
    }

    @Test("a remembered member is left out, and where it is (the last of equal keys) is given back to parse it alone")
    func rememberedMember() throws {
        let text = #"--{"a":1, "old" : {"k":"v\"w","n":[1,2]} ,"z":{"old":3},"old":{"last":true}}"#
        let bytes = Array(text.utf8)
        let unread = JSONParser.UnreadMembers([["a"]], remembering: [["old"], ["missing"]])
        var ranges: [Range<Int>?] = []
        let value = try JSONParser.parse(bytes[2...], leavingOut: unread, remembering: &ranges)
        #expect(value == ["z": ["old": 3]])
        #expect(ranges.count == 2 && ranges[1] == nil)
        let range = try #require(ranges[0])
        #expect(String(decoding: bytes[range], as: UTF8.self) == #"{"last":true}"#)
        var none: [Range<Int>?] = []
        #expect(try JSONParser.parse(bytes[range], leavingOut: nil, remembering: &none) == ["last": true])
        // An error in a remembered member is the document's, at its offset in the document.
        let broken = Array(#"{"old":{"k":tru}}"#.utf8)
        let error = #expect(throws: JSONParser.Error.self) {
            try JSONParser.parse(broken[...], leavingOut: unread, remembering: &none)
        }
        #expect(error?.message == "invalid literal" && error?.offset == 12)
    }

    @Test("of two equal keys the last wins, in the place of the first, however the keys are spelled")
    func equalKeys() throws {
        func members(_ text: String) throws -> [String] {
            try #require(try JSONParser.parse(text).objectValue).members.map { "\($0.key)=\($0.value.serialized())" }
        }
        #expect(try members(#"{"a":1,"bb":2,"a":3}"#) == ["a=3", "bb=2"])
        #expect(try members(#"{"ab":1,"cd":2,"ab":3,"ef":4}"#) == ["ab=3", "cd=2", "ef=4"])
        #expect(try members(#"{"a":1,"\u0061":2,"b\n":3,"b\u000a":4}"#) == ["a=2", "b\n=4"])
        // Lengths that meet modulo 64.
        let long = String(repeating: "k", count: 65)
        #expect(try members(#"{"k":1,"\#(long)":2,"k":3}"#) == ["k=3", "\(long)=2"])
    }

    @Test("a JSON object with 100,000 keys parses, the last of two equal keys winning in the first's place")
    func wideJSONObject() throws {
        // The webhook's parser (AdmissionReview bodies): equal keys are found without a scan per key.
        var text = #"{"kind":"ConfigMap","data":{"#
        for index in 0..<100_000 { text += #""k\#(index)":"v","# }
        text += #""k7":"duplicate"}}"#
        let data = try #require(try JSONParser.parse(text)["data"]?.objectValue)
        #expect(data.count == 100_000)
        #expect(data.keys[7] == "k7")
        #expect(data["k7"] == "duplicate")
        #expect(data["k99999"] == "v")
    }

    @Test("strings a caller knows come back as the same text, and a string that differs from one in any byte is not taken for it")
    func knownStrings() throws {
        let known = ["", "a", "ab", "abc", "name", "kind:", "metadata", "apiVersion", "HorizontalPodAutoscaler",
            "autoscaling/v2", "fifteen-bytes-x", "sixteen-bytes-xy", "seventeen-bytes-z",
            "kubectl.kubernetes.io/last-applied-configuration"]
        let table = JSONParser.KnownStrings(known)
        var candidates = known
        for string in known {
            let bytes = Array(string.utf8)
            // One byte changed at each place, one byte more or less: what a lookup by a few bytes could confuse.
            for place in bytes.indices {
                var changed = bytes
                changed[place] = changed[place] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                candidates.append(String(decoding: changed, as: UTF8.self))
            }
            candidates.append(string + "s")
            candidates.append(String(string.dropLast()))
            candidates.append(String(string.dropFirst()))
        }
        for candidate in candidates {
            var encoded: [UInt8] = []
            JSONText.appendString(candidate, to: &encoded)
            let object = Array("{".utf8) + encoded + Array(":".utf8) + encoded + Array("}".utf8)
            let parsed = try JSONParser.parse(object, knownStrings: table)
            #expect(parsed == (try JSONParser.parse(object)), "\(candidate)")
            #expect(parsed.objectValue?.keys == [candidate], "\(candidate)")
            #expect(parsed[candidate]?.stringValue == candidate, "\(candidate)")
        }
    }

    @Test func aWideArrayAndALongStringParseWhole() throws {
        let items = try #require(try JSONParser.parse("[" + Array(repeating: "1", count: 200_000).joined(separator: ",") + "]").arrayValue)
        #expect(items.count == 200_000)
        let long = String(repeating: "ab\\n\u{e9}", count: 50_000)
        #expect(try JSONParser.parse("\"" + long + "\"") == .string(String(repeating: "ab\n\u{e9}", count: 50_000)))
    }
}
