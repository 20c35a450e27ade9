struct MetricTargetOutOfRangeRule: HPARule {
    static let rangesParameter = "ranges"

    static let description = RuleDescription(
        id: "metric-target-out-of-range",
        summary: "A metric target the metric can never reach, or one its unit makes implausibly low",
        rationale: """
            The HPA compares a target with what the metric reports, whatever unit the target was written in. vLLM's \
            KV-cache gauges (vllm:kv_cache_usage_perc, vllm:gpu_cache_usage_perc) are fractions from 0 to 1 \
            despite the _perc suffix ("1 means 100 percent usage", vLLM's metrics logger), as are Triton's \
            nv_gpu_utilization and nv_cpu_utilization (Triton's metrics guide: 0.0 - 1.0) and DCGM's profiling \
            metrics DCGM_FI_PROF_* (DCGM Feature Overview: "an activity of 1 (100%)"). DCGM_FI_DEV_GPU_UTIL, \
            _MEM_COPY_UTIL, _ENC_UTIL and _DEC_UTIL are percentages (dcgm-exporter's default-counters.csv: "in %"), \
            and so are GKE's kubernetes.io container and node accelerator/duty_cycle (Google Cloud's metrics list: \
            integers between 0 and 100) and nvidia_gpu_duty_cycle (NVIDIA GPU Prometheus exporter). vLLM's running \
            and waiting requests, TGI's tgi_queue_size and tgi_batch_current_size, TEI's te_queue_size and \
            Triton's nv_inference_pending_request_count are counts with no upper bound. A per-pod average target \
            (Pods, or External AverageValue) at or above the metric's maximum is never exceeded, so the HPA never \
            scales up on that metric; for metrics reported per accelerator the maximum counts every accelerator \
            of the pod (an adapter may sum them), 8 when the target workload is not among the inputs. A target \
            below 1 on a 0-100 metric (800m is 0.8 %) is exceeded by any load, so the HPA scales to maxReplicas at \
            once. Names are recognised as exported, lowercased, with _ for : (prometheus-adapter) and in GKE's \
            prometheus.googleapis.com|NAME|gauge form.
            """,
        remediation: """
            Write the target in the metric's own unit: averageValue: 400m for 40 % of a fraction, averageValue: \
            "80" for 80 % of a percentage. Add your own metrics to the table with the ranges parameter.
            """,
        category: .mlServing,
        defaultSeverity: .warning,
        parameters: [
            RuleParameter(
                rangesParameter, .stringList, default: .array([]),
                """
                More metrics as name:min:max (max empty for a count), over the built-in table; 0:1 reads as a \
                fraction and 0:100 as a percentage.
                """,
                validate: { value in
                    for entry in value.arrayValue?.compactMap(\.stringValue) ?? [] {
                        do throws(MetricRange.EntryError) {
                            _ = try MetricRange(entry: entry)
                        } catch {
                            return error.message
                        }
                    }
                    return nil
                }),
        ],
        validExamples: MetricTargetOutOfRangeExamples.valid,
        invalidExamples: MetricTargetOutOfRangeExamples.invalid
    )

    /// A per-pod average target at or above what a pod can report: the ratio never exceeds 1, let alone the
    /// tolerance, so the controller never proposes more replicas for this metric.
    static func neverReached(
        _ name: MetricName, _ range: MetricRange, target: Quantity, key: String, accelerators: Accelerators?
    ) -> String {
        let maximum = range.maximum ?? 0
        var text = "\(name.written) \(phrase(range))"
        switch accelerators {
        case .counted(let count)? where count > 1:
            text += " per accelerator, at most \(quantity(maximum * Double(count))) summed over the pod's \(count)"
        case .counted?: text += " per accelerator"
        case .assumed(let count)?:
            text += " per accelerator, at most \(quantity(maximum * Double(count))) even summed over \(count) "
                + "accelerators per pod"
        case nil: break
        }
        text += ", so a pod's average never exceeds \(target) and the HPA never scales up on it"
        if range.scale == .fraction, target.value > maximum, target.value <= 100 {
            text += "; for \(decimal(target.value)) % write \(key): \(quantity(target.value / 100))"
        }
        return text
    }

    /// A target below 1 on a 0-100 metric: any load exceeds it.
    static func exceededAtOnce(_ name: MetricName, target: Quantity, key: String) -> String {
        let percent = target.value * 100
        return "\(name.written) is a percentage from 0 to 100, so a target of \(target) (\(decimal(target.value)) %) "
            + "is exceeded by any load and the HPA scales to maxReplicas at once; for \(decimal(percent)) % write "
            + "\(key): \"\(quantity(percent))\""
    }

    private static func phrase(_ range: MetricRange) -> String {
        switch range.scale {
        case .fraction: return "is a fraction from 0 to 1 (1 means 100 %)"
        case .percent: return "is a percentage from 0 to 100"
        case .count, .bounded: return "ranges from \(decimal(range.minimum)) to \(decimal(range.maximum ?? 0))"
        }
    }

    /// A value the way a quantity is written: "400m", "80", "1.5".
    static func quantity(_ value: Double) -> String {
        let milli = (value * 1000).rounded()
        if value < 1, abs(value * 1000 - milli) < 1e-6, milli >= 1 { return "\(Int64(milli))m" }
        return decimal(value)
    }

    /// A value as a plain number: "0.8", "80", "1.25".
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }

    /// How many accelerators a pod of the target has: counted from its containers, or assumed when the target is
    /// not among the inputs.
    enum Accelerators {
        case counted(Int)
        case assumed(Int)

        static let assumedWhenUnknown = 8

        var count: Int {
            switch self {
            case .counted(let count): return max(count, 1)
            case .assumed(let count): return count
            }
        }

        init(_ workload: Workload?) {
            guard let workload else {
                self = .assumed(Self.assumedWhenUnknown)
                return
            }
            var total = 0.0
            for container in workload.containers {
                for resource in Accelerator.requested(by: container) {
                    total += container.request(for: resource)?.value ?? 0
                }
            }
            // A linted file may request any quantity: one beyond Int counts as the most there can be.
            self = .counted(total < Double(Int.max) ? Int(total.rounded(.up)) : Int.max)
        }
    }

    func check(_ hpa: HPA, in context: RuleContext) -> [Violation] {
        let entries = context.parameters.strings(Self.rangesParameter)
        var violations: [Violation] = []
        for metric in hpa.metrics {
            guard let name = metric.name, let range = MetricRange.lookup(name, entries: entries),
                let maximum = range.maximum, let sourceKey = metric.sourceKey,
                let (key, perPod) = Self.targetField(of: metric), let field = metric.target?[key],
                let target = Quantity(field), target.value > 0
            else { continue }
            let pointer = metric.pointer / sourceKey / "target" / key
            if perPod {
                let accelerators = range.perAccelerator ? Accelerators(context.workload) : nil
                if target.value >= maximum * Double(accelerators?.count ?? 1) {
                    let message = Self.neverReached(name, range, target: target, key: key, accelerators: accelerators)
                    violations.append(Violation(message, at: pointer))
                    continue
                }
            }
            if range.scale == .percent, target.value < 1 {
                violations.append(Violation(Self.exceededAtOnce(name, target: target, key: key), at: pointer))
            }
        }
        return violations
    }

    /// The target field the HPA controller reads for `metric` (horizontal.go, computeStatusFor*Metric), and whether
    /// it is compared with a per-pod average. A total (Object or External Value) may sum any number of series, so
    /// only the unit check applies to it.
    static func targetField(of metric: HPA.Metric) -> (key: String, perPod: Bool)? {
        let target = metric.target
        switch metric.sourceType {
        case .pods: return ("averageValue", true)
        case .external:
            // The controller takes averageValue when it is set, whatever the type says.
            let average = target?["averageValue"].map { !$0.isNull } ?? false
            return average ? ("averageValue", true) : ("value", false)
        case .object:
            switch target?["type"]?.stringValue {
            case "Value": return ("value", false)
            case "AverageValue": return ("averageValue", false)
            default: return nil
            }
        default: return nil
        }
    }
}
