import Engine
import Foundation

/// A finished simulation: the scenario, what the trace was, and one result per run; rendered as JSON, text, SVG
/// or HTML.
public struct SimulationReport: Sendable {
    public var scenario: Scenario
    public var trace: String
    public var syncPeriod: Double
    public var results: [RunResult]

    public init(scenario: Scenario, trace: String, syncPeriod: Double, results: [RunResult]) {
        self.scenario = scenario
        self.trace = trace
        self.syncPeriod = syncPeriod
        self.results = results
    }

    public var duration: Double { results.first?.summary.duration ?? 0 }

    // MARK: - JSON

    /// Exactly one object: `{"hpa":{…},"assumptions":[…],"runs":[{"name","behavior","timeline","summary"}]}`.
    public func json() -> String {
        let scenario = scenario
        func number(_ value: Double?) -> JSONValue {
            guard let value, value.isFinite else { return .null }
            return .double((value * 1000).rounded() / 1000)
        }
        let hpa: JSONValue = .object(
            JSONObject([
                ("name", .string(scenario.hpaName)),
                ("namespace", scenario.namespace.map(JSONValue.string) ?? .null),
                ("apiVersion", .string("autoscaling/\(scenario.version)")),
                ("target", .string(scenario.target)),
                ("minReplicas", .int(Int64(scenario.minReplicas))),
                ("maxReplicas", .int(Int64(scenario.maxReplicas))),
                ("metric", .string(scenario.metricDescription)),
                ("loadUnit", .string(scenario.loadUnit)),
                ("metricUnit", .string(scenario.metricUnit)),
                ("modelLoadSeconds", number(scenario.loadSeconds)),
                ("modelLoadSource", .string(scenario.loadSource)),
                ("capacity", number(scenario.capacity)),
                ("profile", scenario.profile.map(JSONValue.string) ?? .null),
                ("trace", .string(trace)),
                ("syncPeriodSeconds", number(syncPeriod)),
                ("durationSeconds", number(duration)),
            ]))
        var out = "{\"hpa\":" + hpa.serialized()
        out += ",\"assumptions\":" + JSONValue.array(scenario.assumptions.map(JSONValue.string)).serialized()
        out += ",\"runs\":["
        for (index, result) in results.enumerated() {
            if index > 0 { out += "," }
            out += "{\"name\":" + JSONValue.string(result.configuration.name).serialized()
            out += ",\"behavior\":" + result.configuration.behavior.serialized()
            out += ",\"timeline\":["
            out.reserveCapacity(out.utf8.count + result.timeline.count * 150)
            for (offset, entry) in result.timeline.enumerated() {
                if offset > 0 { out += "," }
                out += JSONValue.object(
                    JSONObject([
                        ("t", number(entry.time)),
                        ("load", number(entry.load)),
                        ("metric", number(entry.metric)),
                        ("desiredReplicas", .int(Int64(entry.desiredReplicas))),
                        ("replicas", .int(Int64(entry.replicas))),
                        ("readyReplicas", .int(Int64(entry.readyReplicas))),
                        ("reason", .string(entry.reason)),
                        ("capacity", number(entry.capacity)),
                        ("unservedLoadSeconds", number(entry.unservedLoadSeconds)),
                    ])
                ).serialized()
            }
            let summary = result.summary
            let stretches: JSONValue =
                summary.unservedStretches.map { list in
                    .array(
                        list.map { .object(JSONObject([("t", number($0.start)), ("seconds", number($0.seconds))])) })
                } ?? .null
            out +=
                "],\"summary\":"
                + JSONValue.object(
                    JSONObject([
                        ("peakReplicas", .int(Int64(summary.peakReplicas))),
                        ("scaleUps", .int(Int64(summary.scaleUps))),
                        ("scaleDowns", .int(Int64(summary.scaleDowns))),
                        ("flaps", .int(Int64(summary.flaps))),
                        ("unservedLoadSeconds", number(summary.unservedLoadSeconds)),
                        ("longestUnservedSeconds", number(summary.longestUnservedSeconds)),
                        (
                            "unservedReason",
                            summary.unservedLoadSeconds == nil
                                ? .string(
                                    "no capacity: pass --capacity (the load one pod carries) to compute unserved load")
                                : .null
                        ),
                        ("timeToCapacity", stretches),
                        ("replicaSeconds", number(summary.replicaSeconds)),
                        ("gpuHours", number(summary.acceleratorHours)),
                        ("secondsAtMax", number(summary.secondsAtMax)),
                    ])
                ).serialized() + "}"
        }
        out += "]}\n"
        return out
    }

    // MARK: - Text

    public func text() -> String {
        let scenario = scenario
        var out =
            "HPA \(scenario.namespace.map { "\($0)/" } ?? "")\(scenario.hpaName) (autoscaling/\(scenario.version)) → \(scenario.target)\n"
        out +=
            "trace \(trace), \(GoDuration.format(duration.rounded())) at \(GoDuration.format(syncPeriod)) syncs; metric: \(scenario.metricDescription)\n\n"
        let names = results.map(\.configuration.name)
        var rows: [(String, [String])] = []
        func row(_ label: String, _ value: (RunSummary) -> String) {
            rows.append((label, results.map { value($0.summary) }))
        }
        let unit = scenario.loadUnit
        row("peak replicas") { "\($0.peakReplicas)" }
        row("scale-ups / downs") { "\($0.scaleUps) / \($0.scaleDowns)" + ($0.flaps > 0 ? " (\($0.flaps) flaps)" : "") }
        row("unserved load") {
            $0.unservedLoadSeconds.map { "\(simulationFormat($0.rounded())) \(unit)·s" } ?? "unknown (no --capacity)"
        }
        row("longest unserved stretch") {
            $0.longestUnservedSeconds.map { GoDuration.format($0.rounded()) } ?? "unknown"
        }
        row("replica-seconds") { summary in
            var text = simulationFormat(summary.replicaSeconds.rounded())
            if let hours = summary.acceleratorHours {
                text += " (\(simulationFormat((hours * 10).rounded() / 10)) GPU-hours)"
            }
            return text
        }
        row("time at maxReplicas") { GoDuration.format($0.secondsAtMax.rounded()) }
        let labelWidth = max(26, rows.map(\.0.count).max() ?? 0)
        let widths = names.indices.map { index in max(names[index].count, rows.map { $0.1[index].count }.max() ?? 0) + 3
        }
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(0, width - text.count))
        }
        out += pad("", labelWidth) + names.indices.map { pad(names[$0], widths[$0]) }.joined() + "\n"
        for (label, values) in rows {
            out += pad(label, labelWidth) + values.indices.map { pad(values[$0], widths[$0]) }.joined() + "\n"
        }
        out += "\nWhat it means:\n"
        for result in results { out += "  - " + meaning(result) + "\n" }
        if results.count == 2 { out += "  - " + comparison() + "\n" }
        out += "\nAssumptions (a simulation, not a measurement):\n"
        for assumption in scenario.assumptions { out += "  - \(assumption)\n" }
        return out
    }

    /// How fast the run may add pods, in words.
    static func scaleUpPace(_ configuration: RunConfiguration) -> String {
        guard let behavior = configuration.spec.behavior else {
            return "scale-up without behavior is limited to max(2 × current, 4) replicas per sync"
        }
        let rules = behavior.scaleUp
        if rules.selectPolicy == .disabled { return "scale-up is disabled (selectPolicy: Disabled)" }
        let policies = rules.policies.map { policy in
            policy.kind == .pods
                ? "\(policy.value) pod\(policy.value == 1 ? "" : "s") per \(GoDuration.format(Double(policy.periodSeconds)))"
                : "\(policy.value) % per \(GoDuration.format(Double(policy.periodSeconds)))"
        }
        let joined =
            policies.count == 1
            ? policies[0]
            : "the \(rules.selectPolicy == .max ? "larger" : "smaller") of " + policies.joined(separator: " and ")
        var text = "scale-up is limited to \(joined)"
        if let window = rules.stabilizationWindowSeconds, window > 0 {
            text += " after a \(GoDuration.format(Double(window))) stabilization window"
        }
        return text
    }

    func meaning(_ result: RunResult) -> String {
        let summary = result.summary
        let configuration = result.configuration
        let name = configuration.name
        let load = "pods take \(GoDuration.format(configuration.loadSeconds)) to load"
        var text: String
        if let unserved = summary.unservedLoadSeconds, let stretches = summary.unservedStretches {
            if unserved <= 0 {
                text = "\(name): the ready pods carried the load throughout"
            } else {
                let longest = stretches.max { $0.seconds < $1.seconds }!
                text =
                    "\(name): load went unserved for \(GoDuration.format(longest.seconds.rounded())) after the rise at \(GoDuration.format(longest.start.rounded()))"
                text +=
                    " (\(simulationFormat(unserved.rounded())) \(scenario.loadUnit)·s in all, \(stretches.count) stretch\(stretches.count == 1 ? "" : "es"))"
                let peakLoad = result.timeline.map(\.load).max() ?? 0
                if let capacity = configuration.capacity, peakLoad > Double(configuration.spec.maxReplicas) * capacity {
                    let most = Double(configuration.spec.maxReplicas) * capacity
                    text += " because maxReplicas (\(configuration.spec.maxReplicas)) carries at most \(simulationFormat(most)) \(scenario.loadUnit), below the peak of \(simulationFormat(peakLoad)), \(Self.scaleUpPace(configuration)) and \(load)"
                } else {
                    text += " because \(Self.scaleUpPace(configuration)) and \(load)"
                }
                if summary.secondsAtMax > 0 {
                    text +=
                        ", and it spent \(GoDuration.format(summary.secondsAtMax.rounded())) pinned at maxReplicas (\(configuration.spec.maxReplicas))"
                }
            }
        } else {
            text =
                "\(name): unserved load is unknown without --capacity; peak \(summary.peakReplicas) replicas, \(Self.scaleUpPace(configuration)) and \(load)"
        }
        let hours = summary.replicaSeconds / 3600
        text += "; it cost \(simulationFormat((hours * 10).rounded() / 10)) replica-hours"
        if let gpu = summary.acceleratorHours { text += " (\(simulationFormat((gpu * 10).rounded() / 10)) GPU-hours)" }
        return text + "."
    }

    func comparison() -> String {
        let written = results[0].summary
        let profiled = results[1].summary
        let cost = profiled.replicaSeconds - written.replicaSeconds
        let hours = simulationFormat((abs(cost) / 36).rounded() / 100)
        let costText = cost <= 0 ? "saves \(hours) replica-hours" : "costs \(hours) replica-hours more"
        guard let a = written.unservedLoadSeconds, let b = profiled.unservedLoadSeconds else {
            return
                "with the profile the run \(costText) against the HPA as written (unserved load unknown without --capacity)."
        }
        if abs(a - b) < 1e-6 { return "with the profile the run leaves the same load unserved and \(costText)." }
        let more = b > a
        return
            "with the profile \(simulationFormat(abs(b - a).rounded())) \(scenario.loadUnit)·s \(more ? "more" : "less") load goes unserved, and the run \(costText)."
    }
}
