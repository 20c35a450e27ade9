/// One RFC 6902 operation. hpaguard only ever adds: it fills what the user left unset.
public struct JSONPatchOperation: Sendable, Hashable {
    public enum Op: String, Sendable { case add, replace }

    public let op: Op
    public let path: JSONPointer
    public let value: JSONValue

    public init(op: Op = .add, path: JSONPointer, value: JSONValue) {
        self.op = op
        self.path = path
        self.value = value
    }

    public var json: JSONValue {
        .object(JSONObject([("op", .string(op.rawValue)), ("path", .string(path.description)), ("value", value)]))
    }
}

public enum JSONPatch {
    /// The patch as the JSON array AdmissionResponse.patch carries (before base64).
    public static func serialize(_ operations: [JSONPatchOperation]) -> String {
        JSONValue.array(operations.map(\.json)).serialized()
    }

    public struct ApplyError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Applies `operations` in order (RFC 6902 §4.1 `add`: the parent must exist; adding an existing member replaces it).
    public static func apply(_ operations: [JSONPatchOperation], to document: JSONValue) throws(ApplyError) -> JSONValue {
        var result = document
        for operation in operations {
            guard let parent = operation.path.parent, let key = operation.path.last else {
                result = operation.value
                continue
            }
            switch result[parent] {
            case .object?:
                if operation.op == .replace, result[operation.path] == nil {
                    throw ApplyError(description: "replace: \(operation.path) does not exist")
                }
                result.set(operation.value, at: operation.path)
            case .array(var items)?:
                let index = key == "-" ? items.count : Int(key) ?? -1
                guard index >= 0, index <= items.count else { throw ApplyError(description: "add: bad index \(operation.path)") }
                if operation.op == .replace { items[index] = operation.value } else { items.insert(operation.value, at: index) }
                result.set(.array(items), at: parent)
            default:
                throw ApplyError(description: "add: the parent of \(operation.path) does not exist")
            }
        }
        return result
    }
}
