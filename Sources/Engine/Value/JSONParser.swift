/// A strict RFC 8259 parser into `JSONValue` that keeps key order, with explicit limits.
///
/// The webhook parses every AdmissionReview with it and the v1 annotations hold JSON, so it is bounded: nesting
/// deeper than `maxDepth` is an error, never a stack overflow.
///
/// It reads the bytes in place (one `withUnsafeBufferPointer` for the whole document) and builds each string once
/// from its bytes: the per-review hot path of the webhook.
public struct JSONParser {
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    public static let defaultMaxDepth = 512

    /// Members a caller never reads, named by their keys from the root (`*` steps into every item of an array):
    /// the parser checks them as strictly as the rest, so a document with an error in them is still an error, but
    /// builds nothing for them and leaves them out of the result. The webhook drops `managedFields` and `userInfo`
    /// this way (close to a tenth of a review's work, for fields no rule looks at), and keeps the stored object of
    /// an UPDATE as bytes, remembered, until a review reads it.
    public struct UnreadMembers: Sendable {
        /// What the parser does with a member named in a path.
        fileprivate enum Treatment {
            /// Checked, not built; the place of its byte range among the remembered ones, if it is one of them.
            case leaveOut(rememberedAt: Int?)
            /// Built, with the members named below it left out.
            case descend(UnreadMembers)
        }

        fileprivate let children: [(key: String, treatment: Treatment)]
        /// How many byte ranges a parse reports (`remembering` of the root).
        fileprivate let rememberedCount: Int

        /// `paths` like `["request", "object", "metadata", "managedFields"]` or `["items", "*", "metadata",
        /// "managedFields"]`; the last key of each is left out (it may not be `*`: items are never left out).
        ///
        /// `remembering` names members left out whose bytes the caller may want later: a parse reports where each
        /// of them is, in this order, so that it can be parsed on its own when something reads it.
        public init(_ paths: [[String]], remembering remembered: [[String]] = []) {
            precondition(!remembered.contains { $0.contains("*") }, "a member to remember is one member, not one per item")
            let all = paths.map { ($0, nil as Int?) } + remembered.enumerated().map { ($0.element, $0.offset as Int?) }
            self.init(all, rememberedCount: remembered.count)
        }

        private init(_ paths: [([String], Int?)], rememberedCount: Int) {
            precondition(!paths.contains { $0.0.last == "*" }, "a path to leave out ends in a key, not in *")
            var keys: [String] = []
            for (path, _) in paths where !path.isEmpty && !keys.contains(path[0]) { keys.append(path[0]) }
            children = keys.map { key in
                let below = paths.filter { $0.0.first == key }.map { (Array($0.0.dropFirst()), $0.1) }
                if let leaf = below.first(where: { $0.0.isEmpty }) { return (key, .leaveOut(rememberedAt: leaf.1)) }
                return (key, .descend(UnreadMembers(below, rememberedCount: 0)))
            }
            self.rememberedCount = rememberedCount
        }

        /// `nil` for a member no path names.
        fileprivate func treatment(of key: String) -> Treatment? {
            for child in children where child.key.isSameText(as: key) { return child.treatment }
            return nil
        }

        /// What to leave out in every item of an array here.
        fileprivate var inItems: UnreadMembers? {
            if case .descend(let below) = treatment(of: "*") { return below }
            return nil
        }
    }

    /// Valid only during `parse`: the buffer of the caller's array.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let maxDepth: Int
    /// Members and items of the objects and arrays being parsed, innermost last.
    private let memberStack = ElementStack<JSONObject.Member>()
    private let itemStack = ElementStack<JSONValue>()
    /// Where a string with escapes is decoded, reused from one such string to the next.
    private let decoded = DecodeBuffer()
    private let knownStrings: KnownStrings?
    /// Where the members left out that the caller remembers are, by their places in `UnreadMembers`.
    private var remembered: [Range<Int>?] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, knownStrings: KnownStrings?) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.knownStrings = knownStrings
    }

    /// - Parameters:
    ///   - unread: members checked as JSON but not built (the caller's: nothing it runs reads them).
    ///   - knownStrings: strings handed out as they are instead of made anew (the caller's vocabulary).
    public static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, leavingOut unread: UnreadMembers? = nil,
        knownStrings: KnownStrings? = nil
    ) throws(Error) -> JSONValue {
        var remembered: [Range<Int>?] = []
        return try parse(bytes[...], maxDepth: maxDepth, leavingOut: unread, knownStrings: knownStrings, remembering: &remembered)
    }

    /// Parses `bytes` (a whole document, or one member of a document parsed before), error offsets counted from
    /// its first byte.
    ///
    /// - Parameter remembered: set to where each member that `unread` remembers is (indices of `bytes`, the value
    ///   without the whitespace around it), in the order `unread` names them; nil for one the document does not
    ///   have.
    public static func parse(
        _ bytes: ArraySlice<UInt8>, maxDepth: Int = defaultMaxDepth, leavingOut unread: UnreadMembers?,
        knownStrings: KnownStrings? = nil, remembering remembered: inout [Range<Int>?]
    ) throws(Error) -> JSONValue {
        let base = bytes.startIndex
        let result: Result<(JSONValue, [Range<Int>?]), Error> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth, knownStrings: knownStrings)
            parser.remembered = Array(repeating: nil, count: unread?.rememberedCount ?? 0)
            do throws(Error) {
                parser.skipWhitespace()
                let value = try parser.parseValue(depth: 0, leavingOut: unread)
                parser.skipWhitespace()
                guard parser.index == buffer.count else { throw parser.error("unexpected data after the JSON value") }
                return .success((value, parser.remembered))
            } catch {
                return .failure(error)
            }
        }
        let (value, ranges) = try result.get()
        remembered = base == 0 ? ranges : ranges.map { $0.map { ($0.lowerBound + base)..<($0.upperBound + base) } }
        return value
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(Error) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    private func error(_ message: String) -> Error { Error(message: message, offset: index) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int, leavingOut unread: UnreadMembers? = nil) throws(Error) -> JSONValue {
        guard depth < maxDepth else { throw error("JSON nested deeper than \(maxDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth, leavingOut: unread)
        case UInt8(ascii: "["): return try parseArray(depth: depth, leavingOut: unread?.inItems)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: return try parseNumber()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Error) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of JSON") }
        let matches = literal.withUTF8Buffer { buffer in
            buffer.elementsEqual(UnsafeBufferPointer(rebasing: bytes[index..<(index + count)]))
        }
        guard matches else { throw error("invalid literal") }
        index += count
    }

    private mutating func parseObject(depth: Int, leavingOut unread: UnreadMembers?) throws(Error) -> JSONValue {
        // Members collect on a stack shared by all objects of the document, then move into an array of their
        // exact count: one allocation per object instead of one per doubling.
        let base = memberStack.count
        var wideIndex: [String: Int]?
        // Bit n is set once a key of n bytes (modulo 64) is in: a key whose length has no bit set is new, and is
        // not looked for among the members (most keys of an object differ in length).
        var keyLengths: UInt64 = 0
        // The loop of `elements`, written out: a closure here costs every object of every review a call.
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            try expectKey()
            let key = try parseString()
            try expectColon()
            let parsed: JSONValue?
            switch unread?.treatment(of: key) {
            case .leaveOut(let place):
                let start = index
                try skipValue(depth: depth + 1)
                // The last of two equal keys wins here too.
                if let place { remembered[place] = start..<index }
                parsed = nil
            case .descend(let below): parsed = try parseValue(depth: depth + 1, leavingOut: below)
            case nil: parsed = try parseValue(depth: depth + 1)
            }
            // Go's decoder lets the last of two equal keys win (in the place of the first); so does this.
            if let value = parsed {
                let member = JSONObject.Member(key: key, value: value)
                let lengthBit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: key.utf8.count & 63)
                if keyLengths & lengthBit != 0, let existing = memberStack.position(of: key, from: base, index: &wideIndex) {
                    memberStack.replace(at: existing, with: member)
                } else {
                    keyLengths |= lengthBit
                    memberStack.appendMember(member, index: &wideIndex)
                }
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON in an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
            index += 1
            return .object(JSONObject(members: memberStack.popArray(from: base)))
        }
    }

    private mutating func parseArray(depth: Int, leavingOut unreadInItems: UnreadMembers?) throws(Error) -> JSONValue {
        // Items collect on a shared stack too (see parseObject).
        let base = itemStack.count
        try elements(closedBy: UInt8(ascii: "]"), in: "an array") { parser throws(Error) in
            parser.itemStack.append(try parser.parseValue(depth: depth + 1, leavingOut: unreadInItems))
        }
        return .array(itemStack.popArray(from: base))
    }

    /// Moves over one value, checking it as `parseValue` would, without building it.
    private mutating func skipValue(depth: Int) throws(Error) {
        guard depth < maxDepth else { throw error("JSON nested deeper than \(maxDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try elements(closedBy: UInt8(ascii: "}"), in: "an object") { parser throws(Error) in
                try parser.expectKey()
                try parser.skipString()
                try parser.expectColon()
                try parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            try elements(closedBy: UInt8(ascii: "]"), in: "an array") { parser throws(Error) in
                try parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "\""):
            try skipString()
        default:
            _ = try parseValue(depth: depth)
        }
    }

    /// Moves over a string, checked as `parseString` checks it; an ASCII one whose escapes are all of one character
    /// (nearly all: `\"` fills the JSON of a last-applied-configuration) is not made into a `String`.
    private mutating func skipString() throws(Error) {
        let start = index
        index += 1
        var asciiMask: UInt8 = 0
        while true {
            skipPlainWords(asciiMask: &asciiMask)
            guard index < bytes.count, asciiMask < 0x80 else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, Self.singleByteEscape(bytes[index + 1]) != nil {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            asciiMask |= byte
            index += 1
        }
        // A \u escape, other bytes than ASCII, a control byte, an invalid escape or the end: the full way, for the
        // same errors.
        index = start
        _ = try parseString()
    }

    /// The byte that a one-character escape (after its backslash) stands for; nil for `u` and for what is not an
    /// escape.
    @inline(__always)
    private static func singleByteEscape(_ escape: UInt8) -> UInt8? {
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return escape
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// At `{` or `[`: the elements (each read by `element`) separated by commas, up to `close`.
    @inline(__always)
    private mutating func elements(
        closedBy close: UInt8, in what: StaticString, _ element: (inout JSONParser) throws(Error) -> Void
    ) throws(Error) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == close {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON in \(what)") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == close else {
                throw error(close == UInt8(ascii: "}") ? "expected ',' or '}'" : "expected ',' or ']'")
            }
            index += 1
            return
        }
    }

    /// An object member's key must start here.
    @inline(__always)
    private func expectKey() throws(Error) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
    }

    /// The `:` after a key, and the whitespace around it.
    @inline(__always)
    private mutating func expectColon() throws(Error) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
        index += 1
        skipWhitespace()
    }

    private mutating func parseString() throws(Error) -> String {
        index += 1
        let start = index
        // Fast path, no escapes: find the closing quote, then make the string from the bytes in one go.
        var asciiMask: UInt8 = 0
        skipPlainWords(asciiMask: &asciiMask)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = makeString(UnsafeBufferPointer(rebasing: bytes[start..<index]), isASCII: asciiMask < 0x80)
                guard let text else { throw error("invalid UTF-8 in a string") }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in a string") }
            asciiMask |= byte
            index += 1
        }
        return try parseEscapedString(from: start, asciiMask: asciiMask)
    }

    /// The rest of a string that has an escape at `index`, its plain bytes from `start` on: decoded into a buffer
    /// the parser reuses, then made a `String` in one go.
    ///
    /// The position is a local, written back to `index` before an error or a call that reads it: as a stored
    /// property of the parser it would be loaded and stored again at each step of the loop.
    private mutating func parseEscapedString(from start: Int, asciiMask plainMask: UInt8) throws(Error) -> String {
        guard let base = bytes.baseAddress else { throw error("unexpected end of JSON in a string") }
        let end = bytes.count
        var position = index
        var written = position - start
        // Before each write there is room for eight bytes more than it needs: a plain run is copied a word at a
        // time, and its last word may reach past the run.
        var output = decoded.room(for: written + 64, keeping: 0)
        var room = decoded.capacity
        output.update(from: base + start, count: written)
        var asciiMask = plainMask
        func fail(_ message: String, at offset: Int) -> Error { Error(message: message, offset: offset) }
        // The plain bytes' high bits, folded into `asciiMask` at the end.
        var nonASCII: UInt64 = 0
        while position < end {
            if written + 16 > room {
                output = decoded.room(for: written + 64, keeping: written)
                room = decoded.capacity
            }
            // Plain bytes up to the next quote, backslash or control byte, a word at a time: each word is stored
            // whole, and the next write starts where the plain bytes ended. Byte by byte in the last seven.
            if position + 8 <= end {
                let word = ByteWord(base, at: position)
                UnsafeMutableRawPointer(output + written).storeBytes(of: word.bits, as: UInt64.self)
                let stops = word.equal(to: UInt8(ascii: "\"")) | word.equal(to: UInt8(ascii: "\\")) | word.below(0x20)
                nonASCII |= word.nonASCII(before: stops)
                if stops == 0 {
                    position += 8
                    written += 8
                    continue
                }
                let plain = ByteWord.firstFlagged(stops)
                position += plain
                written += plain
            } else {
                let plain = base[position]
                if plain != UInt8(ascii: "\""), plain != UInt8(ascii: "\\"), plain >= 0x20 {
                    asciiMask |= plain
                    output[written] = plain
                    written += 1
                    position += 1
                    continue
                }
            }
            let byte = base[position]
            if byte == UInt8(ascii: "\\") {
                position += 1
                guard position < end else { throw fail("unexpected end of JSON in a string", at: position) }
                let escape = base[position]
                position += 1
                if let decodedByte = Self.singleByteEscape(escape) {
                    output[written] = decodedByte
                    written += 1
                    continue
                }
                guard escape == UInt8(ascii: "u") else { throw fail("invalid escape", at: position) }
                // Encoded here, so the string is still made in one go (and validated once) at the end.
                index = position
                for unit in try parseUnicodeEscape() {
                    asciiMask |= unit
                    output[written] = unit
                    written += 1
                }
                position = index
                continue
            }
            if byte == UInt8(ascii: "\"") {
                index = position + 1
                if nonASCII != 0 { asciiMask |= 0x80 }
                let text = makeString(UnsafeBufferPointer(start: output, count: written), isASCII: asciiMask < 0x80)
                guard let text else { throw error("invalid UTF-8 in a string") }
                return text
            }
            throw fail("control character in a string", at: position)
        }
        throw fail("unexpected end of JSON in a string", at: position)
    }

    /// After `\u`: the four hex digits (and a low surrogate's escape after a high one), as UTF-8.
    private mutating func parseUnicodeEscape() throws(Error) -> UTF8.EncodedScalar {
        var scalar = try parseHex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw error("unpaired surrogate") }
            index += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw error("unpaired surrogate")
        }
        guard let unicode = Unicode.Scalar(scalar), let encoded = UTF8.encode(unicode) else {
            throw error("invalid unicode escape")
        }
        return encoded
    }

    /// Moves `index` over the bytes before the next quote, backslash or control byte, eight at a time, and ORs
    /// their bytes into `asciiMask` (which stays below 0x80 for ASCII). It stops on that byte, or fewer than eight
    /// bytes before the end, where the caller goes on byte by byte.
    @inline(__always)
    private mutating func skipPlainWords(asciiMask: inout UInt8) {
        guard let base = bytes.baseAddress else { return }
        var nonASCII: UInt64 = 0
        while index + 8 <= bytes.count {
            let word = ByteWord(base, at: index)
            let stops = word.equal(to: UInt8(ascii: "\"")) | word.equal(to: UInt8(ascii: "\\")) | word.below(0x20)
            nonASCII |= word.nonASCII(before: stops)
            if stops != 0 {
                index += ByteWord.firstFlagged(stops)
                break
            }
            index += 8
        }
        if nonASCII != 0 { asciiMask |= 0x80 }
    }

    /// The string of UTF-8 `bytes`, nil when they are not well-formed UTF-8 (Unicode 15, table 3-7, as
    /// `String(validating:as:)` checks; that one is an unspecialized generic, a metadata lookup per string).
    private func makeString(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String? {
        if isASCII, let known = knownStrings?.string(for: bytes) { return known }
        guard isASCII || Self.isWellFormedUTF8(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isWellFormedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < count && range.contains(bytes[index + offset])
        }
        while index < count {
            let lead = bytes[index]
            switch lead {
            case 0x00...0x7F:
                index += 1
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0:
                guard continuation(1, 0xA0...0xBF), continuation(2) else { return false }
                index += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continuation(1), continuation(2) else { return false }
                index += 3
            case 0xED:
                guard continuation(1, 0x80...0x9F), continuation(2) else { return false }
                index += 3
            case 0xF0:
                guard continuation(1, 0x90...0xBF), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF4:
                guard continuation(1, 0x80...0x8F), continuation(2), continuation(3) else { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    private mutating func parseHex4() throws(Error) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("unexpected end of JSON in an escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in an escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Error) -> JSONValue {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        var isInteger = true
        var sawDigit = false
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integerStart = index
        while index < bytes.count, isDigit(bytes[index]) {
            index += 1
            sawDigit = true
        }
        guard sawDigit else { throw error("unexpected character") }
        // RFC 8259: the integer part is 0 or starts with 1-9 (Go's decoder, so the API server, refuses 01).
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            throw Error(message: "invalid number (a leading zero)", offset: integerStart)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        // Up to 18 digits cannot overflow Int64: the value straight from the bytes, as Int64(text) would read it.
        let negative = bytes[start] == UInt8(ascii: "-")
        let digitsStart = negative ? start + 1 : start
        if isInteger, index - digitsStart <= 18 {
            var value: Int64 = 0
            for position in digitsStart..<index { value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0")) }
            return .int(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int64(text) { return .int(value) }
        // Past the largest double, Swift reads infinity; JSON has none, and Go's decoder refuses it as out of range.
        guard let value = Double(text), value.isFinite else {
            throw Error(message: "number out of range", offset: start)
        }
        return .double(value)
    }
}

/// Bytes kept from one use to the next, grown when a use needs more; none until the first use, since most
/// documents have no string with an escape.
private final class DecodeBuffer {
    private var start: UnsafeMutablePointer<UInt8>?
    private(set) var capacity = 0

    /// Room for at least `count` bytes, the first `kept` of them as they were; valid until the next call.
    func room(for count: Int, keeping kept: Int) -> UnsafeMutablePointer<UInt8> {
        if let start, count <= capacity { return start }
        let grown = max(count, capacity * 2, 256)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        if let start {
            larger.update(from: start, count: kept)
            start.deallocate()
        }
        start = larger
        capacity = grown
        return larger
    }

    deinit { start?.deallocate() }
}

func parseEmbeddedJSON(_ text: String) -> JSONValue? {
    try? JSONParser.parse(text)
}
