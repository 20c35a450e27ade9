/// Eight bytes of text read as one word, and the classic tests that look at all eight at once: which bytes equal a
/// value, which are below one, which are not ASCII. The JSON parser, the JSON writer and the YAML reader's character
/// check each scan text for the few bytes they must stop at with these.
///
/// A test flags a byte with its high bit (0x80). The flag of the lowest matching byte is exact; one above it can be
/// false (a borrow runs upward), so a scan stops at the lowest flag of the tests it combines, which is always true.
package struct ByteWord {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes, the first in memory lowest (read little-endian).
    @usableFromInline let bits: UInt64

    /// The eight bytes at `base + offset`; the caller knows they are there.
    @inlinable @inline(__always)
    package init(_ base: UnsafePointer<UInt8>, at offset: Int) {
        bits = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The bytes equal to `byte`.
    @inlinable @inline(__always)
    package func equal(to byte: UInt8) -> UInt64 {
        let difference = bits ^ (Self.ones &* UInt64(byte))
        return (difference &- Self.ones) & ~difference & Self.highs
    }

    /// The bytes below `bound` (at most 0x80).
    @inlinable @inline(__always)
    package func below(_ bound: UInt8) -> UInt64 {
        (bits &- Self.ones &* UInt64(bound)) & ~bits & Self.highs
    }

    /// The bytes at 0x80 or above; exact for every byte.
    @inlinable @inline(__always)
    package var nonASCII: UInt64 { bits & Self.highs }

    /// Of the bytes before the one `flags` flags lowest, those at 0x80 or above (all of them when `flags` is 0).
    @inlinable @inline(__always)
    package func nonASCII(before flags: UInt64) -> UInt64 {
        flags == 0 ? nonASCII : nonASCII & ((1 << (flags.trailingZeroBitCount & ~7)) &- 1)
    }

    /// The place (0 to 7) of the lowest byte `flags` flags; `flags` is not 0.
    @inlinable @inline(__always)
    package static func firstFlagged(_ flags: UInt64) -> Int { flags.trailingZeroBitCount >> 3 }
}
