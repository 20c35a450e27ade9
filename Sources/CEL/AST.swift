/// A parsed expression: what the parser builds and the checker reads. Operators are calls to their
/// langdef names (`_+_`, `_&&_`, `_?_:_`, `_[_]`, `!_`, `-_`, `@in`); macros are already expanded.
public struct Expr: Sendable {
    /// Where the expression starts, as an offset in Unicode scalars into the source.
    public var offset: Int
    public var kind: Kind

    public indirect enum Kind: Sendable {
        case literal(CELValue)
        case ident(String)
        /// `operand.field`; `testOnly` for `has(operand.field)`, `optional` for `operand.?field`.
        case select(Expr, field: String, testOnly: Bool, optional: Bool)
        case call(target: Expr?, function: String, args: [Expr])
        /// A list literal; `optional` holds the positions written `[?e]`.
        case list([Expr], optional: Set<Int>)
        case map([MapEntry])
        case comprehension(Comprehension)
    }

    public struct MapEntry: Sendable {
        public var key: Expr
        public var value: Expr
        public var optional: Bool
    }

    /// A macro over a list or map: `range.all(v, e)`, `range.map(v, p, e)`, `range.transformMap(k, v, e)`, ...
    public struct Comprehension: Sendable {
        public enum Macro: String, Sendable {
            case all, exists, existsOne, map, filter, transformList, transformMap, bind
        }

        public var macro: Macro
        public var range: Expr
        /// The iteration variable, or with `variable2` the index/key variable.
        public var variable: String
        public var variable2: String?
        /// `map(x, p, e)` and the four-argument transforms: the filter.
        public var filter: Expr?
        public var body: Expr
    }

    init(_ offset: Int, _ kind: Kind) {
        self.offset = offset
        self.kind = kind
    }
}
