/// The requests a namespace's LimitRanges fill in for containers that set none.
///
/// The LimitRanger admission plugin gives each container (init containers and sidecars too) that has no request for
/// a resource the `defaultRequest` of every `type: Container` item. The API server has defaulted that field already,
/// from the item's `default` (the limit), else its `max`, else its `min` (k8s.io/kubernetes
/// `pkg/apis/core/v1/defaults.go`, `SetDefaults_LimitRangeItem`). Pods are created after the HPA, so a LimitRange in
/// the namespace now covers them.
enum LimitRangeDefaults {
    static let itemFields = ["defaultRequest", "default", "max", "min"]

    /// The first of `limitRanges` that fills in a request for `resource`, if any.
    static func source(ofRequestFor resource: String, in limitRanges: [ManifestObject]) -> ManifestObject? {
        limitRanges.first { limitRange in
            (limitRange.value["spec"]?["limits"]?.arrayValue ?? []).contains { item in
                item["type"]?.stringValue == "Container"
                    && itemFields.contains { field in item[field]?[resource].flatMap(Quantity.init) != nil }
            }
        }
    }
}
