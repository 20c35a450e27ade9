/// Declared variables and limits; compiles expressions into ``CELProgram``s.
///
/// ```swift
/// let env = CELEnvironment(variables: ["object": .object(hpa), "oldObject": .dyn])
/// let program = try env.compile("object.spec.minReplicas >= 3", expecting: .bool)
/// let verdict = try program.evaluate(["object": CELValue(json: hpaJSON)])
/// ```
public struct CELEnvironment: Sendable {
    /// Variables in declaration order (their slots follow it).
    public private(set) var variables: [(name: String, type: CELType)]
    /// The default budget of one evaluation (Kubernetes' per-expression limit is 1,000,000 as well).
    public var costLimit: Int64 = 1_000_000
    /// Longer sources are refused before parsing.
    public var maxSourceLength = 100_000

    public init(variables: [String: CELType] = [:]) {
        self.variables = variables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public init(orderedVariables: [(name: String, type: CELType)]) {
        self.variables = orderedVariables
    }

    public mutating func declare(_ name: String, _ type: CELType) {
        variables.removeAll { $0.name == name }
        variables.append((name, type))
    }

    /// Parses and checks `source`.
    ///
    /// - Parameters:
    ///   - source: the CEL expression.
    ///   - expecting: the type the result must have (`.bool` for a validation); `dyn` results pass.
    /// - Returns: a program to evaluate.
    /// - Throws: ``CELCompileErrors`` with line:column for every problem found.
    public func compile(_ source: String, expecting: CELType? = nil) throws(CELCompileErrors) -> CELProgram {
        let lines = LineMap(source)
        guard source.unicodeScalars.count <= maxSourceLength else {
            throw CELCompileErrors(errors: [
                CELCompileError(
                    kind: .syntax, position: CELSourcePosition(line: 1, column: 1),
                    message: "expression is longer than \(maxSourceLength) characters")
            ])
        }
        let expr: Expr
        do {
            expr = try Parser.parse(source)
        } catch {
            throw CELCompileErrors(errors: [
                CELCompileError(kind: .syntax, position: lines.position(error.offset), message: error.message)
            ])
        }
        var bindings: [String: Checker.Binding] = [:]
        for (i, v) in variables.enumerated() { bindings[v.name] = Checker.Binding(type: v.type, slot: i) }
        var checker = Checker(variables: bindings, lines: lines)
        let (type, node) = checker.check(expr)
        var errors = checker.errors
        if errors.isEmpty, let expecting, !Self.satisfies(type, expecting) {
            errors.append(
                CELCompileError(
                    kind: .type, position: lines.position(expr.offset),
                    message: "expression must evaluate to '\(expecting)', found '\(type)'"))
        }
        if !errors.isEmpty {
            throw CELCompileErrors(
                errors: errors.sorted {
                    ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column)
                })
        }
        return CELProgram(
            source: source, resultType: type, root: node, variableNames: variables.map(\.name),
            slotCount: checker.slotCount, costLimit: costLimit)
    }

    private static func satisfies(_ t: CELType, _ expected: CELType) -> Bool {
        if case .dyn = t { return true }
        var s = Substitution()
        return s.assign(expected, t)
    }
}

/// A checked expression; evaluate it as often as needed, from any thread.
public struct CELProgram: Sendable {
    public let source: String
    /// The static type of the result (`dyn` when it depends on data).
    public let resultType: CELType
    let root: Node
    /// The declared variables in slot order, for ``evaluate(values:costLimit:)``.
    public let variableNames: [String]
    let slotCount: Int
    public let costLimit: Int64

    init(source: String, resultType: CELType, root: Node, variableNames: [String], slotCount: Int, costLimit: Int64) {
        self.source = source
        self.resultType = resultType
        self.root = root
        self.variableNames = variableNames
        self.slotCount = slotCount
        self.costLimit = costLimit
    }

    /// Evaluates with variables by name; a declared variable left out is an error only if the expression reads it.
    public func evaluate(_ bindings: [String: CELValue], costLimit: Int64? = nil) throws(CELEvalError) -> CELValue {
        try evaluate(values: variableNames.map { bindings[$0] }, costLimit: costLimit)
    }

    /// Evaluates with variables by position (``variableNames`` order), skipping the dictionary.
    public func evaluate(values: [CELValue?], costLimit: Int64? = nil) throws(CELEvalError) -> CELValue {
        try evaluateWithCost(values: values, costLimit: costLimit).value
    }

    /// Evaluates and reports the cost spent.
    public func evaluateWithCost(values: [CELValue?], costLimit: Int64? = nil) throws(CELEvalError)
        -> (value: CELValue, cost: Int64)
    {
        let result = values.withUnsafeBufferPointer { values in
            Result { () throws(CELEvalError) in try evaluateWithCost(slots: values, costLimit: costLimit) }
        }
        return try result.get()
    }

    /// Evaluates with variables by position from storage the host keeps (a buffer on its stack, shared by several
    /// programs, so that a review allocates nothing for its bindings); nil is an unbound variable.
    public func evaluate(slots values: UnsafeBufferPointer<CELValue?>, costLimit: Int64? = nil) throws(CELEvalError)
        -> CELValue
    {
        try evaluateWithCost(slots: values, costLimit: costLimit).value
    }

    func evaluateWithCost(slots values: UnsafeBufferPointer<CELValue?>, costLimit: Int64?) throws(CELEvalError)
        -> (value: CELValue, cost: Int64)
    {
        let meter = Meter(limit: costLimit ?? self.costLimit)
        guard slotCount > values.count else {
            // No comprehension: the interpreter only reads the bound values (it writes a comprehension's slots,
            // which come after them), so it reads them where they are.
            var interpreter = Interpreter(meter: meter, slots: UnsafeMutableBufferPointer(mutating: values))
            let value = try interpreter.eval(root)
            return (value, interpreter.meter.used)
        }
        // The bound values, then the comprehensions' slots, on the stack.
        let result = withUnsafeTemporaryAllocation(of: CELValue?.self, capacity: slotCount) { slots in
            _ = slots.initialize(fromContentsOf: values)
            slots[values.count...].initialize(repeating: nil)
            defer { slots.deinitialize() }
            var interpreter = Interpreter(meter: meter, slots: slots)
            return Result { () throws(CELEvalError) in (try interpreter.eval(root), interpreter.meter.used) }
        }
        return try result.get()
    }
}
