extension JSONParser {
    /// Strings that nearly every document a caller parses holds, made into `String`s once: the parser hands out
    /// these instead of making a new string for the same bytes (a table lookup in place of a validated copy, and for
    /// the longer ones a shared buffer in place of an allocation). The vocabulary is the caller's: the webhook's is
    /// the AdmissionReview's and its objects', the API client's the objects' of its lists.
    ///
    /// Only bytes that are exactly one of these strings (ASCII, no escape) are looked up; anything else is made as
    /// without them, so the parsed value is the same either way.
    public struct KnownStrings: Sendable {
        /// Where an entry's bytes are in `bytes`, and its hash: plain values, compared without touching a string.
        private struct Entry: Sendable {
            let hash: UInt64
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
                let hash = utf8.withUnsafeBufferPointer(Self.hash)
                var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
                while slots[slot] >= 0 {
                    let other = entries[Int(slots[slot])]
                    let otherBytes = Array(bytes[other.offset..<(other.offset + other.count)])
                    precondition(otherBytes != utf8, "\(string) listed twice")
                    slot = (slot + 1) & (Self.slotCount - 1)
                }
                slots[slot] = Int32(entries.count)
                entries.append(Entry(hash: hash, offset: bytes.count, count: utf8.count))
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
            guard let base = candidate.baseAddress, candidate.count <= maxLength else { return nil }
            let hash = Self.hash(candidate)
            let found: Int? = entries.withUnsafeBufferPointer { entries in
                slots.withUnsafeBufferPointer { slots in
                    bytes.withUnsafeBufferPointer { bytes in
                        var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
                        while case let index = Int(slots[slot]), index >= 0 {
                            let entry = entries[index]
                            if entry.hash == hash, entry.count == candidate.count, let known = bytes.baseAddress,
                                Self.equal(known + entry.offset, base, count: entry.count)
                            {
                                return index
                            }
                            slot = (slot + 1) & (Self.slotCount - 1)
                        }
                        return nil
                    }
                }
            }
            return found.map { strings[$0] }
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

        /// The length and the first and last eight bytes (fewer for short strings), mixed: enough to tell these
        /// strings apart, without reading all of a long one.
        private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            guard let base = bytes.baseAddress else { return 0 }
            var head: UInt64 = 0
            var tail: UInt64 = 0
            if bytes.count >= 8 {
                head = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
                tail = UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self)
            } else {
                for byte in bytes { head = head << 8 | UInt64(byte) }
            }
            var hash = (head ^ (tail &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(bytes.count)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            return hash
        }
    }
}
