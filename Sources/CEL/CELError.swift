/// A position in an expression's source: 1-based line and column (columns count Unicode scalars).
public struct CELSourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// An error found before evaluation: the expression does not parse or does not type-check.
public struct CELCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case syntax
        case type
        case regex
    }

    public var kind: Kind
    public var position: CELSourcePosition
    public var message: String

    public init(kind: Kind, position: CELSourcePosition, message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): \(message)" }
}

/// The errors of one compilation, in source order (the first is the one to show when only one fits).
public struct CELCompileErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [CELCompileError]

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// An error at evaluation time. CEL treats errors as values: `&&`, `||` and the `all`/`exists` macros can absorb
/// them; anything else passes them up.
public struct CELEvalError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case noSuchKey = "no such key"
        case noSuchField = "no such field"
        case noMatchingOverload = "no matching overload"
        case divisionByZero = "division by zero"
        case moduloByZero = "modulus by zero"
        case overflow = "overflow"
        case indexOutOfRange = "index out of range"
        case invalidArgument = "invalid argument"
        case unboundVariable = "unbound variable"
        case costExceeded = "cost limit exceeded"
        case regex = "regex"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
