/// What several live rules read the same way.
extension LiveHPAState {
    /// A pointer into the HPA as returned, at the first of `candidates` it holds (the last one otherwise): findings
    /// point at the field the fix changes when it is written, else at its parent.
    func pointer(_ candidates: [JSONPointer]) -> JSONPointer {
        candidates.first { hpa.object.value[$0] != nil } ?? candidates.last ?? "/spec"
    }

    /// "for 2h15m (since 2026-01-01T09:45:00Z)", or "" when the condition has no lastTransitionTime.
    func duration(of condition: HPACondition) -> String {
        guard let age = age(of: condition), let since = condition.lastTransitionTime else { return "" }
        return " for \(Timestamp.describe(age)) (since \(since))"
    }
}

/// One metric of the spec beside its current value in the status.
struct MetricReading: Sendable {
    /// "cpu", "vllm:num_requests_waiting".
    let name: String
    let target: Double
    let current: Double
    /// "%" for Utilization, "" otherwise.
    let unit: String

    var ratio: Double { target > 0 ? current / target : .infinity }

    /// Each metric of `spec.metrics` that has a current value in `status.currentMetrics` and a target of the same
    /// type, in spec order.
    static func readings(spec: JSONValue, status: HPAStatus) -> [MetricReading] {
        (spec["metrics"]?.arrayValue ?? []).compactMap { metric in
            guard let type = metric["type"]?.stringValue, let key = MetricSourceType(rawValue: type)?.blockKey else { return nil }
            let source = metric[key]
            let name = identity(source)
            let current = status.currentMetrics.first { $0["type"]?.stringValue == type && identity($0[key]) == name }?[
                key]?["current"]
            guard let target = source?["target"], let current else { return nil }
            switch target["type"]?.stringValue {
            case "Utilization":
                guard let goal = target["averageUtilization"]?.integerValue,
                    let now = current["averageUtilization"]?.integerValue
                else {
                    return nil
                }
                return MetricReading(name: name, target: Double(goal), current: Double(now), unit: "%")
            case "AverageValue":
                guard let goal = target["averageValue"].flatMap(Quantity.init),
                    let now = current["averageValue"].flatMap(Quantity.init)
                else {
                    return nil
                }
                return MetricReading(name: name, target: goal.value, current: now.value, unit: "")
            case "Value":
                guard let goal = target["value"].flatMap(Quantity.init),
                    let now = current["value"].flatMap(Quantity.init)
                else { return nil }
                return MetricReading(name: name, target: goal.value, current: now.value, unit: "")
            default:
                return nil
            }
        }
    }

    /// "cpu at 12% of its 70% target", "vllm:num_requests_waiting at 0.5 of its 8 target".
    var summary: String {
        "\(name) at \(Self.format(current))\(unit) of its \(Self.format(target))\(unit) target"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String((value * 100).rounded() / 100)
    }

    /// The name a metric is matched by between spec and status (and the container, for ContainerResource).
    private static func identity(_ source: JSONValue?) -> String {
        let name = source?["name"]?.stringValue ?? source?["metric"]?["name"]?.stringValue ?? "?"
        if let container = source?["container"]?.stringValue { return "\(name) (container \(container))" }
        return name
    }
}
