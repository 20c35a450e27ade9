import CPCRE2
import Synchronization

/// A regular expression compiled by PCRE2 (UTF mode, JIT when the platform has it) after a check that it is
/// within RE2's syntax, the contract of CEL's `matches` and of Kubernetes' `find`/`findAll`.
///
/// `@unchecked Sendable`: PCRE2 documents a compiled pattern (and its JIT code) as read-only during matching and
/// shareable between threads; each match allocates its own match data. The code is freed once, in `deinit`.
final class CompiledRegex: @unchecked Sendable {
    let pattern: String
    private let code: OpaquePointer
    private let context: OpaquePointer?

    /// Ceilings that stop a backtracking pattern long before it could stall a caller (RE2 would be linear).
    static let matchLimit: UInt32 = 1_000_000
    static let depthLimit: UInt32 = 10_000

    private init(pattern: String, code: OpaquePointer) {
        self.pattern = pattern
        self.code = code
        context = pcre2_match_context_create_8(nil)
        if let context {
            pcre2_set_match_limit_8(context, Self.matchLimit)
            pcre2_set_depth_limit_8(context, Self.depthLimit)
        }
    }

    deinit {
        if let context { pcre2_match_context_free_8(context) }
        pcre2_code_free_8(code)
    }

    /// Compiles `pattern`, refusing what RE2 does not accept.
    static func compile(_ pattern: String) throws(RegexError) -> CompiledRegex {
        try RE2Syntax.validate(pattern)
        var errorCode: Int32 = 0
        var errorOffset = 0
        let options = PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C
        let code = pattern.utf8CString.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: buf.count) { p in
                pcre2_compile_8(p, buf.count - 1, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let code else {
            var message = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &message, message.count)
            let text = n > 0 ? String(decoding: message[0..<Int(n)], as: UTF8.self) : "error \(errorCode)"
            throw RegexError(message: "invalid regex '\(pattern)': \(text) at offset \(errorOffset)")
        }
        _ = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE)
        return CompiledRegex(pattern: pattern, code: code)
    }

    /// The byte ranges of up to `limit` non-overlapping matches (all when `limit` is negative); an empty match
    /// right after the previous match is skipped, as in RE2 and Go.
    func matches(in subject: String, limit: Int) throws(CELEvalError) -> [Range<Int>] {
        if limit == 0 { return [] }
        var subject = subject
        let result: Result<[Range<Int>], CELEvalError> = subject.withUTF8 { buf in
            guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else {
                return .failure(CELEvalError(.regex, "regex: out of memory"))
            }
            defer { pcre2_match_data_free_8(matchData) }
            var found: [Range<Int>] = []
            var start = 0
            var lastEnd = -1
            let base = buf.baseAddress ?? UnsafePointer(bitPattern: 1)!
            while start <= buf.count && (limit < 0 || found.count < limit) {
                let rc = pcre2_match_8(code, base, buf.count, start, PCRE2_NO_UTF_CHECK, matchData, context)
                if rc == PCRE2_ERROR_NOMATCH { break }
                if rc < 0 {
                    let why =
                        rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT
                            || rc == PCRE2_ERROR_JIT_STACKLIMIT
                        ? "match limit exceeded" : "match error \(rc)"
                    return .failure(CELEvalError(.regex, "regex '\(pattern)': \(why)"))
                }
                let ovector = pcre2_get_ovector_pointer_8(matchData)!
                let s = ovector[0]
                let e = ovector[1]
                if s == e && s == lastEnd {
                    start = s + Self.scalarLength(buf, at: s)
                    continue
                }
                found.append(s..<e)
                lastEnd = e
                start = e == s ? s + Self.scalarLength(buf, at: s) : e
            }
            return .success(found)
        }
        return try result.get()
    }

    private static func scalarLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        guard i < buf.count else { return 1 }
        let b = buf[i]
        if b < 0x80 { return 1 }
        if b >= 0xF0 { return 4 }
        if b >= 0xE0 { return 3 }
        return 2
    }

    func firstMatch(in subject: String) throws(CELEvalError) -> Bool {
        try !matches(in: subject, limit: 1).isEmpty
    }

    // MARK: - Cache

    private static let cache = Mutex<[String: CompiledRegex]>([:])
    private static let cacheLimit = 512

    /// The compiled form of `pattern`, compiled once per process (up to 512 patterns are kept).
    static func cached(_ pattern: String) throws(RegexError) -> CompiledRegex {
        if let hit = cache.withLock({ $0[pattern] }) { return hit }
        let compiled = try compile(pattern)
        cache.withLock { table in
            if table.count >= cacheLimit { table.removeAll(keepingCapacity: true) }
            table[pattern] = compiled
        }
        return compiled
    }
}

struct RegexError: Error {
    var message: String
}

/// RE2's syntax as a contract: constructs PCRE2 accepts but RE2 refuses are errors here, so an expression behaves
/// the same under Kubernetes (RE2) and hpaguard (PCRE2).
enum RE2Syntax {
    static func validate(_ pattern: String) throws(RegexError) {
        let s = Array(pattern.unicodeScalars)
        var i = 0
        func fail(_ what: String) -> RegexError {
            RegexError(message: "invalid regex '\(pattern)': \(what) is not supported (RE2 syntax)")
        }
        // Whether the previous token was a quantifier, so a following '+' would make it possessive.
        var afterQuantifier = false
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                guard i + 1 < s.count else { throw RegexError(message: "invalid regex '\(pattern)': trailing \\") }
                let e = s[i + 1]
                switch e {
                case "1"..."9", "k", "g": throw fail("backreference \\\(e)")
                case "C": throw fail("\\C")
                case "K", "G", "Z", "R", "X", "h", "H", "N", "c", "e", "o": throw fail("\\\(e)")
                case "Q":
                    // \Q...\E quotes literally.
                    i += 2
                    while i < s.count && !(s[i] == "\\" && i + 1 < s.count && s[i + 1] == "E") { i += 1 }
                    i += 2
                    afterQuantifier = false
                    continue
                default: break
                }
                i += 2
                afterQuantifier = false
            case "[":
                i += 1
                if i < s.count && s[i] == "^" { i += 1 }
                if i < s.count && s[i] == "]" { i += 1 }
                while i < s.count && s[i] != "]" {
                    if s[i] == "\\" {
                        if i + 1 < s.count, ("1"..."9").contains(s[i + 1]) { throw fail("backreference") }
                        i += 2
                    } else if s[i] == "[" && i + 1 < s.count && s[i + 1] == ":" {
                        i += 2
                        while i < s.count && s[i] != "]" { i += 1 }
                        i += 1
                    } else {
                        i += 1
                    }
                }
                i += 1
                afterQuantifier = false
            case "(":
                if i + 1 < s.count && s[i + 1] == "*" { throw fail("(*VERB)") }
                if i + 1 < s.count && s[i + 1] == "?" {
                    let rest = String(String.UnicodeScalarView(s[(i + 2)...].prefix(3)))
                    if rest.hasPrefix("=") || rest.hasPrefix("!") || rest.hasPrefix("<=") || rest.hasPrefix("<!") {
                        throw fail("lookaround")
                    }
                    if rest.hasPrefix(">") { throw fail("atomic group") }
                    if rest.hasPrefix("|") { throw fail("branch reset") }
                    if rest.hasPrefix("#") { throw fail("comment group") }
                    if rest.hasPrefix("(") { throw fail("conditional") }
                    if rest.hasPrefix("R") || rest.hasPrefix("&") || rest.hasPrefix("P>") || rest.hasPrefix("+")
                        || rest.first.map({ $0.isNumber }) == true
                    {
                        throw fail("recursion")
                    }
                    if rest.hasPrefix("P=") { throw fail("backreference") }
                    i += 2
                } else {
                    i += 1
                }
                afterQuantifier = false
            case "*", "+", "?":
                if c == "+" && afterQuantifier { throw fail("possessive quantifier") }
                if c == "?" && afterQuantifier {
                    // Lazy: 'a*?' is fine, 'a*?+' is not.
                    i += 1
                    afterQuantifier = false
                    if i < s.count && s[i] == "+" { throw fail("possessive quantifier") }
                    continue
                }
                afterQuantifier = true
                i += 1
            case "{":
                var j = i + 1
                var digits = 0
                while j < s.count && (isDigit(s[j]) || s[j] == ",") {
                    digits += 1
                    j += 1
                }
                if digits > 0 && j < s.count && s[j] == "}" {
                    i = j + 1
                    afterQuantifier = true
                } else {
                    i += 1
                    afterQuantifier = false
                }
            default:
                i += 1
                afterQuantifier = false
            }
        }
    }
}
