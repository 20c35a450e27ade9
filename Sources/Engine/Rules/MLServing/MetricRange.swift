/// The values a metric that ML teams scale on can take, as the project that exports it documents them.
///
/// `metric-target-out-of-range` compares targets with it; `simulate` can read it (`lookup`) to bound the metric
/// values it assumes. The built-in table lists only ranges confirmed in each exporter's own documentation or source;
/// a policy adds or replaces entries with the rule's `ranges` parameter.
public struct MetricRange: Sendable, Hashable {
    /// How the values are expressed, which decides what a plausible target looks like.
    public enum Scale: String, Sendable {
        /// 0 to 1, where 1 means 100 % (vLLM's `*_usage_perc` despite the name, DCGM's profiling ratios).
        case fraction
        /// 0 to 100.
        case percent
        /// A number of things (requests waiting, sequences in a batch): no upper bound.
        case count
        /// Any other bounded range, from a policy entry.
        case bounded
    }

    /// The name as hpaguard compares it: lowercased, the middle part of GKE's `prometheus.googleapis.com|NAME|gauge`.
    public let name: String
    public let minimum: Double
    /// Nil when the metric has no upper bound.
    public let maximum: Double?
    public let scale: Scale
    /// True when the exporter reports one series per accelerator (DCGM, Triton's GPU gauges, duty cycles): a
    /// metrics adapter that sums a pod's series (prometheus-adapter's default `sum(...) by (pod)`) then reports up
    /// to `maximum` times the accelerators of the pod.
    public let perAccelerator: Bool
    /// Where the range is documented; empty for policy entries.
    public let source: String

    public init(
        name: String, minimum: Double, maximum: Double?, scale: Scale? = nil, perAccelerator: Bool = false,
        source: String = ""
    ) {
        self.name = MetricName(name).base
        self.minimum = minimum
        self.maximum = maximum
        self.scale = scale ?? Self.scale(minimum: minimum, maximum: maximum)
        self.perAccelerator = perAccelerator
        self.source = source
    }

    private static func scale(minimum: Double, maximum: Double?) -> Scale {
        switch (minimum, maximum) {
        case (_, nil): return .count
        case (0, 1): return .fraction
        case (0, 100): return .percent
        default: return .bounded
        }
    }

    // MARK: - Lookup

    /// The built-in range of a metric, in any spelling a metrics adapter gives it: as exported, lowercased,
    /// with `_` for `:` (prometheus-adapter's `vllm_num_requests_waiting`), or GKE's
    /// `prometheus.googleapis.com|vllm:num_requests_waiting|gauge`.
    public static func lookup(_ metricName: String) -> MetricRange? {
        builtInByName[MetricName(metricName).base]
    }

    /// The range of a metric with the entries of `policy` (rule `metric-target-out-of-range`, parameter `ranges`)
    /// over the built-in table.
    public static func lookup(_ metricName: String, policy: Policy) -> MetricRange? {
        let entries = policy.settings(for: MetricTargetOutOfRangeRule.description.id)?
            .parameters[MetricTargetOutOfRangeRule.rangesParameter]?.arrayValue?.compactMap(\.stringValue) ?? []
        return lookup(MetricName(metricName), entries: entries)
    }

    /// `name` in the policy's `entries` (the last entry for a name wins), else in the built-in table.
    static func lookup(_ name: MetricName, entries: [String]) -> MetricRange? {
        for entry in entries.reversed() {
            if let range = try? MetricRange(entry: entry), range.matches(name.base) { return range }
        }
        return builtInByName[name.base]
    }

    private func matches(_ base: String) -> Bool { base == name || base == name.replacing(":", with: "_") }

    // MARK: - Policy entries

    /// Parses a policy entry `name:min:max` (max empty for no upper bound). Names may contain colons
    /// (`vllm:kv_cache_usage_perc:0:1`), so the bounds are the last two fields.
    ///
    /// - Throws: `EntryError` with a message for the policy loader.
    init(entry: String) throws(EntryError) {
        let fields = entry.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count >= 3 else { throw EntryError("'\(entry)' is not name:min:max") }
        let name = fields.dropLast(2).joined(separator: ":")
        guard !name.isEmpty else { throw EntryError("'\(entry)' has no metric name") }
        guard let minimum = Double(fields[fields.count - 2]) else {
            throw EntryError("'\(entry)': the minimum is not a number")
        }
        let maximumText = fields[fields.count - 1]
        let maximum = maximumText.isEmpty ? nil : Double(maximumText)
        if !maximumText.isEmpty, maximum == nil { throw EntryError("'\(entry)': the maximum is not a number") }
        if let maximum, maximum <= minimum { throw EntryError("'\(entry)': the maximum is not above the minimum") }
        self.init(name: name, minimum: minimum, maximum: maximum)
    }

    struct EntryError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    // MARK: - The built-in table

    private static let vllmLoggers = "vLLM vllm/v1/metrics/loggers.py (\"KV-cache usage. 1 means 100 percent usage.\")"
    private static let vllmCounts = "vLLM vllm/v1/metrics/loggers.py (gauges of requests)"
    private static let dcgmExporter = "NVIDIA dcgm-exporter etc/default-counters.csv (\"(in %)\")"
    private static let dcgmProfiling =
        "NVIDIA DCGM user guide, Feature Overview, Profiling Metrics (\"an activity of 1 (100%)\")"
    private static let triton = "Triton docs/user_guide/metrics.md (\"rate (0.0 - 1.0)\")"
    private static let gkeDutyCycle =
        "Google Cloud metrics list, kubernetes.io/*/accelerator/duty_cycle (\"integers between 0 and 100\")"

    /// Every built-in entry. Ranges not confirmed in the exporter's own documentation are left out.
    public static let builtIn: [MetricRange] = [
        // vLLM: the KV-cache gauges are fractions although their names end in _perc.
        MetricRange(name: "vllm:kv_cache_usage_perc", minimum: 0, maximum: 1, source: vllmLoggers),
        MetricRange(name: "vllm:gpu_cache_usage_perc", minimum: 0, maximum: 1, source: vllmLoggers),
        MetricRange(name: "vllm:cpu_cache_usage_perc", minimum: 0, maximum: 1, source: vllmLoggers),
        MetricRange(name: "vllm:num_requests_running", minimum: 0, maximum: nil, source: vllmCounts),
        MetricRange(name: "vllm:num_requests_waiting", minimum: 0, maximum: nil, source: vllmCounts),
        // TGI and TEI export only counts as gauges.
        MetricRange(
            name: "tgi_queue_size", minimum: 0, maximum: nil,
            source: "TGI docs reference/metrics (Gauge, unit Count)"),
        MetricRange(
            name: "tgi_batch_current_size", minimum: 0, maximum: nil,
            source: "TGI docs reference/metrics (Gauge, unit Count)"),
        MetricRange(
            name: "te_queue_size", minimum: 0, maximum: nil,
            source: "TEI router queue (gauge incremented per queued request)"),
        // Triton.
        MetricRange(name: "nv_gpu_utilization", minimum: 0, maximum: 1, perAccelerator: true, source: triton),
        MetricRange(name: "nv_cpu_utilization", minimum: 0, maximum: 1, source: triton),
        MetricRange(
            name: "nv_inference_pending_request_count", minimum: 0, maximum: nil,
            source: "Triton metrics (pending requests per model)"),
        // DCGM device utilization: percentages.
        MetricRange(
            name: "DCGM_FI_DEV_GPU_UTIL", minimum: 0, maximum: 100, perAccelerator: true, source: dcgmExporter),
        MetricRange(
            name: "DCGM_FI_DEV_MEM_COPY_UTIL", minimum: 0, maximum: 100, perAccelerator: true, source: dcgmExporter),
        MetricRange(
            name: "DCGM_FI_DEV_ENC_UTIL", minimum: 0, maximum: 100, perAccelerator: true, source: dcgmExporter),
        MetricRange(
            name: "DCGM_FI_DEV_DEC_UTIL", minimum: 0, maximum: 100, perAccelerator: true, source: dcgmExporter),
        // DCGM profiling metrics: ratios.
    ] + [
        "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_PROF_SM_ACTIVE", "DCGM_FI_PROF_SM_OCCUPANCY",
        "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "DCGM_FI_PROF_DRAM_ACTIVE", "DCGM_FI_PROF_PIPE_FP64_ACTIVE",
        "DCGM_FI_PROF_PIPE_FP32_ACTIVE", "DCGM_FI_PROF_PIPE_FP16_ACTIVE",
    ].map { MetricRange(name: $0, minimum: 0, maximum: 1, perAccelerator: true, source: dcgmProfiling) } + [
        // Duty cycles: GKE system metrics (through the Stackdriver adapter, `/` written as `|`) and the NVIDIA
        // GPU Prometheus exporter (NVML's utilization rate).
        MetricRange(
            name: "kubernetes.io|container|accelerator|duty_cycle", minimum: 0, maximum: 100, perAccelerator: true,
            source: gkeDutyCycle),
        MetricRange(
            name: "kubernetes.io|node|accelerator|duty_cycle", minimum: 0, maximum: 100, perAccelerator: true,
            source: gkeDutyCycle),
        MetricRange(
            name: "nvidia_gpu_duty_cycle", minimum: 0, maximum: 100, perAccelerator: true,
            source: "mindprince/nvidia_gpu_prometheus_exporter (\"Percent of time ...\", NVML utilization)"),
    ]

    /// `builtIn` by every spelling: the name, and with `_` for `:`.
    private static let builtInByName: [String: MetricRange] = {
        var byName: [String: MetricRange] = [:]
        for range in builtIn {
            byName[range.name] = range
            byName[range.name.replacing(":", with: "_")] = range
        }
        return byName
    }()
}
