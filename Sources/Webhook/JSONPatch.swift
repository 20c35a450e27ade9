import Engine

/// One RFC 6902 operation. hpaguard only fills in and corrects fields, so `add`, `replace` and `remove` suffice.
public struct PatchOperation: Sendable, Hashable {
    public enum Kind: String, Sendable { case add, replace, remove }

    public var op: Kind
    public var path: JSONPointer
    public var value: JSONValue?

    public init(_ op: Kind, _ path: JSONPointer, _ value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }

    var json: JSONValue {
        var object = JSONObject([("op", .string(op.rawValue)), ("path", .string(path.description))])
        if op != .remove { object["value"] = value ?? .null }
        return .object(object)
    }
}

/// Applying and encoding JSON Patches, and the idempotence check every mutation goes through.
public enum JSONPatch {
    public struct ApplyError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The patch as the AdmissionResponse carries it, before base64: a JSON array of operations.
    public static func encode(_ operations: [PatchOperation]) -> [UInt8] {
        Array(JSONValue.array(operations.map(\.json)).serialized().utf8)
    }

    /// Applies `operations` in order, as the API server does (RFC 6902 §4: add to an array index inserts, `-` appends;
    /// add on an object member replaces; replace and remove need the target to exist).
    public static func apply(_ operations: [PatchOperation], to document: JSONValue) throws(ApplyError) -> JSONValue {
        var result = document
        for operation in operations {
            result = try apply(operation, to: result, tokens: operation.path.tokens[...])
        }
        return result
    }

    private static func apply(
        _ operation: PatchOperation, to node: JSONValue, tokens: ArraySlice<String>
    ) throws(ApplyError) -> JSONValue {
        guard let token = tokens.first else {
            switch operation.op {
            case .add, .replace: return operation.value ?? .null
            case .remove: throw ApplyError(description: "cannot remove the whole document")
            }
        }
        let rest = tokens.dropFirst()
        switch node {
        case .object(var object):
            if rest.isEmpty {
                switch operation.op {
                case .add: object[token] = operation.value ?? .null
                case .replace:
                    guard object[token] != nil else { throw missing(operation) }
                    object[token] = operation.value ?? .null
                case .remove:
                    guard object[token] != nil else { throw missing(operation) }
                    object[token] = nil
                }
                return .object(object)
            }
            guard let child = object[token] else { throw missing(operation) }
            object[token] = try apply(operation, to: child, tokens: rest)
            return .object(object)
        case .array(var items):
            if rest.isEmpty, operation.op == .add {
                if token == "-" {
                    items.append(operation.value ?? .null)
                } else {
                    guard let index = arrayIndex(token), index <= items.count else { throw missing(operation) }
                    items.insert(operation.value ?? .null, at: index)
                }
                return .array(items)
            }
            guard let index = arrayIndex(token), items.indices.contains(index) else { throw missing(operation) }
            if rest.isEmpty {
                if operation.op == .remove { items.remove(at: index) } else { items[index] = operation.value ?? .null }
            } else {
                items[index] = try apply(operation, to: items[index], tokens: rest)
            }
            return .array(items)
        default:
            throw missing(operation)
        }
    }

    private static func arrayIndex(_ token: String) -> Int? {
        guard let index = Int(token), index >= 0, token == String(index) else { return nil }
        return index
    }

    private static func missing(_ operation: PatchOperation) -> ApplyError {
        ApplyError(description: "\(operation.op.rawValue) \(operation.path): no such place in the object")
    }
}

/// What the mutating endpoint asks for an object: the changes to make, as patch operations on the object as received.
///
/// The ML-profile issue supplies the real mutations; until then the webhook runs `NoMutations`. A mutator must be
/// idempotent (mutating a mutated object yields nothing), which `MutationPlanner` checks before sending a patch.
public protocol Mutator: Sendable {
    /// True when the mutator reads the target workload (the webhook then looks it up first).
    var needsTarget: Bool { get }
    func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> [PatchOperation]
}

/// The empty mutation set: every object is left as it is.
public struct NoMutations: Mutator {
    public init() {}
    public var needsTarget: Bool { false }
    public func mutations(of object: ManifestObject, resolver: any WorkloadResolver) -> [PatchOperation] { [] }
}

/// Turns a mutator's operations into the patch to send, or none.
public enum MutationPlanner {
    public enum Plan: Sendable, Equatable {
        /// Nothing to change: the response carries no patch at all.
        case unchanged
        case patch([PatchOperation])
        /// The operations do not apply, or applying them and mutating again still changes the object: no patch is
        /// sent (the object is admitted as it is) and the reason is logged.
        case rejected(String)
    }

    public static func plan(object: ManifestObject, mutator: any Mutator, resolver: any WorkloadResolver) -> Plan {
        let operations = mutator.mutations(of: object, resolver: resolver)
        guard !operations.isEmpty else { return .unchanged }
        let mutated: JSONValue
        do {
            mutated = try JSONPatch.apply(operations, to: object.value)
        } catch {
            return .rejected("the mutation does not apply: \(error)")
        }
        if mutated == object.value { return .unchanged }
        var again = object
        again.value = mutated
        let second = mutator.mutations(of: again, resolver: resolver)
        if !second.isEmpty, (try? JSONPatch.apply(second, to: mutated)) != mutated {
            return .rejected("the mutation is not idempotent: a second pass would change \(second.map(\.path.description))")
        }
        return .patch(operations)
    }
}
