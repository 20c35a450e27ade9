import CEL
import Testing

/// The library as a host calls it: environments, positions over several lines, the JSON bridge, result types,
/// limits, evaluation from many tasks at once.
@Suite struct APITests {
    static let hpaEnvironment = CELEnvironment(variables: ["object": .object(Fixture.hpa), "oldObject": .dyn])

    @Test func errorsPointAtLineAndColumn() throws {
        let source = "object.spec.minReplicas >= 3 &&\n  object.metadata.namespce.startsWith('prod-')"
        let error = #expect(throws: CELCompileErrors.self) { try Self.hpaEnvironment.compile(source) }
        let first = try #require(error?.errors.first)
        #expect(first.position == CELSourcePosition(line: 2, column: 18))
        #expect(first.kind == .type)
        #expect(first.message == "undefined field 'namespce' on type 'ObjectMeta'")
        #expect(error?.description == "2:18: undefined field 'namespce' on type 'ObjectMeta'")
    }

    @Test func syntaxErrorsOnLaterLines() throws {
        let error = #expect(throws: CELCompileErrors.self) { try CELEnvironment().compile("1 +\n2 +\n\n  )") }
        #expect(error?.errors.map(\.description) == ["4:3: unexpected ')'"])
        #expect(error?.errors.first?.kind == .syntax)
    }

    @Test func everyTypeErrorIsReported() throws {
        let error = #expect(throws: CELCompileErrors.self) {
            try Self.hpaEnvironment.compile("object.spec.a == 1 && object.spec.b == 'x' && 1 == 'x'")
        }
        #expect(error?.errors.map(\.position.column) == [12, 34, 49])
    }

    @Test func regexErrorsAreReportedAtThePattern() throws {
        let error = #expect(throws: CELCompileErrors.self) {
            try Self.hpaEnvironment.compile("object.metadata.name.matches('(a)\\\\1')")
        }
        #expect(error?.errors.first?.kind == .regex)
        #expect(error?.errors.first?.position == CELSourcePosition(line: 1, column: 30))
        #expect(error?.errors.first?.message.contains("backreference") == true)
    }

    @Test func expectedResultType() throws {
        #expect(throws: CELCompileErrors.self) {
            try Self.hpaEnvironment.compile("object.spec.minReplicas", expecting: .bool)
        }
        let p = try Self.hpaEnvironment.compile("object.spec.minReplicas >= 3", expecting: .bool)
        #expect(p.resultType == .bool)
        // dyn passes: the value decides at run time.
        #expect(try Self.hpaEnvironment.compile("oldObject.spec.x", expecting: .bool).resultType == .dyn)
        let message = try Self.hpaEnvironment.compile(
            "'minReplicas is ' + string(object.spec.minReplicas)", expecting: .string)
        #expect(
            try message.evaluate(["object": CELValue(json: Fixture.objectJSON)]) == .string("minReplicas is 3"))
    }

    @Test func deepNestingIsRefusedNotCrashed() throws {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let error = #expect(throws: CELCompileErrors.self) { try CELEnvironment().compile(deep) }
        #expect(error?.errors.first?.message.contains("nested too deeply") == true)
        let sum = Array(repeating: "1", count: 50).joined(separator: " + ")
        #expect(try CELEnvironment().compile(sum).evaluate([:]) == .int(50))
        for deepChain in [
            Array(repeating: "1", count: 2000).joined(separator: " + "), String(repeating: "!", count: 4000) + "true",
            String(repeating: "-", count: 4000) + "1", "[" + String(repeating: "[", count: 3000),
            "a" + String(repeating: ".b", count: 3000), "a" + String(repeating: "[0]", count: 3000),
            String(repeating: "f(", count: 3000), String(repeating: "true ? 1 : ", count: 3000) + "2",
        ] {
            let error = #expect(throws: CELCompileErrors.self) { try CELEnvironment().compile(deepChain) }
            #expect(error?.errors.first?.message.contains("nested too deeply") == true)
        }
        // Logical chains are balanced, so a long one is fine.
        let rules = Array(repeating: "true", count: 3000).joined(separator: " && ")
        #expect(try CELEnvironment().compile(rules).evaluate([:]) == .bool(true))
        let anyOf = Array(repeating: "1 > 2", count: 3000).joined(separator: " || ")
        #expect(try CELEnvironment().compile(anyOf).evaluate([:]) == .bool(false))
    }

    @Test func longSourcesAreRefused() throws {
        var env = CELEnvironment()
        env.maxSourceLength = 10
        #expect(throws: CELCompileErrors.self) { try env.compile("1 + 2 + 3 + 4") }
    }

    @Test func jsonBridge() throws {
        let json: CELJSON = .object([
            .init("n", .int(1)), .init("f", .double(0.5)), .init("s", .string("x")), .init("b", .bool(false)),
            .init("z", .null), .init("a", .array([.int(1), .object([])])), .init("n", .int(2)),
        ])
        let value = CELValue(json: json)
        let env = CELEnvironment(variables: ["v": .json])
        #expect(try env.compile("v.n").evaluate(["v": value]) == .int(2))
        #expect(try env.compile("size(v)").evaluate(["v": value]) == .int(6))
        #expect(try env.compile("v.f + 1.0").evaluate(["v": value]) == .double(1.5))
        #expect(try env.compile("v.a[1] == {}").evaluate(["v": value]) == .bool(true))
        #expect(
            try env.compile("[v.s, v.b, v.z]").evaluate(["v": value]) == .list([.string("x"), .bool(false), .null]))
        // Members keep document order when iterated.
        #expect(
            try env.compile("v.map(k, k)").evaluate(["v": value])
                == .list(["n", "f", "s", "b", "z", "a"].map(CELValue.string)))
    }

    @Test func largeMapsUseTheirIndex() throws {
        let members = (0..<200).map { CELJSON.Member("k\($0)", .int(Int64($0))) }
        let env = CELEnvironment(variables: ["v": .json])
        let p = try env.compile("v.k150 + v['k7'] + (has(v.k199) ? 1 : 0) + ('k200' in v ? 1 : 0)")
        #expect(try p.evaluate(["v": CELValue(json: .object(members))]) == .int(158))
    }

    @Test func positionalBindingsAndCost() throws {
        let env = CELEnvironment(orderedVariables: [("a", .int), ("b", .int)])
        let p = try env.compile("a * b + [1, 2, 3].map(x, x).size()")
        #expect(p.variableNames == ["a", "b"])
        let (value, cost) = try p.evaluateWithCost(values: [.int(6), .int(7)])
        #expect(value == .int(45))
        #expect(cost > 0 && cost < 30)
        #expect(throws: CELEvalError.self) { try p.evaluate(values: [.int(6), .int(7)], costLimit: 2) }
        do {
            _ = try p.evaluate(values: [.int(6), .int(7)], costLimit: 2)
        } catch let error as CELEvalError {
            #expect(error.kind == .costExceeded)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func evaluationErrorKinds() throws {
        let env = CELEnvironment(variables: ["v": .json])
        func kind(_ source: String) -> CELEvalError.Kind? {
            do {
                _ = try env.compile(source).evaluate(["v": .object([("a", .int(0))])])
                return nil
            } catch let error as CELEvalError {
                return error.kind
            } catch {
                return nil
            }
        }
        #expect(kind("v.b") == .noSuchKey)
        #expect(kind("1 / v.a") == .divisionByZero)
        #expect(kind("1 % v.a") == .moduloByZero)
        #expect(kind("9223372036854775807 + 1 + v.a") == .overflow)
        #expect(kind("[1][v.a + 1]") == .indexOutOfRange)
        #expect(kind("v.a + 'x'") == .noMatchingOverload)
        #expect(kind("v.a == 0") == nil)
    }

    @Test func concurrentEvaluationSharesOneProgram() async throws {
        let p = try Self.hpaEnvironment.compile(
            "object.spec.minReplicas >= 3 && object.metadata.name.matches('^w[a-z]+$')", expecting: .bool)
        let object = CELValue(json: Fixture.objectJSON)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask { (try? p.evaluate(["object": object])) == .bool(true) }
            }
            var all: [Bool] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
