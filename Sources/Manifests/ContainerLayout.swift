import Engine

/// How a mapping or sequence was written: what a text-preserving edit needs to insert a member in its style.
struct ContainerLayout: Sendable, Hashable {
    /// `{...}` / `[...]`: not edited in place.
    var isFlow: Bool
    var isSequence: Bool
    /// For a block mapping, the first key; for a block sequence, the first `-`.
    var start: SourcePosition
    /// The last line (1-based) holding any of its content.
    var endLine: Int
    /// For a flow container, where its closing `}` or `]` is.
    var closing: SourcePosition? = nil
}

/// A node's position under the FNV-1a hash of its JSON pointer text.
struct PositionEntry: Sendable {
    let hash: UInt64
    let line: Int32
    let column: Int32

    init(hash: UInt64, position: SourcePosition) {
        self.hash = hash
        line = Int32(clamping: position.line)
        column = Int32(clamping: position.column)
    }

    var position: SourcePosition { SourcePosition(line: Int(line), column: Int(column)) }
}

/// FNV-1a over a JSON pointer's text ("/spec/metrics/0"), built token by token so the loader pays one step a node.
enum PathHash {
    static let root: UInt64 = 0xcbf2_9ce4_8422_2325

    static func appending(_ token: String, to parent: UInt64) -> UInt64 {
        let start = step(parent, UInt8(ascii: "/"))
        // Over the bytes in place (every key of every document is hashed): the UTF-8 view's iterator costs several
        // times the hash step per byte.
        return token.utf8.withContiguousStorageIfAvailable { $0.reduce(start, step) }
            ?? token.utf8.reduce(start, step)
    }

    static func of(_ pointer: JSONPointer) -> UInt64 {
        pointer.tokens.reduce(root) { appending($1, to: $0) }
    }

    @inline(__always) private static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
}
