import CEL
import Testing

/// Whatever the source, compiling and evaluating ends with a value or an error: no crash, no hang.
@Suite struct RobustnessTests {
    /// Token soup from a fixed seed: every prefix of the grammar's pieces, recombined.
    static let pieces = [
        "1", "0", "-1", "1u", "2.5", "'a'", "\"b\"", "b'c'", "r'\\d'", "'''x'''", "true", "false", "null", "[", "]",
        "{", "}", "(", ")", ",", ":", "?", ".", ".?", "[?", "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">",
        ">=", "&&", "||", "!", "in", "j", "j.a", "j.b", "l", "s", "i", "object", "object.spec", "size", "has",
        "all", "exists", "map", "filter", "x", "x.y", "matches", "'(a'", "'a*'", "int", "string", "dyn", "type",
        "duration('1s')", "timestamp(0)", "quantity('1')", ".map(x, x)", ".all(x, x > 0)", ".exists(x, true)",
        "optional.of(1)", ".orValue(0)", "'%s'.format([1])", "cel.bind(v, 1, v)", "9223372036854775807",
        "'\\u00e9'", "\n", " ", "//c\n", "\u{1F600}", "\u{0}", "\\", "'", "`",
    ]

    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func randomSourcesNeverCrash() throws {
        var g = Generator(state: 0x5EED)
        var compiled = 0
        for _ in 0..<3000 {
            var source = ""
            for _ in 0..<(1 + g.next(14)) {
                source += Self.pieces[g.next(Self.pieces.count)] + (g.next(3) == 0 ? " " : "")
            }
            guard let program = try? Fixture.environment.compile(source) else { continue }
            compiled += 1
            _ = try? program.evaluate(Fixture.bindings, costLimit: 10_000)
        }
        #expect(compiled > 50)
    }

    @Test func hostileButValidExpressionsStopOnBudget() throws {
        let env = CELEnvironment(variables: ["s": .string])
        for source in [
            ["a", "b", "c", "d", "e", "f", "g"].map { "[1, 2, 3, 4, 5, 6, 7, 8].map(\($0), " }.joined() + "s"
                + String(repeating: ")", count: 7),
            "cel.bind(x, s + s + s + s + s + s + s + s, cel.bind(y, x + x + x + x + x + x + x + x, "
                + "[y, y, y, y, y, y, y, y].map(z, z + z + z + z).map(w, w + w + w)))",
            "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(a, s.replace('', s)).map(b, b.replace('', b)).size()",
        ] {
            let program = try env.compile(source)
            let error = #expect(throws: CELEvalError.self) {
                try program.evaluate(["s": .string(String(repeating: "x", count: 100))], costLimit: 100_000)
            }
            #expect(error?.kind == .costExceeded)
        }
    }

    @Test func oddQuantitiesAndFormats() throws {
        let env = CELEnvironment()
        #expect(try env.compile("isQuantity('1e999')").evaluate([:]) == .bool(false))
        #expect(
            try env.compile("isQuantity('123456789012345678901234567890123456789012345')").evaluate([:]) == .bool(false)
        )
        #expect(throws: CELEvalError.self) { try env.compile("'%.999999999f'.format([1.0])").evaluate([:]) }
        // Found by FuzzCEL: a precision of more digits than an Int holds trapped on overflow.
        #expect(throws: CELEvalError.self) {
            try env.compile("'%.3333333333333333333333333(\u{4}%'.format([1])").evaluate([:])
        }
        #expect(throws: CELEvalError.self) {
            try env.compile("'%.33333333333333333333333333f'.format([1.0])").evaluate([:])
        }
        #expect(throws: CELEvalError.self) { try env.compile("quantity('1e60').asInteger()").evaluate([:]) }
        #expect(try env.compile("quantity('1e60').isGreaterThan(quantity('1e59'))").evaluate([:]) == .bool(true))
    }
}

/// Values that share their parts: cheap to build, expensive to walk; equality, `in` and `%s` pay for the walk.
@Suite struct SharedStructureTests {
    static let nested =
        "cel.bind(a, [s, s, s, s, s, s, s, s, s, s], cel.bind(b, [a, a, a, a, a, a, a, a, a, a], "
        + "cel.bind(c, [b, b, b, b, b, b, b, b, b, b], cel.bind(d, [c, c, c, c, c, c, c, c, c, c], "
        + "cel.bind(e, [d, d, d, d, d, d, d, d, d, d], cel.bind(f, [e, e, e, e, e, e, e, e, e, e], "

    @Test(arguments: [
        "f == f))))))", "f in [f]))))))", "'%s'.format([f]).size()))))))", "[f].indexOf(f)))))))",
        "sets.contains([f], [f])))))))",
    ])
    func walkingIsCharged(_ tail: String) throws {
        let env = CELEnvironment(variables: ["s": .string])
        let program = try env.compile(Self.nested + tail)
        let error = #expect(throws: CELEvalError.self) { try program.evaluate(["s": .string("x")]) }
        #expect(error?.kind == .costExceeded)
    }
}
