/// The Common Expression Language: lexer, parser, checker and evaluator (see docs/cel.md).
///
/// Compile once with an ``CELEnvironment`` (parse and type-check, errors with line:column), then evaluate the
/// ``CELProgram`` as often as needed with bindings of ``CELValue``s and a cost budget.
public enum CEL {}
