/// Byte-wise fast paths for the string work every rule does on every object (splitting `apiVersion` and pointers,
/// searching names), exact only where bytes and Characters agree: ASCII text. Everything else keeps the
/// Character-wise code it always ran.
extension String {
    /// `body` over the UTF-8 bytes when every byte is ASCII; nil otherwise (or for a non-contiguous string).
    ///
    /// In ASCII a `/`, `|`, `.`, `%` or `~` byte is a Character of its own (only CR LF forms a cluster), so splitting
    /// or searching for one byte-wise gives what String's Character-wise `split` and `contains` give.
    func withASCIIBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        let found: Result?? = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? body(bytes) : nil
        }
        return found ?? nil
    }

    /// `lowercased()`, without making a new string when this one is ASCII with no uppercase letter (then it is its
    /// own lowercase).
    func lowercasedIfNeeded() -> String {
        let isLowerASCII = withASCIIBytes { bytes in
            !bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        }
        return isLowerASCII == true ? self : lowercased()
    }
}

extension UInt8 {
    /// The byte with an ASCII uppercase letter made lowercase; any other byte as it is.
    package var asciiLowercased: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self + 32 : self
    }
}
