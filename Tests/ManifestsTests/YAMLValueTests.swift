import Engine
import Testing

@testable import Manifests

/// What a YAML document loads as: the same value the API server decodes from it, key order kept.
@Suite("YAML documents as values")
struct YAMLValueTests {
    static func load(_ yaml: String) throws -> JSONValue {
        let loaded = ManifestLoader.load(Array(yaml.utf8), file: "test.yaml")
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return try #require(loaded.objects.first).value
    }

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    @Test("nested mappings and sequences load as the equal JSON does, in the order written")
    func nesting() throws {
        let value = try Self.load(
            """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: server
                    ports: [{containerPort: 8000}, {containerPort: 8001, name: metrics}]
                    args: []
                    env: {}
                  - name: sidecar
                    resources: {limits: {cpu: "1"}, requests: {cpu: 500m}}
              replicas: 2
            """)
        let expected = try Self.json(
            """
            {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {"containers": [
              {"name": "server", "ports": [{"containerPort": 8000}, {"containerPort": 8001, "name": "metrics"}],
               "args": [], "env": {}},
              {"name": "sidecar", "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "500m"}}}]}},
             "replicas": 2}}
            """)
        #expect(value == expected)
        #expect(value["spec"]?.objectValue?.keys == ["template", "replicas"])
        #expect(value["spec"]?["template"]?["spec"]?["containers"]?[0]?.objectValue?.keys == ["name", "ports", "args", "env"])
    }

    @Test("a key written twice keeps its first place and its last value, as Go's decoder does")
    func duplicateKeys() throws {
        let value = try Self.load("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n  b: 2\n  a: 3\n  c: [p]\n  c: [q, r]\n")
        #expect(value["data"]?.objectValue?.keys == ["a", "b", "c"])
        #expect(value["data"] == (try Self.json(#"{"a": 3, "b": 2, "c": ["q", "r"]}"#)))

        // Past the width where keys are found through an index instead of a scan: the same rule.
        let keys = (0..<40).map { "k\($0)" }
        let wide = try Self.load(
            "apiVersion: v1\nkind: ConfigMap\ndata:\n" + keys.map { "  \($0): first\n" }.joined() + "  k3: last\n  k39: last\n")
        #expect(wide["data"]?.objectValue?.keys == keys)
        #expect(wide["data"]?["k3"] == "last")
        #expect(wide["data"]?["k39"] == "last")
        #expect(wide["data"]?["k38"] == "first")
    }

    @Test("merge keys add what the mapping does not write itself, from one mapping or a list of them")
    func mergeKeys() throws {
        let value = try Self.load(
            """
            apiVersion: v1
            kind: ConfigMap
            base: &base {a: 1, b: 2}
            more: &more {c: 3, a: 9}
            one:
              <<: *base
              b: 20
            many:
              a: 0
              <<: [*more, *base]
            """)
        #expect(value["one"] == (try Self.json(#"{"b": 20, "a": 1}"#)))
        #expect(value["one"]?.objectValue?.keys == ["b", "a"])
        #expect(value["many"] == (try Self.json(#"{"a": 0, "c": 3, "b": 2}"#)))
    }

    @Test("a document that fails part way leaves nothing of itself in the next one")
    func afterAProblem() throws {
        let loaded = ManifestLoader.load(
            Array("apiVersion: v1\nkind: A\nlist:\n  - {x: 1\n---\napiVersion: v1\nkind: B\nitems: [1, {y: 2}]\n".utf8), file: "test.yaml")
        #expect(loaded.problems.count == 1)
        #expect(loaded.objects.map(\.value) == [try Self.json(#"{"apiVersion": "v1", "kind": "B", "items": [1, {"y": 2}]}"#)])
    }
}
