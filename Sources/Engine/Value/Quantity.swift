/// A Kubernetes resource quantity ("500m", "1Gi", "2e3", 20), read the way `resource.ParseQuantity` reads it.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// The quantity as written (numbers are rendered as the JSON decoder would see them).
    public let text: String
    /// The value in base units; exact enough to compare with zero and to order quantities.
    public let value: Double

    public var description: String { text }

    /// The multiplier of a unit suffix (binary `Ki`…`Ei`, decimal `n`…`E`, none), nil for anything else.
    private static func multiplier(ofSuffix suffix: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        switch suffix.count {
        case 0: return 1
        case 1:
            switch suffix[suffix.startIndex] {
            case UInt8(ascii: "n"): return 1e-9
            case UInt8(ascii: "u"): return 1e-6
            case UInt8(ascii: "m"): return 1e-3
            case UInt8(ascii: "k"): return 1e3
            case UInt8(ascii: "M"): return 1e6
            case UInt8(ascii: "G"): return 1e9
            case UInt8(ascii: "T"): return 1e12
            case UInt8(ascii: "P"): return 1e15
            case UInt8(ascii: "E"): return 1e18
            default: return nil
            }
        case 2:
            guard suffix[suffix.startIndex + 1] == UInt8(ascii: "i") else { return nil }
            switch suffix[suffix.startIndex] {
            case UInt8(ascii: "K"): return 1024
            case UInt8(ascii: "M"): return 1_048_576
            case UInt8(ascii: "G"): return 1_073_741_824
            case UInt8(ascii: "T"): return 1_099_511_627_776
            case UInt8(ascii: "P"): return 1_125_899_906_842_624
            case UInt8(ascii: "E"): return 1_152_921_504_606_846_976
            default: return nil
            }
        default: return nil
        }
    }

    /// Parses a quantity string; nil when the API server would reject it ("quantities must match the regular
    /// expression ...").
    public init?(parsing text: String) {
        var utf8 = text
        guard let value = utf8.withUTF8(Self.value(of:)) else { return nil }
        self.text = text
        self.value = value
    }

    /// The value of a quantity's bytes, read in place: every reviewed HPA has a few, and most are a plain number
    /// with a one-letter unit.
    private static func value(of bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            index += 1
        }
        let numberStart = index
        var sawDigit = false
        var sawDot = false
        var integer: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                if index - numberStart < 18 { integer = integer * 10 + Int64(byte - UInt8(ascii: "0")) }
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        var number: Double
        if !sawDot, index - numberStart <= 15 {
            // Up to 15 digits a Double holds exactly: the same value as `Double(text)`.
            number = Double(integer)
            if numberStart > 0, bytes[0] == UInt8(ascii: "-") { number = -number }
        } else {
            guard let parsed = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<index]), as: UTF8.self))
            else { return nil }
            number = parsed
        }
        let suffix = bytes[index...]
        if let multiplier = multiplier(ofSuffix: suffix) {
            return number * multiplier
        }
        guard let first = suffix.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "E") else { return nil }
        let exponentText = String(decoding: UnsafeBufferPointer(rebasing: suffix.dropFirst()), as: UTF8.self)
        guard !exponentText.isEmpty,
            exponentText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "-") }),
            let exponent = Int(exponentText)
        else { return nil }
        return number * pow10(exponent)
    }

    public init?(_ json: JSONValue) {
        switch json {
        case .string(let text): self.init(parsing: text.trimmingSpaces())
        case .int(let value): self.init(exact: String(value), value: Double(value))
        case .double(let value): self.init(exact: String(value), value: value)
        default: return nil
        }
    }

    private init(exact text: String, value: Double) {
        self.text = text
        self.value = value
    }
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    let step = exponent < 0 ? 0.1 : 10.0
    for _ in 0..<min(abs(exponent), 400) { result *= step }
    return result
}

extension String {
    func trimmingSpaces() -> String {
        // Nearly every value has no space at either end: told from its first and last bytes, without a copy.
        guard utf8.first == UInt8(ascii: " ") || utf8.last == UInt8(ascii: " ") else { return self }
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
