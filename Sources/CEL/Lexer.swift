/// One token of CEL source.
struct Token {
    enum Kind: Equatable {
        case int(UInt64)  // magnitude; the parser applies a leading minus
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        case ident(String)
        case punct(String)
        case eof
    }

    var kind: Kind
    var offset: Int
}

/// Splits CEL source into tokens (langdef's lexical grammar).
struct Lexer {
    let scalars: [Unicode.Scalar]
    var i = 0

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    static let puncts2: Set<String> = ["==", "!=", "<=", ">=", "&&", "||", ".?", "[?"]
    static let puncts1: Set<Unicode.Scalar> = [
        "+", "-", "*", "/", "%", "<", ">", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}",
    ]

    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < scalars.count ? scalars[i + k] : nil }

    private func error(_ message: String, at offset: Int) -> LexError { LexError(offset: offset, message: message) }

    mutating func tokenize() throws(LexError) -> [Token] {
        var tokens: [Token] = []
        while true {
            skipSpaceAndComments()
            guard let c = peek() else {
                tokens.append(Token(kind: .eof, offset: i))
                return tokens
            }
            let start = i
            if isDigit(c) || (c == "." && peek(1).map(isDigit) == true) {
                tokens.append(Token(kind: try number(), offset: start))
            } else if c == "\"" || c == "'" {
                tokens.append(Token(kind: .string(try string(raw: false, bytes: false).text), offset: start))
            } else if isIdentStart(c) {
                // String prefixes: r, b, rb, br in either case.
                var prefix = ""
                var k = 0
                while k < 2, let p = peek(k), "rRbB".unicodeScalars.contains(p) {
                    prefix.unicodeScalars.append(p)
                    k += 1
                }
                let lower = prefix.lowercased()
                if !prefix.isEmpty, let q = peek(k), q == "\"" || q == "'",
                    ["r", "b", "rb", "br"].contains(lower)
                {
                    i += k
                    let lit = try string(raw: lower.contains("r"), bytes: lower.contains("b"))
                    tokens.append(
                        Token(kind: lower.contains("b") ? .bytes(lit.bytes) : .string(lit.text), offset: start))
                    continue
                }
                var name = ""
                while let p = peek(), isIdentStart(p) || isDigit(p) {
                    name.unicodeScalars.append(p)
                    i += 1
                }
                tokens.append(Token(kind: .ident(name), offset: start))
            } else {
                if let n = peek(1) {
                    let two = String(c) + String(n)
                    if Self.puncts2.contains(two) {
                        i += 2
                        tokens.append(Token(kind: .punct(two), offset: start))
                        continue
                    }
                }
                guard Self.puncts1.contains(c) else {
                    throw error("unexpected character '\(c.escaped(asASCII: false))'", at: start)
                }
                i += 1
                tokens.append(Token(kind: .punct(String(c)), offset: start))
            }
        }
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" {
                i += 1
            } else if c == "/" && peek(1) == "/" {
                while let d = peek(), d != "\n" { i += 1 }
            } else {
                return
            }
        }
    }

    private mutating func number() throws(LexError) -> Token.Kind {
        let start = i
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            i += 2
            var value: UInt64 = 0
            var digits = 0
            var overflow = false
            while let c = peek(), let d = hexValue(c) {
                let (m, o1) = value.multipliedReportingOverflow(by: 16)
                let (a, o2) = m.addingReportingOverflow(UInt64(d))
                overflow = overflow || o1 || o2
                value = a
                digits += 1
                i += 1
            }
            if digits == 0 { throw error("invalid hex literal", at: start) }
            if overflow { throw error("hex literal out of range", at: start) }
            if let u = peek(), u == "u" || u == "U" {
                i += 1
                return .uint(value)
            }
            return .int(value)
        }
        var text = ""
        var isDouble = false
        while let c = peek(), isDigit(c) {
            text.unicodeScalars.append(c)
            i += 1
        }
        if peek() == ".", let n = peek(1), isDigit(n) {
            isDouble = true
            text += "."
            i += 1
            while let c = peek(), isDigit(c) {
                text.unicodeScalars.append(c)
                i += 1
            }
        }
        if let e = peek(), e == "e" || e == "E" {
            var k = 1
            if let s = peek(1), s == "+" || s == "-" { k = 2 }
            if let d = peek(k), isDigit(d) {
                isDouble = true
                for _ in 0..<k {
                    text.unicodeScalars.append(peek()!)
                    i += 1
                }
                while let c = peek(), isDigit(c) {
                    text.unicodeScalars.append(c)
                    i += 1
                }
            }
        }
        if isDouble {
            guard let d = Double(text.hasPrefix(".") ? "0" + text : text) else {
                throw error("invalid double literal", at: start)
            }
            return .double(d)
        }
        if let u = peek(), u == "u" || u == "U" {
            i += 1
            guard let v = UInt64(text) else { throw error("uint literal out of range", at: start) }
            return .uint(v)
        }
        guard let v = UInt64(text) else { throw error("int literal out of range", at: start) }
        return .int(v)
    }

    struct Literal {
        var text = ""
        var bytes: [UInt8] = []
    }

    /// A quoted literal after its prefix; in bytes literals `\x` and octal escapes are octets.
    private mutating func string(raw: Bool, bytes: Bool) throws(LexError) -> Literal {
        let start = i
        let quote = peek()!
        let triple = peek(1) == quote && peek(2) == quote
        i += triple ? 3 : 1
        var out = Literal()
        func append(_ s: Unicode.Scalar) {
            if bytes {
                out.bytes.append(contentsOf: Array(String(s).utf8))
            } else {
                out.text.unicodeScalars.append(s)
            }
        }
        while true {
            guard let c = peek() else { throw error("unterminated string literal", at: start) }
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                i += triple ? 3 : 1
                return out
            }
            if !triple && (c == "\n" || c == "\r") { throw error("newline in string literal", at: start) }
            if c != "\\" || raw {
                append(c)
                i += 1
                continue
            }
            let escStart = i
            i += 1
            guard let e = peek() else { throw error("unterminated string literal", at: start) }
            i += 1
            switch e {
            case "a": append("\u{07}")
            case "b": append("\u{08}")
            case "f": append("\u{0C}")
            case "n": append("\n")
            case "r": append("\r")
            case "t": append("\t")
            case "v": append("\u{0B}")
            case "\\", "?", "\"", "'", "`": append(e)
            case "x", "X":
                let v = try hexDigits(2, escStart)
                if bytes { out.bytes.append(UInt8(v)) } else { append(Unicode.Scalar(UInt8(v))) }
            case "u", "U":
                if bytes { throw error("unicode escape in bytes literal", at: escStart) }
                let v = try hexDigits(e == "u" ? 4 : 8, escStart)
                guard let s = Unicode.Scalar(v) else { throw error("invalid unicode code point", at: escStart) }
                append(s)
            case "0", "1", "2", "3":
                var v = UInt32(e.value - 48)
                for _ in 0..<2 {
                    guard let d = peek(), ("0"..."7").contains(d) else {
                        throw error("invalid octal escape", at: escStart)
                    }
                    v = v * 8 + (d.value - 48)
                    i += 1
                }
                if bytes { out.bytes.append(UInt8(v)) } else { append(Unicode.Scalar(UInt8(v))) }
            default:
                throw error("invalid escape sequence '\\\(e)'", at: escStart)
            }
        }
    }

    private mutating func hexDigits(_ n: Int, _ at: Int) throws(LexError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<n {
            guard let c = peek(), let d = hexValue(c) else { throw error("invalid hex escape", at: at) }
            v = v * 16 + UInt32(d)
            i += 1
        }
        return v
    }
}

struct LexError: Error {
    var offset: Int
    var message: String
}

func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

func isIdentStart(_ c: Unicode.Scalar) -> Bool {
    (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c == "_"
}

func hexValue(_ c: Unicode.Scalar) -> Int? {
    switch c.value {
    case 48...57: Int(c.value - 48)
    case 65...70: Int(c.value - 55)
    case 97...102: Int(c.value - 87)
    default: nil
    }
}
