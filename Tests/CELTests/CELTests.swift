import CEL
import Testing

/// One line of a case table: `EXPR ==> EXPECTED`, where EXPECTED is a CEL expression for the value (compared
/// strictly: 1, 1u and 1.0 differ), `error: TEXT` for an evaluation error whose message contains TEXT, or
/// `compile: TEXT` for a parse/type error whose `line:column: message` contains TEXT. A leading `@cost=N` sets the
/// evaluation budget.
struct Case: CustomTestStringConvertible, Sendable {
    var expression: String
    var expected: String
    var costLimit: Int64?
    var table: String
    var line: Int

    var testDescription: String { "\(table):\(line): \(expression)" }

    static func parse(_ text: String, table: String) -> [Case] {
        var cases: [Case] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingPrefix(while: { $0 == " " })
            if line.isEmpty || line.hasPrefix("#") { continue }
            var limit: Int64? = nil
            if line.hasPrefix("@cost=") {
                let end = line.firstIndex(of: " ")!
                limit = Int64(line[line.index(line.startIndex, offsetBy: 6)..<end])
                line = line[end...].trimmingPrefix(while: { $0 == " " })
            }
            guard let sep = line.range(of: " ==> ") else {
                cases.append(
                    Case(expression: String(line), expected: "MISSING ==>", costLimit: nil, table: table, line: n + 1))
                continue
            }
            cases.append(
                Case(
                    expression: String(line[..<sep.lowerBound]), expected: String(line[sep.upperBound...]),
                    costLimit: limit, table: table, line: n + 1))
        }
        return cases
    }
}

extension Substring {
    fileprivate func trimmingPrefix(while p: (Character) -> Bool) -> Substring {
        var s = self
        while let f = s.first, p(f) { s.removeFirst() }
        return s
    }
}

/// The variables every case may read.
enum Fixture {
    static let metadata = CELObjectType(
        name: "ObjectMeta",
        fields: [
            "name": .string, "namespace": .string, "labels": .map(.string, .string),
            "annotations": .map(.string, .string),
        ])
    static let hpa = CELObjectType(
        name: "HorizontalPodAutoscaler",
        fields: [
            "apiVersion": .string, "kind": .string, "metadata": .object(metadata),
            "spec": .object(
                CELObjectType(
                    name: "HorizontalPodAutoscalerSpec",
                    fields: [
                        "minReplicas": .int, "maxReplicas": .int, "metrics": .list(.json),
                        "scaleTargetRef": .object(
                            CELObjectType(
                                name: "CrossVersionObjectReference",
                                fields: ["kind": .string, "name": .string, "apiVersion": .string])),
                        "behavior": .dyn,
                    ])),
        ])

    static let environment = CELEnvironment(variables: [
        "object": .object(hpa), "oldObject": .dyn, "j": .dyn, "i": .int, "u": .uint, "d": .double, "s": .string,
        "l": .list(.int), "mp": .map(.string, .int), "dd": .dyn, "ls": .list(.string), "unbound": .int,
        "b": .bool, "t": .timestamp, "dur": .duration,
    ])

    static let objectJSON: CELJSON = .object([
        .init("apiVersion", .string("autoscaling/v2")), .init("kind", .string("HorizontalPodAutoscaler")),
        .init(
            "metadata",
            .object([
                .init("name", .string("web")), .init("namespace", .string("prod-eu")),
                .init("labels", .object([.init("app", .string("web")), .init("tier", .string("frontend"))])),
            ])),
        .init(
            "spec",
            .object([
                .init("minReplicas", .int(3)), .init("maxReplicas", .int(10)),
                .init(
                    "scaleTargetRef",
                    .object([
                        .init("kind", .string("Deployment")), .init("name", .string("web")),
                        .init("apiVersion", .string("apps/v1")),
                    ])),
                .init(
                    "metrics",
                    .array([
                        .object([
                            .init("type", .string("Resource")),
                            .init("resource", .object([.init("name", .string("cpu"))])),
                        ])
                    ])),
            ])),
    ])

    static let bindings: [String: CELValue] = [
        "object": CELValue(json: objectJSON),
        "oldObject": .null,
        "j": CELValue(
            json: .object([
                .init("a", .int(1)), .init("b", .array([.int(1), .int(2), .int(3)])), .init("s", .string("hello")),
                .init("n", .null), .init("nested", .object([.init("k", .string("v"))])), .init("f", .double(1.5)),
                .init("t", .bool(true)),
            ])),
        "i": .int(42), "u": .uint(7), "d": .double(2.5), "s": .string("hello"),
        "l": .list([.int(3), .int(1), .int(2)]),
        "mp": .object([("a", .int(1)), ("b", .int(2))]),
        "dd": .int(1), "ls": .list([.string("a"), .string("b"), .string("c")]), "b": .bool(true),
        "t": .timestamp(CELTimestamp(seconds: 1_700_000_000)),
        "dur": .duration(CELDuration(nanoseconds: 90_000_000_000)),
    ]
}

/// Same type and same value, all the way down (CEL's `==` would equate 1 and 1.0).
func strictlyEqual(_ a: CELValue, _ b: CELValue) -> Bool {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x == y
    case (.uint(let x), .uint(let y)): return x == y
    case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy(strictlyEqual)
    case (.map(let x), .map(let y)):
        guard x.count == y.count else { return false }
        for (k, v) in zip(x.keys, x.values) {
            guard let i = y.keys.firstIndex(where: { strictlyEqual($0, k) }), strictlyEqual(y.values[i], v) else {
                return false
            }
        }
        return true
    case (.optional(let x), .optional(let y)):
        switch (x, y) {
        case (nil, nil): return true
        case (let x?, let y?): return strictlyEqual(x, y)
        default: return false
        }
    case (.int, _), (.uint, _), (.double, _), (.list, _), (.map, _), (.optional, _): return false
    default: return a == b
    }
}

func run(_ c: Case) {
    let program: CELProgram
    do {
        program = try Fixture.environment.compile(c.expression)
    } catch {
        let text = error.description
        if c.expected.hasPrefix("compile: ") {
            let want = String(c.expected.dropFirst(9))
            #expect(text.contains(want), "compile error '\(text)' does not contain '\(want)'")
        } else {
            Issue.record("unexpected compile error: \(text)")
        }
        return
    }
    if c.expected.hasPrefix("compile: ") {
        Issue.record("compiled, expected a compile error containing '\(c.expected.dropFirst(9))'")
        return
    }
    let result: Result<CELValue, CELEvalError>
    do {
        result = .success(try program.evaluate(Fixture.bindings, costLimit: c.costLimit))
    } catch {
        result = .failure(error)
    }
    if c.expected.hasPrefix("error: ") {
        let want = String(c.expected.dropFirst(7))
        switch result {
        case .success(let v): Issue.record("evaluated to \(v), expected an error containing '\(want)'")
        case .failure(let e):
            #expect(
                e.message.contains(want) || e.kind.rawValue.contains(want),
                "error '\(e.message)' does not contain '\(want)'")
        }
        return
    }
    let expected: CELValue
    do {
        expected = try CELEnvironment().compile(c.expected).evaluate([:])
    } catch {
        Issue.record("the expected value '\(c.expected)' does not evaluate: \(error)")
        return
    }
    switch result {
    case .success(let v): #expect(strictlyEqual(v, expected), "got \(v), expected \(expected)")
    case .failure(let e): Issue.record("error '\(e.message)', expected \(c.expected)")
    }
}
