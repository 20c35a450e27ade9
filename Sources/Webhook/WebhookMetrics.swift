import Prometheus
import Synchronization

/// The webhook's Prometheus metrics, exactly these five (deploy/README.md "Metrics and probes"):
///
/// - `hpaguard_admission_requests_total{endpoint,operation,decision}`
/// - `hpaguard_admission_duration_seconds` (histogram)
/// - `hpaguard_findings_total{rule,severity}`
/// - `hpaguard_lookup_errors_total`
/// - `hpaguard_certificate_expiry_timestamp_seconds`
///
/// and with `--audit-interval`, `hpaguard_audit_findings{namespace,name,rule,severity}` (docs/audit.md).
///
/// A registry of its own (not the global MetricsSystem), so that libraries' metrics do not leak into `/metrics`.
public final class WebhookMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "hpaguard_admission_requests", unitName: "total",
            helpText: "Admission requests by endpoint, operation and decision.")
    }
    private var findings: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "hpaguard_findings", unitName: "total", helpText: "Findings reported in admission reviews.")
    }

    /// A findings counter's labels, as they are (no key string built per finding).
    private struct FindingKey: Hashable {
        let rule: String
        let severity: String
    }

    /// Findings counters already made, so the hot path is one dictionary lookup rather than the registry's.
    private let findingCounters = Mutex<[FindingKey: Counter]>([:])
    /// Requests counters made so far, one place for each endpoint, operation (or none) and decision: a request is
    /// counted without hashing its labels. Made on first use, so that `/metrics` shows only what happened.
    private let requestCounters = Mutex<[Counter?]>(
        Array(repeating: nil, count: endpoints.count * operations.count * decisions.count))
    /// The places of a request's endpoint, operation (none for a body that is not an AdmissionReview) and decision.
    private static let endpoints = AdmissionController.Endpoint.allCases
    private static let operations: [AdmissionRequest.Operation?] = AdmissionRequest.Operation.allCases + [nil]
    private static let decisions = AdmissionDecision.allCases
    private let duration: DurationHistogram
    private let lookupErrors: Counter
    private let certificateExpiry: Gauge
    /// The series of the last audit: one gauge at 1 per finding's namespace, name, rule and severity.
    private let auditSeries = Mutex<[AuditSeries: Gauge]>([:])

    /// The labels of one `hpaguard_audit_findings` series.
    public struct AuditSeries: Hashable, Sendable {
        public let namespace: String
        public let name: String
        public let rule: String
        public let severity: String

        public init(namespace: String, name: String, rule: String, severity: String) {
            self.namespace = namespace
            self.name = name
            self.rule = rule
            self.severity = severity
        }
    }

    public init() {
        duration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "hpaguard_admission_duration", unitName: "seconds",
                helpText: "Time from the request body to the answer, lookups included."),
            buckets: [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                .seconds(1), .seconds(2.5), .seconds(5),
            ])
        lookupErrors = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "hpaguard_lookup_errors", unitName: "total",
                helpText: "Kubernetes API lookups that failed or timed out."))
        certificateExpiry = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "hpaguard_certificate_expiry_timestamp", unitName: "seconds",
                helpText: "notAfter of the serving certificate in use, as a Unix time."))
    }

    /// Counts a request; `operation` nil for a body that is not an AdmissionReview (`UNKNOWN`).
    public func recordRequest(
        endpoint: AdmissionController.Endpoint, operation: AdmissionRequest.Operation?, decision: AdmissionDecision,
        duration elapsed: Duration
    ) {
        let operationPlace = Self.operations.firstIndex(of: operation) ?? 0
        let decisionPlace = Self.decisions.firstIndex(of: decision) ?? 0
        let endpointPlace = Self.endpoints.firstIndex(of: endpoint) ?? 0
        let slot = (endpointPlace * Self.operations.count + operationPlace) * Self.decisions.count + decisionPlace
        requestCounters.withLock { counters in
            if let counter = counters[slot] { return counter }
            let made = registry.makeCounter(
                descriptor: requests,
                labels: [
                    ("endpoint", endpoint.rawValue), ("operation", operation?.rawValue ?? "UNKNOWN"),
                    ("decision", decision.rawValue),
                ])
            counters[slot] = made
            return made
        }.increment()
        duration.record(elapsed)
    }

    public func recordFinding(rule: String, severity: String) {
        findingCounters.withLock { counters in
            let key = FindingKey(rule: rule, severity: severity)
            if let existing = counters[key] { return existing }
            let made = registry.makeCounter(descriptor: findings, labels: [("rule", rule), ("severity", severity)])
            counters[key] = made
            return made
        }.increment()
    }

    public func recordLookupError() { lookupErrors.increment() }

    public func setCertificateExpiry(_ unixTime: Double) { certificateExpiry.set(unixTime) }

    /// Replaces the audit's series with `current`: each at 1; series of the previous audit that are gone are
    /// dropped from the exposition (so an alert on `== 1` resolves, and removed HPAs leave no series behind).
    public func setAuditFindings(_ current: Set<AuditSeries>) {
        auditSeries.withLock { series in
            for (key, gauge) in series where !current.contains(key) {
                registry.unregisterGauge(gauge)
                series[key] = nil
            }
            for key in current where series[key] == nil {
                let gauge = registry.makeGauge(
                    descriptor: MetricNameDescriptor(
                        metricName: "hpaguard_audit_findings",
                        helpText: "1 for each finding of the last background audit, by HPA, rule and severity."),
                    labels: [("namespace", key.namespace), ("name", key.name), ("rule", key.rule), ("severity", key.severity)])
                gauge.set(Double(1))
                series[key] = gauge
            }
        }
    }

    /// The Prometheus text exposition.
    public func render() -> [UInt8] { registry.emitToBuffer() }
}
