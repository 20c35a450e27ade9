/// A checked expression ready to run: variables resolved to slots, functions to their implementations, constant
/// regexes compiled.
indirect enum Node: Sendable {
    case constant(CELValue)
    case variable(slot: Int, name: String)
    case select(Node, String)
    /// `v.f.g`: field selections straight from a variable, walked in one step (the checker folds such chains, the
    /// commonest shape of a Kubernetes expression).
    case selectPath(slot: Int, name: String, fields: [String])
    case has(Node, String)
    case optionalSelect(Node, String)
    case and(Node, Node)
    case or(Node, Node)
    case not(Node)
    case negate(Node)
    case conditional(Node, Node, Node)
    case binary(BinaryOp, Node, Node)
    case index(Node, Node)
    case optionalIndex(Node, Node)
    case call(String, FunctionImpl, [Node])
    case regex(RegexOp, Node, CompiledRegex, Node?)
    case list([Node], optional: [Bool]?)
    case map([MapEntryNode])
    case comprehension(ComprehensionNode)
}

enum BinaryOp: Sendable {
    case add, subtract, multiply, divide, modulo, equal, notEqual, less, lessOrEqual, greater, greaterOrEqual, contains
}

enum RegexOp: Sendable {
    case matches, find, findAll
}

struct MapEntryNode: Sendable {
    var key: Node
    var value: Node
    var optional: Bool
}

final class ComprehensionNode: Sendable {
    let macro: Expr.Comprehension.Macro
    let range: Node
    /// The element (lists), key (maps) or, with `slot2`, the value.
    let slot: Int
    /// The index (lists) or key (maps) of the two-variable forms.
    let slot2: Int?
    let filter: Node?
    let body: Node

    init(macro: Expr.Comprehension.Macro, range: Node, slot: Int, slot2: Int?, filter: Node?, body: Node) {
        self.macro = macro
        self.range = range
        self.slot = slot
        self.slot2 = slot2
        self.filter = filter
        self.body = body
    }
}
