import Foundation

/// `'%s is %d'.format([a, b])`: the strings extension's format clauses %s %d %f %e %x %X %o %b and %%, with an
/// optional precision (`%.2f`).
enum Formatter {
    static func format(_ f: String, _ args: [CELValue]) throws(CELEvalError) -> String {
        let s = Array(f.unicodeScalars)
        var out = ""
        var argIndex = 0
        var i = 0
        func next() throws(CELEvalError) -> CELValue {
            guard argIndex < args.count else {
                throw CELEvalError(.indexOutOfRange, "format: index \(argIndex) out of range")
            }
            defer { argIndex += 1 }
            return args[argIndex]
        }
        while i < s.count {
            let c = s[i]
            guard c == "%" else {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < s.count else { throw CELEvalError(.invalidArgument, "format: unterminated clause") }
            var precision: Int? = nil
            if s[i] == "." {
                i += 1
                var p = 0
                var digits = 0
                while i < s.count, isDigit(s[i]) {
                    // Digits past the third are counted, not added: the guard below refuses them, and a run of them
                    // would overflow the sum.
                    if digits < 3 { p = p * 10 + Int(s[i].value - 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0, digits <= 3, p <= 100, i < s.count else {
                    throw CELEvalError(.invalidArgument, "format: bad precision (0 to 100)")
                }
                precision = p
            }
            let verb = s[i]
            i += 1
            switch verb {
            case "%": out += "%"
            case "s": out += try text(next())
            case "d":
                let v = try next()
                switch v {
                case .int(let x): out += String(x)
                case .uint(let x): out += String(x)
                default:
                    throw CELEvalError(
                        .invalidArgument, "format: decimal clause can only be used on integers, was \(v.typeName)")
                }
            case "f", "e":
                let v = try next()
                let d: Double
                switch v {
                case .double(let x): d = x
                case .int(let x): d = Double(x)
                case .uint(let x): d = Double(x)
                default:
                    let clause = verb == "f" ? "fixed-point" : "scientific"
                    throw CELEvalError(
                        .invalidArgument, "format: \(clause) clause can only be used on numbers, was \(v.typeName)")
                }
                if d.isNaN {
                    out += "NaN"
                } else if d.isInfinite {
                    out += d < 0 ? "-Infinity" : "Infinity"
                } else {
                    out += String(format: "%.\(precision ?? 6)\(verb)", d)
                }
            case "x", "X", "o", "b":
                let v = try next()
                let radix = verb == "o" ? 8 : (verb == "b" ? 2 : 16)
                var piece: String
                switch v {
                case .int(let x): piece = (x < 0 ? "-" : "") + String(x.magnitude, radix: radix)
                case .uint(let x): piece = String(x, radix: radix)
                case .bool(let b) where verb == "b": piece = b ? "1" : "0"
                case .string(let str) where radix == 16: piece = str.utf8.map { hex2($0) }.joined()
                case .bytes(let b) where radix == 16: piece = b.map { hex2($0) }.joined()
                default:
                    throw CELEvalError(.invalidArgument, "format: %\(verb) clause cannot be used on \(v.typeName)")
                }
                if verb == "X" { piece = piece.uppercased() }
                out += piece
            default:
                throw CELEvalError(.invalidArgument, "format: unrecognized formatting clause '%\(verb)'")
            }
        }
        return out
    }

    private static func hex2(_ b: UInt8) -> String {
        let h = String(b, radix: 16)
        return h.count == 1 ? "0" + h : h
    }

    private static func text(_ v: CELValue) throws(CELEvalError) -> String {
        switch v {
        case .type(let t): return t
        case .optional: throw CELEvalError(.invalidArgument, "format: %s cannot be used on optional values")
        default: return Library.display(v)
        }
    }
}
