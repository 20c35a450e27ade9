import Engine

/// The Kubernetes objects of the JSON that `pulumi preview --json` prints, each named by its Pulumi resource.
///
/// The document is Pulumi's preview digest (`pkg/backend/display/json.go` in pulumi/pulumi): a top-level object
/// with `steps`, one per resource the engine would create, update, replace, read or leave as it is. Only these
/// fields are read:
///
/// - `steps[].urn`: `urn:pulumi:STACK::PROJECT::TYPE::NAME`, which names the resource in findings;
/// - `steps[].op`: steps that only remove a resource (`delete`, `delete-replaced`, `discard`,
///   `remove-pending-replace`) are skipped, since the object will not exist afterwards;
/// - `steps[].newState.inputs`, else `steps[].newState.outputs`: the Kubernetes object as the Kubernetes provider
///   checked it (with `apiVersion` and `kind`); states that hold no such object (providers, the stack, other
///   clouds' resources) are skipped.
///
/// Everything else (`config`, `diagnostics`, `changeSummary`, `oldState`, diffs) is ignored. Values Pulumi does
/// not know before the update are the string `04da6b54-80e4-46f7-96ec-b56ff0331ba9` in the digest and are linted
/// as that string; secrets are shown as Pulumi prints them.
enum PulumiPreview {
    struct Resource {
        /// Where the Kubernetes object sits in the document, e.g. `/steps/3/newState/inputs`.
        var pointer: JSONPointer
        var object: JSONValue
        var urn: String

        /// "Pulumi resource model-hpa, urn:pulumi:dev::ml::kubernetes:autoscaling/v1:HorizontalPodAutoscaler::model-hpa".
        var label: String {
            let name = urn.split(separator: "::", omittingEmptySubsequences: false).last.map(String.init) ?? urn
            return "Pulumi resource \(name), \(urn)"
        }
    }

    static let removingOperations: Set<String> = ["delete", "delete-replaced", "discard", "remove-pending-replace"]

    /// Whether `root` is a preview digest: an object, not a Kubernetes object, whose `steps` is an array with at
    /// least one step carrying a string `urn`.
    static func isPreview(_ root: JSONValue) -> Bool {
        guard root["kind"] == nil, let steps = root["steps"]?.arrayValue else { return false }
        return steps.contains { $0["urn"]?.stringValue != nil }
    }

    /// The Kubernetes objects the preview's steps would leave in the cluster, in step order.
    static func resources(in root: JSONValue) -> [Resource] {
        guard let steps = root["steps"]?.arrayValue else { return [] }
        return steps.enumerated().compactMap { index, step in
            guard let urn = step["urn"]?.stringValue, let state = step["newState"] else { return nil }
            if let operation = step["op"]?.stringValue, removingOperations.contains(operation) { return nil }
            for field in ["inputs", "outputs"] {
                guard let object = state[field], object["apiVersion"]?.stringValue != nil,
                    object["kind"]?.stringValue != nil
                else { continue }
                return Resource(
                    pointer: JSONPointer(tokens: ["steps", String(index), "newState", field]), object: object, urn: urn)
            }
            return nil
        }
    }
}
