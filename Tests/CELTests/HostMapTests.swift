import CEL
import Testing

/// A map bound in the host's own form (`CELHostMap`): selections read it in place, every other use sees its
/// materialized value, and both give the results and errors of a plain map.
@Suite struct HostMapTests {
    /// A host map over a plain CEL map, counting what it is asked.
    final class CountingHost: CELHostMap, @unchecked Sendable {
        let value: CELValue
        var selections = 0
        var materializations = 0
        init(_ value: CELValue) { self.value = value }

        func select(_ path: ArraySlice<String>) -> CELHostSelection {
            selections += 1
            var current = value
            for index in path.indices {
                guard case .map(let map) = current else { return .notAMap(index: index, typeName: current.typeName) }
                guard let next = map[string: path[index]] else { return .missing(index: index) }
                current = next
            }
            return .value(current)
        }

        var materialized: CELValue {
            materializations += 1
            return value
        }
    }

    static let object = CELValue.object([
        ("metadata", .object([("name", .string("web")), ("labels", .object([("tier", .string("gpu"))]))])),
        ("spec", .object([("minReplicas", .int(2)), ("maxReplicas", .int(8))])),
    ])

    /// Evaluates `source` with `v` bound once as a host map and once as the plain map: both must agree.
    func both(_ source: String) throws -> (host: Result<CELValue, CELEvalError>, plain: Result<CELValue, CELEvalError>, CountingHost) {
        let program = try CELEnvironment(variables: ["v": .dyn]).compile(source)
        let host = CountingHost(Self.object)
        let viaHost = Result { () throws(CELEvalError) in try program.evaluate(["v": .host(host)]) }
        let plain = Result { () throws(CELEvalError) in try program.evaluate(["v": Self.object]) }
        return (viaHost, plain, host)
    }

    @Test(arguments: [
        ("v.spec.minReplicas", "2"),
        ("v.spec.maxReplicas - v.spec.minReplicas", "6"),
        ("v.metadata.labels.tier", "'gpu'"),
        ("has(v.metadata.labels)", "true"),
        ("has(v.metadata.annotations)", "false"),
        ("has(v.spec)", "true"),
        ("has(v.status)", "false"),
    ])
    func selectionsReadInPlace(source: String, expected: String) throws {
        let (host, plain, counter) = try both(source)
        let expectedValue = try CELEnvironment().compile(expected).evaluate([:])
        #expect(try host.get() == expectedValue)
        #expect(try plain.get() == expectedValue)
        #expect(counter.materializations == 0)
    }

    @Test(arguments: [
        ("v.status.replicas", "no such key: status"),
        ("v.metadata.annotations.x", "no such key: annotations"),
        ("has(v.status.replicas)", "no such key: status"),
        ("v.spec.minReplicas.x", "type 'int' does not support field selection ('x')"),
        ("has(v.metadata.name.x)", "type 'string' does not support field selection ('x')"),
    ])
    func errorsAreThoseOfAPlainMap(source: String, message: String) throws {
        let (host, plain, _) = try both(source)
        #expect(throws: CELEvalError.self) { try host.get() }
        if case .failure(let hostError) = host, case .failure(let plainError) = plain {
            #expect(hostError.message == message)
            #expect(plainError.message == message)
            #expect(hostError.kind == plainError.kind)
        } else {
            Issue.record("\(source) did not fail both ways")
        }
    }

    @Test(arguments: [
        "size(v)", "v == v", "'spec' in v", "v.all(k, k != 'status')", "v.?spec.minReplicas.orValue(0)",
        "type(v) == map", "[v][0].spec.minReplicas == 2",
    ])
    func otherUsesSeeTheWholeMap(source: String) throws {
        let (host, plain, counter) = try both(source)
        #expect(try host.get() == plain.get())
        #expect(counter.materializations >= 1)
    }
}
