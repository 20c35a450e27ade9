/// Parses CEL source into an ``Expr`` (langdef's grammar and precedence), expanding the macros.
struct Parser {
    private var tokens: [Token]
    private var p = 0
    private var depth = 0
    static let maxDepth = 120

    static let reserved: Set<String> = [
        "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
        "package", "namespace", "return", "var", "void", "while",
    ]

    init(tokens: [Token]) { self.tokens = tokens }

    struct ParseError: Error {
        var offset: Int
        var message: String
    }

    static func parse(_ source: String) throws(ParseError) -> Expr {
        var lexer = Lexer(source)
        let tokens: [Token]
        do {
            tokens = try lexer.tokenize()
        } catch {
            throw ParseError(offset: error.offset, message: error.message)
        }
        var parser = Parser(tokens: tokens)
        let e = try parser.expression()
        guard case .eof = parser.tokens[parser.p].kind else {
            throw ParseError(offset: parser.tokens[parser.p].offset, message: "unexpected \(parser.describe())")
        }
        return e
    }

    // MARK: - Tokens

    private var current: Token { tokens[p] }

    private func isPunct(_ s: String) -> Bool {
        if case .punct(let q) = tokens[p].kind { return q == s }
        return false
    }

    private mutating func accept(_ s: String) -> Bool {
        if isPunct(s) {
            p += 1
            return true
        }
        return false
    }

    private mutating func expect(_ s: String) throws(ParseError) {
        guard accept(s) else {
            throw ParseError(offset: current.offset, message: "expected '\(s)', found \(describe())")
        }
    }

    private func describe() -> String {
        switch current.kind {
        case .eof: "end of input"
        case .punct(let s): "'\(s)'"
        case .ident(let s): "'\(s)'"
        case .int, .uint, .double: "number"
        case .string: "string"
        case .bytes: "bytes"
        }
    }

    private mutating func enter() throws(ParseError) {
        depth += 1
        if depth > Self.maxDepth {
            throw ParseError(offset: current.offset, message: "expression nested too deeply (limit \(Self.maxDepth))")
        }
    }

    // MARK: - Grammar

    mutating func expression() throws(ParseError) -> Expr {
        try enter()
        defer { depth -= 1 }
        let cond = try conditionalOr()
        guard isPunct("?") else { return cond }
        let at = current.offset
        p += 1
        let then = try conditionalOr()
        try expect(":")
        let otherwise = try expression()
        return Expr(at, .call(target: nil, function: "_?_:_", args: [cond, then, otherwise]))
    }

    private mutating func conditionalOr() throws(ParseError) -> Expr {
        var operands = [try conditionalAnd()]
        var offsets: [Int] = []
        while isPunct("||") {
            offsets.append(current.offset)
            p += 1
            operands.append(try conditionalAnd())
        }
        return Self.balanced("_||_", operands[...], offsets[...])
    }

    private mutating func conditionalAnd() throws(ParseError) -> Expr {
        var operands = [try relation()]
        var offsets: [Int] = []
        while isPunct("&&") {
            offsets.append(current.offset)
            p += 1
            operands.append(try relation())
        }
        return Self.balanced("_&&_", operands[...], offsets[...])
    }

    /// A chain of `&&` or `||` as a balanced tree (as cel-go builds it): same meaning, since both are associative
    /// and commutative over errors, and a depth of log2(n), so long rule chains do not nest deeply.
    private static func balanced(_ op: String, _ operands: ArraySlice<Expr>, _ offsets: ArraySlice<Int>) -> Expr {
        if operands.count == 1 { return operands.first! }
        let mid = operands.startIndex + operands.count / 2
        let left = balanced(op, operands[..<mid], offsets[offsets.startIndex..<(mid - 1)])
        let right = balanced(op, operands[mid...], offsets[mid...])
        return Expr(offsets[mid - 1], .call(target: nil, function: op, args: [left, right]))
    }

    private mutating func relation() throws(ParseError) -> Expr {
        var left = try addition()
        let saved = depth
        defer { depth = saved }
        while true {
            let at = current.offset
            let name: String
            switch current.kind {
            case .punct("<"): name = "_<_"
            case .punct("<="): name = "_<=_"
            case .punct(">"): name = "_>_"
            case .punct(">="): name = "_>=_"
            case .punct("=="): name = "_==_"
            case .punct("!="): name = "_!=_"
            case .ident("in"): name = "@in"
            default: return left
            }
            p += 1
            try enter()
            let right = try addition()
            left = Expr(at, .call(target: nil, function: name, args: [left, right]))
        }
    }

    private mutating func addition() throws(ParseError) -> Expr {
        var left = try multiplication()
        let saved = depth
        defer { depth = saved }
        while true {
            let at = current.offset
            let name: String
            if isPunct("+") { name = "_+_" } else if isPunct("-") { name = "_-_" } else { return left }
            p += 1
            try enter()
            let right = try multiplication()
            left = Expr(at, .call(target: nil, function: name, args: [left, right]))
        }
    }

    private mutating func multiplication() throws(ParseError) -> Expr {
        var left = try unary()
        let saved = depth
        defer { depth = saved }
        while true {
            let at = current.offset
            let name: String
            if isPunct("*") {
                name = "_*_"
            } else if isPunct("/") {
                name = "_/_"
            } else if isPunct("%") {
                name = "_%_"
            } else {
                return left
            }
            p += 1
            try enter()
            let right = try unary()
            left = Expr(at, .call(target: nil, function: name, args: [left, right]))
        }
    }

    private mutating func unary() throws(ParseError) -> Expr {
        try enter()
        defer { depth -= 1 }
        if isPunct("!") {
            var ops: [Int] = []
            let saved = depth
            defer { depth = saved }
            while isPunct("!") {
                ops.append(current.offset)
                p += 1
                try enter()
            }
            var e = try member()
            for at in ops.reversed() { e = Expr(at, .call(target: nil, function: "!_", args: [e])) }
            return e
        }
        if isPunct("-") {
            var ops: [Int] = []
            let saved = depth
            defer { depth = saved }
            while isPunct("-") {
                ops.append(current.offset)
                p += 1
                try enter()
            }
            var e: Expr
            // The last minus sign belongs to a number literal right after it (so -9223372036854775808 parses).
            let literalAt = ops.last!
            switch current.kind {
            case .int(let magnitude):
                p += 1
                guard magnitude <= UInt64(Int64.max) + 1 else {
                    throw ParseError(offset: literalAt, message: "int literal out of range")
                }
                e = Expr(literalAt, .literal(.int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))))
                ops.removeLast()
                e = try memberSuffix(e)
            case .double(let d):
                p += 1
                e = Expr(literalAt, .literal(.double(-d)))
                ops.removeLast()
                e = try memberSuffix(e)
            default:
                e = try member()
            }
            for at in ops.reversed() { e = Expr(at, .call(target: nil, function: "-_", args: [e])) }
            return e
        }
        return try member()
    }

    private mutating func member() throws(ParseError) -> Expr {
        try memberSuffix(try primary())
    }

    private mutating func memberSuffix(_ start: Expr) throws(ParseError) -> Expr {
        var e = start
        let saved = depth
        defer { depth = saved }
        while true {
            let at = current.offset
            if isPunct(".") || isPunct(".?") || isPunct("[") || isPunct("[?") { try enter() }
            if isPunct(".") || isPunct(".?") {
                let optional = isPunct(".?")
                p += 1
                guard case .ident(let name) = current.kind else {
                    throw ParseError(offset: current.offset, message: "expected a field name, found \(describe())")
                }
                p += 1
                if !optional && isPunct("(") {
                    p += 1
                    let args = try expressionList(closing: ")")
                    e = try call(target: e, name: name, args: args, at: at)
                } else {
                    e = Expr(at, .select(e, field: name, testOnly: false, optional: optional))
                }
            } else if isPunct("[") || isPunct("[?") {
                let optional = isPunct("[?")
                p += 1
                let index = try expression()
                try expect("]")
                e = Expr(at, .call(target: nil, function: optional ? "_[?_]" : "_[_]", args: [e, index]))
            } else {
                return e
            }
        }
    }

    private mutating func primary() throws(ParseError) -> Expr {
        let tok = current
        switch tok.kind {
        case .int(let magnitude):
            p += 1
            guard magnitude <= UInt64(Int64.max) else {
                throw ParseError(offset: tok.offset, message: "int literal out of range")
            }
            return Expr(tok.offset, .literal(.int(Int64(magnitude))))
        case .uint(let v):
            p += 1
            return Expr(tok.offset, .literal(.uint(v)))
        case .double(let d):
            p += 1
            return Expr(tok.offset, .literal(.double(d)))
        case .string(let s):
            p += 1
            return Expr(tok.offset, .literal(.string(s)))
        case .bytes(let b):
            p += 1
            return Expr(tok.offset, .literal(.bytes(b)))
        case .ident(let name):
            p += 1
            switch name {
            case "true": return Expr(tok.offset, .literal(.bool(true)))
            case "false": return Expr(tok.offset, .literal(.bool(false)))
            case "null": return Expr(tok.offset, .literal(.null))
            default: break
            }
            if Self.reserved.contains(name) {
                throw ParseError(offset: tok.offset, message: "reserved identifier '\(name)'")
            }
            if isPunct("(") {
                p += 1
                let args = try expressionList(closing: ")")
                return try call(target: nil, name: name, args: args, at: tok.offset)
            }
            if isPunct("{") {
                throw ParseError(offset: current.offset, message: "message construction is not supported")
            }
            return Expr(tok.offset, .ident(name))
        case .punct("."):
            // A leading dot names the root scope: `.a.b` resolves `a` as a variable.
            p += 1
            guard case .ident(let name) = current.kind, !Self.reserved.contains(name) else {
                throw ParseError(offset: current.offset, message: "expected an identifier, found \(describe())")
            }
            p += 1
            if isPunct("(") {
                p += 1
                let args = try expressionList(closing: ")")
                return try call(target: nil, name: name, args: args, at: tok.offset)
            }
            return Expr(tok.offset, .ident(name))
        case .punct("("):
            p += 1
            let e = try expression()
            try expect(")")
            return e
        case .punct("["), .punct("[?"):
            // The lexer reads `[?` as one token (optional index); at the start of a list it is `[` then `?`.
            let firstOptional = isPunct("[?")
            p += 1
            var items: [Expr] = []
            var optional: Set<Int> = firstOptional ? [0] : []
            if firstOptional {
                items.append(try expression())
                if !accept(",") {
                    try expect("]")
                    return Expr(tok.offset, .list(items, optional: optional))
                }
            }
            while !isPunct("]") {
                if accept("?") { optional.insert(items.count) }
                items.append(try expression())
                if !accept(",") { break }
            }
            try expect("]")
            return Expr(tok.offset, .list(items, optional: optional))
        case .punct("{"):
            p += 1
            var entries: [Expr.MapEntry] = []
            while !isPunct("}") {
                let optional = accept("?")
                let key = try expression()
                try expect(":")
                let value = try expression()
                entries.append(Expr.MapEntry(key: key, value: value, optional: optional))
                if !accept(",") { break }
            }
            try expect("}")
            return Expr(tok.offset, .map(entries))
        default:
            throw ParseError(offset: tok.offset, message: "unexpected \(describe())")
        }
    }

    private mutating func expressionList(closing: String) throws(ParseError) -> [Expr] {
        var items: [Expr] = []
        while !isPunct(closing) {
            items.append(try expression())
            if !accept(",") { break }
        }
        try expect(closing)
        return items
    }

    // MARK: - Macros

    private func variableName(_ e: Expr, _ macro: String) throws(ParseError) -> String {
        guard case .ident(let name) = e.kind else {
            throw ParseError(offset: e.offset, message: "\(macro)() variable must be a simple name")
        }
        return name
    }

    private func call(target: Expr?, name: String, args: [Expr], at: Int) throws(ParseError) -> Expr {
        guard let target else {
            if name == "has" {
                guard args.count == 1, case .select(let operand, let field, false, false) = args[0].kind else {
                    throw ParseError(offset: args.first?.offset ?? at, message: "invalid argument to has() macro")
                }
                return Expr(at, .select(operand, field: field, testOnly: true, optional: false))
            }
            return Expr(at, .call(target: nil, function: name, args: args))
        }
        typealias Macro = Expr.Comprehension.Macro
        func comprehension(
            _ macro: Macro, _ v1: String, _ v2: String?, filter: Expr? = nil, _ body: Expr, range: Expr? = nil
        ) -> Expr {
            Expr(
                at,
                .comprehension(
                    Expr.Comprehension(
                        macro: macro, range: range ?? target, variable: v1, variable2: v2, filter: filter, body: body)))
        }
        switch (name, args.count) {
        case ("all", 2), ("exists", 2), ("exists_one", 2), ("existsOne", 2), ("filter", 2), ("map", 2):
            let macro: Macro =
                switch name {
                case "all": .all
                case "exists": .exists
                case "filter": .filter
                case "map": .map
                default: .existsOne
                }
            return comprehension(macro, try variableName(args[0], name), nil, args[1])
        case ("map", 3):
            return comprehension(.map, try variableName(args[0], name), nil, filter: args[1], args[2])
        case ("all", 3), ("exists", 3), ("exists_one", 3), ("existsOne", 3), ("transformList", 3),
            ("transformMap", 3):
            let macro: Macro =
                switch name {
                case "all": .all
                case "exists": .exists
                case "transformList": .transformList
                case "transformMap": .transformMap
                default: .existsOne
                }
            let (k, v) = (try variableName(args[0], name), try variableName(args[1], name))
            if k == v { throw ParseError(offset: args[1].offset, message: "\(name)() variables must differ") }
            return comprehension(macro, v, k, args[2])
        case ("transformList", 4), ("transformMap", 4):
            let (k, v) = (try variableName(args[0], name), try variableName(args[1], name))
            if k == v { throw ParseError(offset: args[1].offset, message: "\(name)() variables must differ") }
            return comprehension(
                name == "transformList" ? .transformList : .transformMap, v, k, filter: args[2], args[3])
        case ("bind", 3):
            if case .ident("cel") = target.kind {
                return comprehension(.bind, try variableName(args[0], "cel.bind"), nil, args[2], range: args[1])
            }
        default: break
        }
        return Expr(at, .call(target: target, function: name, args: args))
    }
}

/// Turns scalar offsets into 1-based line:column.
struct LineMap {
    private var lineStarts: [Int] = [0]

    init(_ source: String) {
        var offset = 0
        for s in source.unicodeScalars {
            offset += 1
            if s == "\n" { lineStarts.append(offset) }
        }
    }

    func position(_ offset: Int) -> CELSourcePosition {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return CELSourcePosition(line: lo + 1, column: offset - lineStarts[lo] + 1)
    }
}
