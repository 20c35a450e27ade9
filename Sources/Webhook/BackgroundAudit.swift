import Audit
import Cluster
import Engine
import Logging
import ServiceLifecycle

/// `hpaguard serve --audit-interval`: the audit of `hpaguard audit --all-namespaces` in the background, every
/// interval, exported as `hpaguard_audit_findings` and logged as one JSON line per run.
///
/// It never delays a review: it runs in its own service (task) with its own API client and its own deadline, and the
/// reviews' lookups do not wait for it. Graceful shutdown (SIGTERM) stops it between runs, or cancels a run in
/// progress.
struct BackgroundAudit: Service {
    let client: KubeClient
    let policy: Policy
    let interval: Duration
    let options: AuditOptions
    let metrics: WebhookMetrics
    let logger: Logger

    func run() async throws {
        let auditor = ClusterAuditor(client: client, policy: policy, options: options)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let result = try await cancelWhenGracefulShutdown { try await auditor.run() }
                metrics.setAuditFindings(Set(result.findings.compactMap(Self.series)))
                logger.info(
                    "audit",
                    metadata: [
                        "hpas": .stringConvertible(result.hpas),
                        "errors": .stringConvertible(result.findings.count { $0.severity == .error }),
                        "warnings": .stringConvertible(result.findings.count { $0.severity == .warning }),
                        "infos": .stringConvertible(result.findings.count { $0.severity == .info }),
                        "duration_ms": .stringConvertible(
                            result.duration.components.seconds * 1000
                                + result.duration.components.attoseconds / 1_000_000_000_000_000),
                        "not_read": .array(result.notes.map { .string($0) }),
                    ])
            } catch let error as AuditError {
                // A run that shutdown cancelled reads as lists that got no answer: it did not fail.
                if Task.isShuttingDownGracefully { break }
                // The last audit's series stay: an API outage is not an all-clear.
                logger.warning("audit failed", metadata: ["error": .string(error.description)])
            } catch {
                break  // cancelled by graceful shutdown
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
        }
        // A connection the audit gave up on may wait out TLS's close_notify timeout (5 s) on a hung API server;
        // shutdown does not wait that long for it (the shutdown goes on in the background while the process ends).
        await withDeadline(.seconds(1), fallback: ()) { await client.shutdown() }
    }

    /// The series of a finding about an HPA (a finding placed in its target names the target; its HPA's name is
    /// not known then, so those are left to the HPA's own findings).
    static func series(_ finding: Finding) -> WebhookMetrics.AuditSeries? {
        guard let object = finding.object, object.kind == "HorizontalPodAutoscaler", let name = object.name else {
            return nil
        }
        return WebhookMetrics.AuditSeries(
            namespace: object.namespace ?? "", name: name, rule: finding.rule, severity: finding.severity.rawValue)
    }
}
