import Foundation

/// The chart: load and served capacity against time (unserved stretches shaded), replicas and ready replicas as
/// steps with the min/max lines; both runs overlaid. Self-contained SVG: no scripts, no external fonts.
extension SimulationReport {
    static let colors = ["#1f5fbf", "#d9660b"]
    static let shades = ["#1f5fbf", "#d9660b"]

    public func svg() -> String {
        let width = 960.0
        let height = 600.0
        let left = 78.0
        let right = 40.0
        let plotWidth = width - left - right
        let loadTop = 64.0 + 16 * Double(max(results.count, 1))
        let loadHeight = 230.0
        let replicaTop = loadTop + loadHeight + 56
        let replicaHeight = 160.0
        let end = max(duration, syncPeriod)
        func x(_ time: Double) -> Double { left + plotWidth * min(max(time, 0), end) / end }

        let timelines = results.map { Self.decimated($0.timeline, buckets: Int(plotWidth)) }
        let loadPeak = max(
            results.flatMap { $0.timeline.map(\.load) }.max() ?? 0,
            results.flatMap { $0.timeline.compactMap(\.capacity) }.max() ?? 0, 1e-9)
        let loadAxis = Self.niceAxis(maximum: loadPeak)
        func yLoad(_ value: Double) -> Double { loadTop + loadHeight - loadHeight * value / loadAxis.top }
        let replicaPeak = Double(max(scenario.maxReplicas, results.map(\.summary.peakReplicas).max() ?? 0, 1))
        let replicaAxis = Self.niceAxis(maximum: replicaPeak, integers: true)
        func yReplicas(_ value: Double) -> Double {
            replicaTop + replicaHeight - replicaHeight * value / replicaAxis.top
        }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="#ffffff"/>

            """
        let title = "HPA \(scenario.namespace.map { "\($0)/" } ?? "")\(scenario.hpaName): \(trace)"
        svg += "<text x=\"\(left)\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        svg +=
            "<text x=\"\(left)\" y=\"40\" fill=\"#555\">\(Self.escape("\(scenario.metricDescription); model load \(GoDuration.format(scenario.loadSeconds)); syncs every \(GoDuration.format(syncPeriod)); simulated, not measured"))</text>\n"

        // Unserved stretches, shaded per run in the load panel.
        for (run, result) in results.enumerated() {
            for stretch in result.summary.unservedStretches ?? [] where stretch.seconds > 0 {
                let x0 = x(stretch.start)
                let x1 = max(x(stretch.start + stretch.seconds), x0 + 0.8)
                svg +=
                    "<rect x=\"\(f(x0))\" y=\"\(f(loadTop))\" width=\"\(f(x1 - x0))\" height=\"\(f(loadHeight))\" fill=\"\(Self.shades[run % 2])\" fill-opacity=\"0.13\"/>\n"
            }
        }
        // Grids and axes.
        svg += Self.axis(ticks: loadAxis.ticks, y: yLoad, left: left, width: plotWidth)
        svg += Self.axis(ticks: replicaAxis.ticks, y: yReplicas, left: left, width: plotWidth)
        let timeTicks = Self.timeTicks(end: end)
        for tick in timeTicks {
            svg +=
                "<line x1=\"\(f(x(tick)))\" y1=\"\(f(replicaTop + replicaHeight))\" x2=\"\(f(x(tick)))\" y2=\"\(f(replicaTop + replicaHeight + 5))\" stroke=\"#333\"/>\n"
            svg +=
                "<text x=\"\(f(x(tick)))\" y=\"\(f(replicaTop + replicaHeight + 19))\" text-anchor=\"middle\">\(GoDuration.format(tick))</text>\n"
            svg +=
                "<line x1=\"\(f(x(tick)))\" y1=\"\(f(loadTop))\" x2=\"\(f(x(tick)))\" y2=\"\(f(loadTop + loadHeight))\" stroke=\"#eeeeee\"/>\n"
            svg +=
                "<line x1=\"\(f(x(tick)))\" y1=\"\(f(replicaTop))\" x2=\"\(f(x(tick)))\" y2=\"\(f(replicaTop + replicaHeight))\" stroke=\"#eeeeee\"/>\n"
        }
        svg +=
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(replicaTop + replicaHeight + 38))\" text-anchor=\"middle\">time since the start of the trace</text>\n"
        svg +=
            "<text transform=\"translate(18 \(f(loadTop + loadHeight / 2))) rotate(-90)\" text-anchor=\"middle\">load (\(Self.escape(scenario.loadUnit)))</text>\n"
        svg +=
            "<text transform=\"translate(18 \(f(replicaTop + replicaHeight / 2))) rotate(-90)\" text-anchor=\"middle\">replicas</text>\n"
        svg +=
            "<rect x=\"\(f(left))\" y=\"\(f(loadTop))\" width=\"\(f(plotWidth))\" height=\"\(f(loadHeight))\" fill=\"none\" stroke=\"#333\"/>\n"
        svg +=
            "<rect x=\"\(f(left))\" y=\"\(f(replicaTop))\" width=\"\(f(plotWidth))\" height=\"\(f(replicaHeight))\" fill=\"none\" stroke=\"#333\"/>\n"

        // min/max lines.
        for (label, value) in [("max", scenario.maxReplicas), ("min", scenario.minReplicas)] {
            let y = yReplicas(Double(value))
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>\n"
            svg +=
                "<text x=\"\(f(left + plotWidth - 4))\" y=\"\(f(y - 4))\" text-anchor=\"end\" fill=\"#666\">\(label)Replicas \(value)</text>\n"
        }

        // The load (the same for every run), then each run's capacity and replicas.
        if let first = timelines.first {
            svg +=
                "<path d=\"\(Self.stepPath(first.map { ($0.time, $0.load) }, end: end, x: x, y: yLoad))\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.6\"/>\n"
        }
        for (run, timeline) in timelines.enumerated() {
            let color = Self.colors[run % 2]
            // The first run is drawn wider, under the second, so that where the two agree both stay visible.
            let widen = run == 0 && timelines.count > 1 ? 1.6 : 0
            if results[run].configuration.capacity != nil {
                svg +=
                    "<path d=\"\(Self.stepPath(timeline.map { ($0.time, $0.capacity ?? 0) }, end: end, x: x, y: yLoad))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(1.8 + widen)\"/>\n"
            }
            svg +=
                "<path d=\"\(Self.stepPath(timeline.map { ($0.time, Double($0.replicas)) }, end: end, x: x, y: yReplicas))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(2 + widen)\"/>\n"
            svg +=
                "<path d=\"\(Self.stepPath(timeline.map { ($0.time, Double($0.readyReplicas)) }, end: end, x: x, y: yReplicas))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(1.4 + widen)\" stroke-dasharray=\"5 3\"/>\n"
        }
        if scenario.capacity == nil {
            svg +=
                "<text x=\"\(f(left + 8))\" y=\"\(f(loadTop + 16))\" fill=\"#a00\">no capacity given: served capacity and unserved load unknown (pass --capacity)</text>\n"
        }

        // Legend: the load, then one row per run.
        var legendX = left
        var legendY = 58.0
        func legend(_ label: String, color: String, dash: String? = nil, box: Bool = false, bold: Bool = false) {
            if box {
                svg +=
                    "<rect x=\"\(f(legendX))\" y=\"\(f(legendY - 9))\" width=\"18\" height=\"11\" fill=\"\(color)\" fill-opacity=\"0.25\"/>\n"
            } else if !bold {
                svg +=
                    "<line x1=\"\(f(legendX))\" y1=\"\(f(legendY - 4))\" x2=\"\(f(legendX + 18))\" y2=\"\(f(legendY - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
            }
            let textX = bold ? legendX : legendX + 23
            svg +=
                "<text x=\"\(f(textX))\" y=\"\(f(legendY))\"\(bold ? " font-weight=\"bold\" fill=\"\(color)\"" : "")>\(Self.escape(label))</text>\n"
            legendX = textX + Double(label.count) * 6.6 + 14
        }
        legend("offered load", color: "#222")
        let runColumn = legendX
        for (run, result) in results.enumerated() {
            let color = Self.colors[run % 2]
            legendX = runColumn
            legendY = 58 + Double(run) * 16
            legend(result.configuration.name + ":", color: color, bold: true)
            legendX = max(legendX, runColumn + 100)
            if result.configuration.capacity != nil {
                legend("served capacity", color: color)
                legend("unserved", color: color, box: true)
            }
            legend("replicas", color: color)
            legend("ready replicas", color: color, dash: "5 3")
        }
        svg += "</svg>\n"
        return svg
    }

    public func html() -> String {
        let title = "hpaguard simulate: \(scenario.namespace.map { "\($0)/" } ?? "")\(scenario.hpaName)"
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
            <style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}</style>
            </head><body>
            <h1>\(Self.escape(title))</h1>

            """
        html += svg()
        let text = self.text()
        html +=
            "<table><tr><th></th>" + results.map { "<th>\(Self.escape($0.configuration.name))</th>" }.joined()
            + "</tr>\n"
        func row(_ label: String, _ value: (RunSummary) -> String) {
            html +=
                "<tr><td>\(Self.escape(label))</td>"
                + results.map { "<td>\(Self.escape(value($0.summary)))</td>" }.joined() + "</tr>\n"
        }
        row("peak replicas") { "\($0.peakReplicas)" }
        row("scale-ups / downs") { "\($0.scaleUps) / \($0.scaleDowns)" }
        row("flaps") { "\($0.flaps)" }
        row("unserved load (\(scenario.loadUnit)·s)") {
            $0.unservedLoadSeconds.map { simulationFormat($0.rounded()) } ?? "unknown (no --capacity)"
        }
        row("longest unserved stretch") {
            $0.longestUnservedSeconds.map { GoDuration.format($0.rounded()) } ?? "unknown"
        }
        row("replica-seconds") { simulationFormat($0.replicaSeconds.rounded()) }
        row("GPU-hours") { $0.acceleratorHours.map { simulationFormat(($0 * 10).rounded() / 10) } ?? "-" }
        row("time at maxReplicas") { GoDuration.format($0.secondsAtMax.rounded()) }
        html += "</table>\n"
        if let meaning = text.components(separatedBy: "What it means:\n").last?.components(separatedBy: "\nAssumptions")
            .first
        {
            html += "<h2>What it means</h2><ul>\n"
            for line in meaning.split(separator: "\n") where line.hasPrefix("  - ") {
                html += "<li>\(Self.escape(String(line.dropFirst(4))))</li>\n"
            }
            html += "</ul>\n"
        }
        html += "<h2>Assumptions</h2><ul>\n"
        for assumption in scenario.assumptions { html += "<li>\(Self.escape(assumption))</li>\n" }
        html += "</ul></body></html>\n"
        return html
    }

    // MARK: - Drawing helpers

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// At most `buckets` entries: each bucket keeps its highest load and replica counts, so peaks stay visible.
    static func decimated(_ timeline: [TimelineEntry], buckets: Int) -> [TimelineEntry] {
        guard timeline.count > buckets * 2, buckets > 0 else { return timeline }
        let size = (timeline.count + buckets - 1) / buckets
        return stride(from: 0, to: timeline.count, by: size).map { start in
            let slice = timeline[start..<min(start + size, timeline.count)]
            var entry = slice.first!
            entry.load = slice.map(\.load).max()!
            entry.replicas = slice.map(\.replicas).max()!
            entry.readyReplicas = slice.map(\.readyReplicas).max()!
            entry.capacity = slice.compactMap(\.capacity).max()
            return entry
        }
    }

    static func stepPath(_ points: [(Double, Double)], end: Double, x: (Double) -> Double, y: (Double) -> Double)
        -> String
    {
        guard let first = points.first else { return "" }
        var path = "M\(f(x(first.0))) \(f(y(first.1)))"
        var previous = first.1
        for point in points.dropFirst() {
            path += "H\(f(x(point.0)))"
            if point.1 != previous { path += "V\(f(y(point.1)))" }
            previous = point.1
        }
        path += "H\(f(x(end)))"
        return path
    }

    /// A round top and 4-6 ticks.
    static func niceAxis(maximum: Double, integers: Bool = false) -> (top: Double, ticks: [Double]) {
        let raw = maximum / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        var step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if integers { step = max(1, step.rounded(.up)) }
        let top = (maximum / step).rounded(.up) * step
        return (top, stride(from: 0, through: top + step / 2, by: step).map { $0 })
    }

    static func axis(ticks: [Double], y: (Double) -> Double, left: Double, width: Double) -> String {
        var out = ""
        for tick in ticks {
            out +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + width))\" y2=\"\(f(y(tick)))\" stroke=\"#eeeeee\"/>\n"
            out +=
                "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(simulationFormat(tick))</text>\n"
        }
        return out
    }

    static func timeTicks(end: Double) -> [Double] {
        let steps: [Double] = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800]
        let step = steps.first { end / $0 <= 10 } ?? 172_800
        return stride(from: 0, through: end, by: step).map { $0 }
    }
}

/// A coordinate with one decimal.
private func f(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
