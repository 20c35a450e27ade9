import Engine
import Testing

/// Resource quantities as `resource.ParseQuantity` reads them: a signed decimal, then a binary or decimal unit or an
/// exponent.
@Suite("Quantities")
struct QuantityTests {
    @Test("values in base units", arguments: [
        ("500m", 0.5), ("2", 2), ("1Gi", 1_073_741_824), ("1Ki", 1024), ("4Ei", 4 * 1_152_921_504_606_846_976),
        ("1.5k", 1500), ("2e3", 2000), ("2E-1", 0.2), ("1E", 1e18), ("+5", 5), ("-0.25", -0.25), ("1.", 1), (".5", 0.5),
        ("007", 7), ("250n", 250 * 1e-9), ("3u", 3 * 1e-6), ("123456789012345", 123_456_789_012_345),
        ("12345678901234567890", 12_345_678_901_234_567_890),
    ] as [(String, Double)])
    func values(text: String, value: Double) {
        #expect(Quantity(parsing: text)?.value == value, "\(text)")
        #expect(Quantity(parsing: text)?.text == text)
    }

    @Test("what the API server refuses", arguments: ["", "m", "1e", "1ki", "1mi", "1 m", "1..5", "abc", "1Kib", "--1", "e5"])
    func refused(text: String) {
        #expect(Quantity(parsing: text) == nil, "\(text)")
    }

    @Test func fromJSON() {
        #expect(Quantity(.string(" 500m ")) == Quantity(parsing: "500m"))
        #expect(Quantity(.int(3))?.value == 3)
        #expect(Quantity(.double(0.5))?.text == "0.5")
        #expect(Quantity(.bool(true)) == nil)
        #expect(Quantity(.string("-0"))?.value.sign == .minus)
    }
}
