/// A Kubernetes resource quantity ("500m", "1Gi", "2e3", 20), read the way `resource.ParseQuantity` reads it.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// The quantity as written (numbers are rendered as the JSON decoder would see them).
    public let text: String
    /// The value in base units; exact enough to compare with zero and to order quantities.
    public let value: Double

    public var description: String { text }

    /// Decimal units (`n` … `E`) and, followed by `i`, binary ones (`Ki` … `Ei`), by their letter.
    private static let decimalUnits: [(letter: UInt8, multiplier: Double)] = [
        (UInt8(ascii: "n"), 1e-9), (UInt8(ascii: "u"), 1e-6), (UInt8(ascii: "m"), 1e-3), (UInt8(ascii: "k"), 1e3),
        (UInt8(ascii: "M"), 1e6), (UInt8(ascii: "G"), 1e9), (UInt8(ascii: "T"), 1e12), (UInt8(ascii: "P"), 1e15),
        (UInt8(ascii: "E"), 1e18),
    ]
    private static let binaryUnits: [(letter: UInt8, multiplier: Double)] = [
        (UInt8(ascii: "K"), 1024), (UInt8(ascii: "M"), 1_048_576), (UInt8(ascii: "G"), 1_073_741_824),
        (UInt8(ascii: "T"), 1_099_511_627_776), (UInt8(ascii: "P"), 1_125_899_906_842_624),
        (UInt8(ascii: "E"), 1_152_921_504_606_846_976),
    ]

    /// The multiplier of a unit suffix (binary, decimal or none), nil for anything else.
    private static func multiplier(ofSuffix suffix: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        guard let letter = suffix.first else { return 1 }
        switch suffix.count {
        case 1: return decimalUnits.first { $0.letter == letter }?.multiplier
        case 2 where suffix.last == UInt8(ascii: "i"): return binaryUnits.first { $0.letter == letter }?.multiplier
        default: return nil
        }
    }

    /// Parses a quantity string; nil when the API server would reject it ("quantities must match the regular
    /// expression ...").
    public init?(parsing text: String) {
        var contiguous = text  // `withUTF8` may first make a string contiguous, so it takes one it can change
        guard let value = contiguous.withUTF8(Self.value(of:)) else { return nil }
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

    /// Reads a JSON value as a quantity: the API server accepts a string or a number.
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
