import Foundation

/// A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`), kept as an exact decimal.
///
/// Follows `k8s.io/apimachinery/pkg/api/resource`'s syntax: a signed decimal number, then a binary suffix
/// (Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m k M G T P E) or an exponent (`e3`, `E-2`).
public struct CELQuantity: Sendable, Hashable {
    public var value: Decimal

    public init(value: Decimal) { self.value = value }

    public init?(parsing text: String) {
        let b = Array(text.utf8)
        var i = 0
        var negative = false
        if i < b.count, b[i] == 43 || b[i] == 45 {
            negative = b[i] == 45
            i += 1
        }
        let numberStart = i
        var digits = 0
        while i < b.count, b[i] >= 48 && b[i] <= 57 {
            i += 1
            digits += 1
        }
        if i < b.count, b[i] == 46 {
            i += 1
            while i < b.count, b[i] >= 48 && b[i] <= 57 {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        let numberText = String(decoding: b[numberStart..<i], as: UTF8.self)
        let suffix = String(decoding: b[i...], as: UTF8.self)
        guard var number = Decimal(string: numberText.hasPrefix(".") ? "0" + numberText : numberText) else {
            return nil
        }
        switch suffix {
        case "": break
        case "n": number *= Decimal(sign: .plus, exponent: -9, significand: 1)
        case "u": number *= Decimal(sign: .plus, exponent: -6, significand: 1)
        case "m": number *= Decimal(sign: .plus, exponent: -3, significand: 1)
        case "k": number *= 1000
        case "M": number *= Decimal(sign: .plus, exponent: 6, significand: 1)
        case "G": number *= Decimal(sign: .plus, exponent: 9, significand: 1)
        case "T": number *= Decimal(sign: .plus, exponent: 12, significand: 1)
        case "P": number *= Decimal(sign: .plus, exponent: 15, significand: 1)
        case "E": number *= Decimal(sign: .plus, exponent: 18, significand: 1)
        case "Ki": number *= 1024
        case "Mi": number *= 1_048_576
        case "Gi": number *= 1_073_741_824
        case "Ti": number *= 1_099_511_627_776
        case "Pi": number *= 1_125_899_906_842_624
        case "Ei": number *= 1_152_921_504_606_846_976
        default:
            let s = Array(suffix.utf8)
            guard s.count >= 2, s[0] == 101 || s[0] == 69 else { return nil }
            var j = 1
            var expNegative = false
            if s[j] == 43 || s[j] == 45 {
                expNegative = s[j] == 45
                j += 1
            }
            guard j < s.count, s.count - j <= 3 else { return nil }
            var exponent = 0
            while j < s.count {
                guard s[j] >= 48 && s[j] <= 57 else { return nil }
                exponent = exponent * 10 + Int(s[j] - 48)
                j += 1
            }
            guard exponent <= 60 else { return nil }
            number *= Decimal(sign: .plus, exponent: expNegative ? -exponent : exponent, significand: 1)
        }
        // Decimal holds 38 digits and exponents to ±127: anything it cannot hold exactly is refused.
        guard !number.isNaN, numberText.count <= 38 else { return nil }
        value = negative ? -number : number
    }

    func compare(_ other: CELQuantity) -> Int {
        value < other.value ? -1 : (value == other.value ? 0 : 1)
    }

    var sign: Int64 { value < 0 ? -1 : (value == 0 ? 0 : 1) }

    /// The value as an int64 when it is a whole number in range.
    var asInt64: Int64? {
        guard value.isFinite else { return nil }
        var v = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &v, 0, .plain)
        guard rounded == value else { return nil }
        guard value >= Decimal(Int64.min), value <= Decimal(Int64.max) else { return nil }
        return Int64(NSDecimalNumber(decimal: value).stringValue)
    }

    var approximateDouble: Double { Double(NSDecimalNumber(decimal: value).stringValue) ?? .nan }
}
