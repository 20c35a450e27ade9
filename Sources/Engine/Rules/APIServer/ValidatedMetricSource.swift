/// The source block of one metric whose contents the API server validates.
///
/// `validateMetricSpec` validates the contents of the first populated block only, in the order object, external,
/// pods, resource, containerResource, whatever `type` says; any further block is only reported as Forbidden
/// (`metric-source`).
struct ValidatedMetricSource {
    let type: MetricSourceType
    let value: JSONValue
    /// The metric's place in `spec.metrics`.
    let index: Int

    /// The internal pointer of the block (`/spec/metrics/0/resource`), made only for what is reported.
    var pointer: JSONPointer { JSONPointer(tokens: ["spec", "metrics", String(index), type.blockKey]) }

    /// `target` is a struct, not a pointer, in Go: absent reads as an empty target.
    var target: JSONValue { value["target"].flatMap { $0.isNull ? nil : $0 } ?? .object(JSONObject()) }
    var targetPointer: JSONPointer { pointer / "target" }
}

extension HPA.Metric {
    /// The block whose contents are validated; nil when no block is set, or when it is not a mapping (then
    /// decoding fails before validation, which `invalid-type` reports).
    var validatedSource: ValidatedMetricSource? {
        guard case .object = value, let type = populatedSources.first, let block = value[type.blockKey],
            case .object = block
        else { return nil }
        return ValidatedMetricSource(type: type, value: block, index: index)
    }
}
