import CEL
import Testing

/// `CELProgram.accessedPaths(ofVariable:)`: what a host may leave unconverted. Each case is an expression, the paths
/// of `object` it reads (nil: all of it), and a check that evaluation over only those paths gives the same value.
@Suite struct AccessedPathsTests {
    static let environment = CELEnvironment(variables: ["object": .json, "other": .json])

    @Test("paths read of `object`", arguments: [
        ("object.spec.minReplicas >= 3", [["spec", "minReplicas"]]),
        ("has(object.metadata.labels) && object.metadata.labels.tier == 'web'", [["metadata", "labels"], ["metadata", "labels", "tier"]]),
        ("object.?spec.?maxReplicas.orValue(0) > 1", [["spec", "maxReplicas"]]),
        ("object.spec.metrics.exists(m, m.type == 'Pods')", [["spec", "metrics"]]),
        ("object.spec.metrics[0].type == 'Pods'", [["spec", "metrics"]]),
        ("other.a == 1", []),
        ("[1, 2].all(x, x < object.spec.maxReplicas)", [["spec", "maxReplicas"]]),
        ("cel.bind(s, object.spec, s.minReplicas < s.maxReplicas)", [["spec"]]),
    ] as [(String, [[String]])])
    func paths(source: String, expected: [[String]]) throws {
        let program = try Self.environment.compile(source)
        #expect(program.accessedPaths(ofVariable: "object") == expected)
    }

    @Test("the variable read whole", arguments: [
        "size(object) > 0", "object == other", "[object].all(o, o.spec.minReplicas > 0)", "'spec' in object",
        "object['spec'].minReplicas > 0",
    ])
    func whole(source: String) throws {
        #expect(try Self.environment.compile(source).accessedPaths(ofVariable: "object") == nil)
    }

    @Test func evaluationOverTheReadPathsAloneGivesTheSameValue() throws {
        let full = CELValue(json: .object([
            .init("spec", .object([.init("minReplicas", .int(2)), .init("maxReplicas", .int(9))])),
            .init("metadata", .object([.init("labels", .object([.init("tier", .string("web"))])), .init("name", .string("x"))])),
            .init("status", .object([.init("currentReplicas", .int(4))])),
        ]))
        let pruned = CELValue(json: .object([
            .init("spec", .object([.init("minReplicas", .int(2)), .init("maxReplicas", .int(9))])),
            .init("metadata", .object([.init("labels", .object([.init("tier", .string("web"))]))])),
        ]))
        let source = "object.spec.minReplicas < object.spec.maxReplicas && has(object.metadata.labels) && object.metadata.labels.tier == 'web'"
        let program = try Self.environment.compile(source)
        #expect(program.accessedPaths(ofVariable: "object") == [["spec", "minReplicas"], ["spec", "maxReplicas"], ["metadata", "labels"], ["metadata", "labels", "tier"]])
        let a = try program.evaluate(["object": full])
        let b = try program.evaluate(["object": pruned])
        guard case .bool(true) = a, case .bool(true) = b else {
            Issue.record("expected true from both, got \(a) and \(b)")
            return
        }
    }
}
