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
