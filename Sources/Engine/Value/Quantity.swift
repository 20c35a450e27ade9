/// A Kubernetes resource quantity ("500m", "1Gi", "2e3", 20), read the way `resource.ParseQuantity` reads it.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// The quantity as written (numbers are rendered as the JSON decoder would see them).
    public let text: String
    /// The value in base units; exact enough to compare with zero and to order quantities.
    public let value: Double

    public var description: String { text }

    private static let binarySuffixes: [String: Double] = [
        "Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776,
        "Pi": 1_125_899_906_842_624, "Ei": 1_152_921_504_606_846_976,
    ]
    private static let decimalSuffixes: [String: Double] = [
        "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    ]

    /// Parses a quantity string; nil when the API server would reject it ("quantities must match the regular
    /// expression ...").
    public init?(parsing text: String) {
        let scalars = Array(text.utf8)
        var index = 0
        if index < scalars.count, scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-") {
            index += 1
        }
        let numberStart = index
        var sawDigit = false
        var sawDot = false
        while index < scalars.count {
            let byte = scalars[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        let numberText = String(decoding: scalars[0..<index], as: UTF8.self)
        guard index >= numberStart, var number = Double(numberText) else { return nil }
        let suffix = String(decoding: scalars[index...], as: UTF8.self)
        if let multiplier = Quantity.binarySuffixes[suffix] ?? Quantity.decimalSuffixes[suffix] {
            number *= multiplier
        } else if let first = suffix.first, first == "e" || first == "E" {
            let exponentText = suffix.dropFirst()
            guard !exponentText.isEmpty,
                exponentText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "-") }),
                let exponent = Int(exponentText)
            else { return nil }
            number *= pow10(exponent)
        } else {
            return nil
        }
        self.text = text
        self.value = number
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
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
