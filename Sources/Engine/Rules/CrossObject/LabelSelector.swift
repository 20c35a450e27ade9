/// A `metav1.LabelSelector` (matchLabels and matchExpressions), matched the way `metav1.LabelSelectorAsSelector`
/// matches it.
struct LabelSelector {
    let value: JSONValue

    /// Whether the selector picks pods labelled `labels`. An empty selector matches everything (policy/v1
    /// PodDisruptionBudget semantics); callers decide what a missing selector means.
    func matches(_ labels: [String: String]) -> Bool {
        for member in value["matchLabels"]?.objectValue ?? JSONObject() {
            guard labels[member.key] == member.value.stringValue else { return false }
        }
        for requirement in value["matchExpressions"]?.arrayValue ?? [] {
            guard let key = requirement["key"]?.stringValue else { return false }
            let values = (requirement["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            let label = labels[key]
            switch requirement["operator"]?.stringValue {
            case "In": guard let label, values.contains(label) else { return false }
            case "NotIn": if let label, values.contains(label) { return false }
            case "Exists": guard label != nil else { return false }
            case "DoesNotExist": guard label == nil else { return false }
            default: return false  // the API server rejects other operators
            }
        }
        return true
    }

    var isEmpty: Bool {
        (value["matchLabels"]?.objectValue?.isEmpty ?? true) && (value["matchExpressions"]?.arrayValue?.isEmpty ?? true)
    }
}
