extension JSONParser {
    /// Strings that nearly every document a caller parses holds, made into `String`s once: the parser hands out
    /// these instead of making a new string for the same bytes (a table lookup in place of a validated copy, and for
    /// the longer ones a shared buffer in place of an allocation). The vocabulary is the caller's: the webhook's is
    /// the AdmissionReview's and its objects', the API client's the objects' of its lists.
    ///
    /// Only bytes that are exactly one of these strings (ASCII, no escape) are looked up; anything else is made as
    /// without them, so the parsed value is the same either way.
    public struct KnownStrings: Sendable {
        /// An entry's first and last bytes (see `words`), and where all of its bytes are in `bytes`: plain values,
        /// compared without touching a string.
        private struct Entry: Sendable {
            let head: UInt64
            let tail: UInt64
            let offset: Int
            let count: Int
        }

        private let strings: [String]
        private let entries: [Entry]
        /// Every entry's UTF-8, back to back.
        private let bytes: [UInt8]
        /// Open addressing: an index into `entries`, or -1.
        private let slots: [Int32]
        private let maxLength: Int
        private static let slotCount = 1024

        /// At most 512 strings, each listed once.
        public init(_ strings: [String]) {
            precondition(strings.count <= Self.slotCount / 2, "at most \(Self.slotCount / 2) known strings")
            var bytes: [UInt8] = []
            var entries: [Entry] = []
            var slots = [Int32](repeating: -1, count: Self.slotCount)
            for string in strings {
                let utf8 = Array(string.utf8)
                let (head, tail) = utf8.withUnsafeBufferPointer { Self.words($0.baseAddress, $0.count) }
                var slot = Self.slot(head, tail, utf8.count)
                while slots[slot] >= 0 {
                    let other = entries[Int(slots[slot])]
                    precondition(Array(bytes[other.offset..<(other.offset + other.count)]) != utf8, "\(string) listed twice")
                    slot = (slot + 1) & (Self.slotCount - 1)
                }
                slots[slot] = Int32(entries.count)
                entries.append(Entry(head: head, tail: tail, offset: bytes.count, count: utf8.count))
                bytes += utf8
            }
            self.strings = strings
            self.entries = entries
            self.bytes = bytes
            self.slots = slots
            maxLength = entries.map(\.count).max() ?? 0
        }

        /// The known string spelled by `candidate`, if any.
        func string(for candidate: UnsafeBufferPointer<UInt8>) -> String? {
            let count = candidate.count
            guard count <= maxLength else { return nil }
            let (head, tail) = Self.words(candidate.baseAddress, count)
            var slot = Self.slot(head, tail, count)
            while case let index = Int(slots[slot]), index >= 0 {
                let entry = entries[index]
                // Up to sixteen bytes, the words are the whole string; past that the rest is compared too.
                if entry.head == head, entry.tail == tail, entry.count == count,
                    count <= 16 || bytes.withUnsafeBufferPointer({ known in
                        Self.equal(known.baseAddress! + entry.offset, candidate.baseAddress!, count: count)
                    })
                {
                    return strings[index]
                }
                slot = (slot + 1) & (Self.slotCount - 1)
            }
            return nil
        }

        private static func equal(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, count: Int) -> Bool {
            var offset = 0
            while offset + 8 <= count {
                let left = UnsafeRawPointer(lhs + offset).loadUnaligned(as: UInt64.self)
                guard left == UnsafeRawPointer(rhs + offset).loadUnaligned(as: UInt64.self) else { return false }
                offset += 8
            }
            while offset < count {
                guard lhs[offset] == rhs[offset] else { return false }
                offset += 1
            }
            return true
        }

        /// The first and the last eight bytes of `count` at `base` (overlapping when fewer than sixteen; four and
        /// four below eight, three picked below four), read without a loop. With the count they are every byte of a
        /// string of up to sixteen.
        @inline(__always)
        private static func words(_ base: UnsafePointer<UInt8>?, _ count: Int) -> (head: UInt64, tail: UInt64) {
            guard let base, count > 0 else { return (0, 0) }
            let raw = UnsafeRawPointer(base)
            switch count {
            case 8...:
                return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            case 4...7:
                return (
                    UInt64(raw.loadUnaligned(as: UInt32.self)),
                    UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
                )
            default:
                return (UInt64(base[0]) | UInt64(base[count / 2]) << 8 | UInt64(base[count - 1]) << 16, 0)
            }
        }

        /// The slot to start looking in: the words and the count, mixed.
        @inline(__always)
        private static func slot(_ head: UInt64, _ tail: UInt64, _ count: Int) -> Int {
            var hash = (head ^ (tail &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(count)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            return Int(truncatingIfNeeded: hash) & (slotCount - 1)
        }
    }
}
