extension CELProgram {
    /// The field paths of variable `name` that evaluation may read, or nil when it may read the whole value.
    ///
    /// `object.spec.minReplicas >= 3 && has(object.metadata.labels)` reads `["spec", "minReplicas"]` and
    /// `["metadata", "labels"]`: a host that converts its values to CEL can convert only those subtrees (everything
    /// below a path's end, nothing beside the path). Any other use of the variable (passed to a function, compared
    /// whole, iterated, indexed dynamically at its root) reads all of it. An empty result means it is not read.
    public func accessedPaths(ofVariable name: String) -> [[String]]? {
        guard let slot = variableNames.firstIndex(of: name) else { return [] }
        var paths: [[String]] = []
        var whole = false
        visit(root, slot: slot, paths: &paths, whole: &whole)
        return whole ? nil : paths
    }

    private func visit(_ node: Node, slot: Int, paths: inout [[String]], whole: inout Bool) {
        if whole { return }
        if let path = Self.selectChain(node, slot: slot) {
            if path.isEmpty { whole = true } else { paths.append(path) }
            return
        }
        switch node {
        case .constant: break
        case .variable, .selectPath: break  // another variable (a chain from `slot` was handled above)
        case .select(let inner, _), .has(let inner, _), .optionalSelect(let inner, _), .not(let inner), .negate(let inner):
            visit(inner, slot: slot, paths: &paths, whole: &whole)
        case .and(let a, let b), .or(let a, let b), .binary(_, let a, let b), .index(let a, let b), .optionalIndex(let a, let b):
            visit(a, slot: slot, paths: &paths, whole: &whole)
            visit(b, slot: slot, paths: &paths, whole: &whole)
        case .conditional(let a, let b, let c):
            for n in [a, b, c] { visit(n, slot: slot, paths: &paths, whole: &whole) }
        case .call(_, _, let args):
            for n in args { visit(n, slot: slot, paths: &paths, whole: &whole) }
        case .regex(_, let a, _, let b):
            visit(a, slot: slot, paths: &paths, whole: &whole)
            if let b { visit(b, slot: slot, paths: &paths, whole: &whole) }
        case .list(let items, _):
            for n in items { visit(n, slot: slot, paths: &paths, whole: &whole) }
        case .map(let entries):
            for entry in entries {
                visit(entry.key, slot: slot, paths: &paths, whole: &whole)
                visit(entry.value, slot: slot, paths: &paths, whole: &whole)
            }
        case .comprehension(let c):
            visit(c.range, slot: slot, paths: &paths, whole: &whole)
            if let filter = c.filter { visit(filter, slot: slot, paths: &paths, whole: &whole) }
            visit(c.body, slot: slot, paths: &paths, whole: &whole)
        }
    }

    /// The fields selected from variable `slot` when `node` is a chain of selections (`.f`, `.?f`, `has(.f)`)
    /// ending at it; [] for the variable itself; nil for anything else.
    private static func selectChain(_ node: Node, slot: Int) -> [String]? {
        switch node {
        case .variable(let s, _): return s == slot ? [] : nil
        case .selectPath(let s, _, let fields): return s == slot ? fields : nil
        case .select(let inner, let field), .has(let inner, let field), .optionalSelect(let inner, let field):
            return selectChain(inner, slot: slot).map { $0 + [field] }
        default: return nil
        }
    }
}
