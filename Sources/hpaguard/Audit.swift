import ArgumentParser
import Audit
import Cluster
import Engine
import Foundation
import Manifests
import Reporters

struct AuditCommand: AsyncParsableCommand {
    /// The audit's own defaults: the options below start from them.
    private static let defaults = AuditOptions()

    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit the HPAs running in a cluster: their spec, their targets, and how they actually behave.",
        discussion: """
            Reads (only) HPAs, their targets, PDBs, LimitRanges, KEDA ScaledObjects, KServe InferenceServices and \
            the HPAs' events, runs every rule of lint on each HPA with its live target, and the live rules over \
            its status and events (metrics-unavailable, cannot-scale, pinned-at-max, scale-up-throttled, flapping, \
            replicas-mismatch, never-scaled). Findings name the object as namespace/name. Exit status: 0 no \
            finding at or above --fail-on, 1 at least one, 2 usage error, unusable kubeconfig, or the HPAs \
            cannot be listed. deploy/audit/ has the read-only RBAC it needs.
            """
    )

    @Option(help: "A kubeconfig; default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use instead of its current-context.")
    var context: String?

    @Option(name: [.short, .long], help: "Audit this namespace; default: the context's namespace, else default.")
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Audit every namespace.")
    var allNamespaces = false

    @Option(help: "A policy file laid over the embedded default (policies/default.yaml).")
    var policy: String?

    @Option(help: "Output format: text, json, sarif, junit or github.")
    var format: OutputFormat = .text

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 1 when a finding has this severity or a higher one: error, warning or info.")
    var failOn: Severity = .error

    @Option(help: "How far back events count (flapping, never-scaled), e.g. 1h, 30m.")
    var since = DurationArgument(.seconds(defaults.since))

    @Option(help: .hidden)
    var timeout = DurationArgument(defaults.deadline)

    @Option(name: .customLong("page-size"), help: .hidden)
    var pageSize: Int = defaults.pageSize

    /// The time the audit is taken at, for reproducible output in tests and docs (RFC 3339).
    @Option(help: .hidden)
    var now: String?

    func validate() throws {
        if namespace != nil, allNamespaces {
            throw ValidationError("--namespace and --all-namespaces exclude each other")
        }
        if let namespace, !ResourcePath.isSegment(namespace) {
            throw ValidationError("--namespace: not a namespace name")
        }
        guard since.duration >= .seconds(1) else { throw ValidationError("--since must be at least 1s") }
        guard timeout.duration > .zero else { throw ValidationError("--timeout must be above 0") }
        guard (1...5000).contains(pageSize) else { throw ValidationError("--page-size must be 1-5000") }
        if let now, Timestamp(now) == nil { throw ValidationError("--now: not an RFC 3339 time") }
    }

    func run() async throws {
        let policy = try loadPolicy(self.policy)
        let config: KubeAPIConfig
        do {
            if let path = kubeconfig ?? KubeConfigLoader.defaultKubeconfig() {
                config = try KubeConfigLoader.load(kubeconfig: path, context: context)
            } else if let inCluster = try KubeConfigLoader.inCluster() {
                if context != nil {
                    warn("hpaguard audit: --context needs a kubeconfig (none found)")
                    throw ExitCode(2)
                }
                config = inCluster
            } else {
                warn("hpaguard audit: no kubeconfig ($KUBECONFIG, ~/.kube/config or --kubeconfig) and not in a cluster")
                throw ExitCode(2)
            }
        } catch let error as KubeConfigError {
            warn("hpaguard audit: \(error)")
            throw ExitCode(2)
        }
        let client: KubeClient
        do {
            client = try KubeClient(
                config: config, connectTimeout: min(timeout.duration, .seconds(10)), userAgent: "hpaguard-audit")
        } catch {
            warn("hpaguard audit: \(error)")
            throw ExitCode(2)
        }
        if config.insecureSkipTLSVerify {
            warn("hpaguard audit: note: insecure-skip-tls-verify: the API server's certificate is not verified")
        }

        var options = AuditOptions()
        options.namespace = allNamespaces ? nil : (namespace ?? config.namespace ?? "default")
        options.since = max(1, since.duration.components.seconds)
        options.deadline = timeout.duration
        options.requestTimeout = min(timeout.duration, options.requestTimeout)
        options.pageSize = pageSize

        let auditor = ClusterAuditor(client: client, policy: policy, options: options)
        let result: AuditResult
        do throws(AuditError) {
            if let at = now.flatMap(Timestamp.init) {
                result = try await auditor.run(now: at)
            } else {
                result = try await auditor.run()
            }
        } catch {
            await client.shutdown()
            warn("hpaguard audit: \(error)")
            throw ExitCode(2)
        }
        await client.shutdown()
        for note in result.notes { warn("hpaguard audit: note: \(note)") }
        printReportAndExit(
            LintReport(findings: result.findings, files: 0, objects: result.hpas), format: format, failOn: failOn)
    }
}
