/// The Common Expression Language: lexer, parser, checker and evaluator (see docs/cel.md).
public enum CEL {}
