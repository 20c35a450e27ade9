import Engine
import Logging

/// An HTTP answer: status code and JSON body.
public struct WebhookAnswer: Sendable {
    public var status: Int
    public var body: [UInt8]
}

/// What the webhook did with one request: the `decision` of its log line and of its
/// `hpaguard_admission_requests_total` series (the raw values are those texts).
public enum AdmissionDecision: String, Sendable, CaseIterable {
    /// Validated without an error that counts, or passed without a review (DELETE, CONNECT, a subresource, an
    /// object being deleted).
    case allowed
    /// Validated with an error finding the stored object does not already have: the answer denies with 403.
    case denied
    /// Mutated: the answer carries a JSON Patch.
    case patched
    /// Mutated with nothing to change, or with a patch dropped as unsafe (it does not apply, or is not idempotent).
    case unchanged
    /// Not an AdmissionReview v1: HTTP 400, no review.
    case invalid
}

/// Reviews AdmissionReview requests with the engine: the part of `serve` that knows Kubernetes admission, and
/// nothing of HTTP servers or TLS.
///
/// Validate: error findings deny (403, each finding as `[rule] path: text`), warning findings become admission
/// warnings, info findings are logged. Mutate: a JSON Patch from the `Mutator`, or no patch. DELETE and CONNECT,
/// subresources and objects being deleted pass untouched.
public struct AdmissionController: Sendable {
    public enum Endpoint: String, Sendable, CaseIterable { case validate, mutate }

    public let engine: Engine
    public let cluster: any ClusterReader
    public let mutator: any AdmissionMutator
    public let metrics: WebhookMetrics
    public let logger: Logger
    /// What custom rules read of a request beyond the built-in rules (`request.userInfo`, managedFields): only
    /// that is built.
    private let reading: AdmissionReview.Reading
    /// Whether a custom rule reads `oldObject`: only then is the stored object of every UPDATE built.
    private let readsOldObject: Bool

    /// Admission warnings: at most 120 characters each (longer ones may be cut by clients), under 4096 in all
    /// (the API server drops the rest), as the Kubernetes docs' "Dynamic Admission Control" page says of warnings.
    static let maxWarningLength = 120
    static let maxWarningTotal = 4000
    static let maxDenialMessage = 8000

    public init(
        engine: Engine, cluster: any ClusterReader, mutator: any AdmissionMutator = NoMutations(), metrics: WebhookMetrics,
        logger: Logger
    ) {
        self.engine = engine
        self.cluster = cluster
        self.mutator = mutator
        self.metrics = metrics
        self.logger = logger
        reading = AdmissionReview.Reading(engine: engine)
        readsOldObject = engine.customRulesReadOldObject
    }

    /// Reviews one request body, waiting for cluster lookups when the review needs them. Never throws: every body
    /// gets an answer (200 with a review, or 400).
    public func review(_ body: [UInt8], endpoint: Endpoint) async -> WebhookAnswer {
        switch start(body, endpoint: endpoint) {
        case .answered(let answer): return answer
        case .waiting(let pending): return await pending.finish()
        }
    }

    /// What `start` leaves to do: the answer, or a review waiting for cluster facts that are not at hand.
    public enum Started: Sendable {
        case answered(WebhookAnswer)
        case waiting(PendingReview)
    }

    /// A parsed request whose review needs the cluster read first; `finish` reads it and answers (the body is not
    /// parsed again).
    public struct PendingReview: Sendable {
        fileprivate let controller: AdmissionController
        fileprivate let review: Prepared
        fileprivate let object: ManifestObject
        fileprivate let namespace: String

        public func finish() async -> WebhookAnswer {
            controller.finish(review, snapshot: await controller.cluster.snapshot(around: object, namespace: namespace))
        }
    }

    /// Parses and, when no lookup is needed or every one is cached, reviews one request body without waiting. The
    /// server's hot path: no task hop when there is nothing to wait for.
    public func start(_ body: [UInt8], endpoint: Endpoint) -> Started {
        let start = ContinuousClock.now
        let request: AdmissionRequest
        do {
            request = try AdmissionReview.parseRequest(body, reading: reading)
        } catch {
            return .answered(malformed(error, endpoint: endpoint))
        }
        let review = Prepared(
            request: request, endpoint: endpoint, subject: subject(of: request, endpoint: endpoint), start: start)
        guard case .review(let object, let namespace, needsCluster: true) = review.subject else {
            return .answered(finish(review, snapshot: ClusterSnapshot()))
        }
        if let snapshot = cluster.cachedSnapshot(around: object, namespace: namespace) {
            return .answered(finish(review, snapshot: snapshot))
        }
        return .waiting(PendingReview(controller: self, review: review, object: object, namespace: namespace))
    }

    /// A parsed request and what it asks of the engine.
    fileprivate struct Prepared: Sendable {
        let request: AdmissionRequest
        let endpoint: Endpoint
        let subject: Subject
        let start: ContinuousClock.Instant
    }

    private func malformed(_ error: AdmissionReviewError, endpoint: Endpoint) -> WebhookAnswer {
        metrics.recordRequest(endpoint: endpoint, operation: nil, decision: .invalid, duration: .zero)
        logger.warning(
            "malformed admission request",
            metadata: [
                "endpoint": .string(endpoint.rawValue), "error": .string(error.description),
                "uid": .string(error.uid ?? ""),
            ])
        return WebhookAnswer(status: 400, body: statusBody(code: 400, reason: "BadRequest", message: "hpaguard: \(error)"))
    }

    private func finish(_ review: Prepared, snapshot: ClusterSnapshot) -> WebhookAnswer {
        let (request, endpoint) = (review.request, review.endpoint)
        var outcome = decide(request, endpoint: endpoint, subject: review.subject, snapshot: snapshot)
        let elapsed = ContinuousClock.now - review.start
        metrics.recordRequest(endpoint: endpoint, operation: request.operation, decision: outcome.decision, duration: elapsed)
        for finding in outcome.findings { metrics.recordFinding(rule: finding.rule, severity: finding.severity.rawValue) }
        var metadata: Logger.Metadata = [
            "uid": .string(request.uid), "endpoint": .string(endpoint.rawValue),
            "operation": .string(request.operation.rawValue), "object": .string(outcome.objectName ?? request.kind),
            "decision": .string(outcome.decision.rawValue), "dry_run": .stringConvertible(request.dryRun),
            "duration_ms": .stringConvertible((Double(elapsed.nanoseconds) / 1e4).rounded() / 100),
        ]
        if !outcome.descriptions.isEmpty {
            metadata["findings"] = .array(outcome.descriptions.map { .string($0) })
        }
        if !outcome.lookupWarnings.isEmpty { metadata["not_checked"] = .array(outcome.lookupWarnings.map { .string($0) }) }
        if let note = outcome.note { metadata["note"] = .string(note) }
        logger.info("review", metadata: metadata)
        outcome.response = outcome.response.isEmpty ? AdmissionReview.response(uid: request.uid, allowed: true) : outcome.response
        return WebhookAnswer(status: 200, body: outcome.response)
    }

    fileprivate struct Outcome: Sendable {
        var decision: AdmissionDecision
        var response: [UInt8] = []
        var findings: [Finding] = []
        /// Each finding as `[rule] path: text`, made once for the answer and the log line.
        var descriptions: [String] = []
        var lookupWarnings: [String] = []
        var objectName: String?
        var note: String?
    }

    /// What a request asks of the engine: nothing (passed untouched, with why), or a review of `object`, which may
    /// need the cluster around it.
    fileprivate enum Subject: Sendable {
        case pass(Outcome)
        case review(ManifestObject, namespace: String, needsCluster: Bool)
    }

    private func subject(of request: AdmissionRequest, endpoint: Endpoint) -> Subject {
        // DELETE and CONNECT carry no object to judge; subresources (status, scale) are not the spec hpaguard
        // checks; an object with a deletionTimestamp is on its way out and its finalizers must be removable.
        guard request.operation == .create || request.operation == .update, request.subResource == nil,
            var value = request.object
        else {
            return .pass(
                Outcome(decision: .allowed, note: "not reviewed: \(request.operation.rawValue)\(request.subResource.map { " /\($0)" } ?? "")"))
        }
        // On CREATE the namespace often comes from the URL only; exemptions and lookups need it on the object.
        if let namespace = request.namespace, value["metadata"]?["namespace"] == nil {
            value.set(.string(namespace), at: "/metadata/namespace")
        }
        let object = ManifestObject(value: value, file: "<admission request \(request.uid)>")
        if request.operation == .update, let deleted = value["metadata"]?["deletionTimestamp"], !deleted.isNull {
            return .pass(
                Outcome(decision: .allowed, objectName: object.reference.displayName, note: "not reviewed: the object is being deleted"))
        }
        let isHPA = HPA.isHPA(object)
        let needsCluster = isHPA && (endpoint == .validate || mutator.needsTarget)
        return .review(object, namespace: request.namespace ?? object.namespace ?? "default", needsCluster: needsCluster)
    }

    private func decide(_ request: AdmissionRequest, endpoint: Endpoint, subject: Subject, snapshot: ClusterSnapshot) -> Outcome {
        let object: ManifestObject
        switch subject {
        case .pass(let outcome): return outcome
        case .review(let reviewed, _, _): object = reviewed
        }
        let resolver = SnapshotResolver(snapshot: snapshot, reviewed: object, kinds: engine.policy.settings.workloadKinds)
        switch endpoint {
        case .validate: return validate(object, request: request, resolver: resolver, snapshot: snapshot)
        case .mutate: return mutate(object, request: request, resolver: resolver, snapshot: snapshot)
        }
    }

    /// Error findings deny, unless the stored object of an UPDATE has the same one; warnings become admission
    /// warnings after what could not be checked.
    private func validate(
        _ object: ManifestObject, request: AdmissionRequest, resolver: SnapshotResolver, snapshot: ClusterSnapshot
    ) -> Outcome {
        let name = object.reference.displayName
        // The stored object is built when a custom rule reads it, or for a denial of an UPDATE; at most once.
        let storedForRules = readsOldObject ? request.oldObject?.decode() : nil
        var attributes = AdmissionAttributes(
            operation: request.operation.rawValue, uid: request.uid, userInfo: request.userInfo, dryRun: request.dryRun,
            oldObject: storedForRules, namespaceObject: snapshot.namespaceObject)
        let findings = engine.evaluate(object, resolver: resolver, attributes: attributes).sorted(by: Finding.reportOrder)
        var ratcheted: Set<Int> = []
        if request.operation == .update, findings.contains(where: { $0.severity == .error }),
            let old = storedForRules ?? request.oldObject?.decode()
        {
            // An UPDATE is not denied for an error the stored object already has (same rule, same place):
            // otherwise an HPA created before hpaguard, or before a policy change, could not even be relabelled.
            // Custom rules see the stored object compared with itself: a transition rule holds for it.
            let oldObject = ManifestObject(value: old, file: object.file)
            attributes.oldObject = old
            let existing = Set(engine.evaluate(oldObject, resolver: resolver, attributes: attributes)
                .filter { $0.severity == .error }
                .map { "\($0.rule) \($0.path?.description ?? "")" })
            for (index, finding) in findings.enumerated()
            where finding.severity == .error && existing.contains("\(finding.rule) \(finding.path?.description ?? "")") {
                ratcheted.insert(index)
            }
        }
        let descriptions = findings.map(Self.describe)
        let errors = findings.indices.filter { findings[$0].severity == .error && !ratcheted.contains($0) }
        // What could not be checked first: the list is cut at the API server's budget, and these say why a
        // check may be missing.
        let warnings = snapshot.warnings
            + findings.indices.filter { findings[$0].severity == .warning || ratcheted.contains($0) }
            .map { ratcheted.contains($0) ? "(already stored) " + descriptions[$0] : descriptions[$0] }
        let allowed = errors.isEmpty
        let denial = allowed ? nil : Self.denial(errors.map { descriptions[$0] }, object: name)
        let status = denial.map { (code: 403, reason: "Forbidden", message: $0) }
        return Outcome(
            decision: allowed ? .allowed : .denied,
            response: AdmissionReview.response(
                uid: request.uid, allowed: allowed, status: status, warnings: Self.limit(warnings)),
            findings: findings, descriptions: descriptions, lookupWarnings: snapshot.warnings, objectName: name)
    }

    /// The mutator's JSON Patch when it applies and is idempotent; no patch when there is nothing to change or the
    /// patch is dropped (an admission answer never fails a request over a mutation).
    private func mutate(
        _ object: ManifestObject, request: AdmissionRequest, resolver: SnapshotResolver, snapshot: ClusterSnapshot
    ) -> Outcome {
        let name = object.reference.displayName
        let mutation = mutator.mutations(of: object, resolver: resolver)
        let warnings = Self.limit(snapshot.warnings + mutation.warnings)
        switch MutationPlanner.plan(object: object, operations: mutation.operations, mutator: mutator, resolver: resolver) {
        case .unchanged:
            return Outcome(
                decision: .unchanged,
                response: warnings.isEmpty ? [] : AdmissionReview.response(uid: request.uid, allowed: true, warnings: warnings),
                lookupWarnings: snapshot.warnings, objectName: name)
        case .patch(let operations):
            return Outcome(
                decision: .patched,
                response: AdmissionReview.response(
                    uid: request.uid, allowed: true, warnings: warnings, patch: Array(JSONPatch.serialize(operations).utf8)),
                lookupWarnings: snapshot.warnings, objectName: name,
                note: mutation.explanations.isEmpty
                    ? operations.map { "\($0.op.rawValue) \($0.path)" }.joined(separator: ", ")
                    : mutation.explanations.joined(separator: "; "))
        case .rejected(let reason):
            logger.error("mutation dropped", metadata: ["uid": .string(request.uid), "reason": .string(reason)])
            return Outcome(decision: .unchanged, objectName: name, note: reason)
        }
    }

    // MARK: - Messages

    /// `[rule] /spec/maxReplicas: text`, the form every finding takes in denials, warnings and logs.
    static func describe(_ finding: Finding) -> String {
        let path = finding.path?.description ?? ""
        return "[\(finding.rule)] \(path.isEmpty ? "(object)" : path): \(finding.message)"
    }

    /// The denial of `errors` (described, in report order).
    static func denial(_ errors: [String], object: String) -> String {
        let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        var message = "hpaguard: \(object): \(count): "
        for (index, error) in errors.enumerated() {
            let item = (index == 0 ? "" : "; ") + error
            if message.utf8.count + item.utf8.count > maxDenialMessage {
                message += "; and \(errors.count - index) more"
                break
            }
            message += item
        }
        return message
    }

    /// `text` cut after its first `count` bytes, and "...", when those bytes and the one after them are ASCII
    /// without CR: each of them is then a character, and the cut falls between two (of ASCII, only CR LF is one
    /// character of two bytes). Read in place, a word at a time: the warnings of every review are cut with it.
    private static func asciiCut(_ text: String, after count: Int) -> String? {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > count else { return nil }
            var offset = 0
            while offset + 8 <= count + 1 {
                let word = ByteWord(base, at: offset)
                guard word.nonASCII | word.equal(to: 0x0D) == 0 else { return nil }
                offset += 8
            }
            while offset <= count {
                guard base[offset] < 0x80, base[offset] != 0x0D else { return nil }
                offset += 1
            }
            return String(unsafeUninitializedCapacity: count + 3) { cut in
                _ = cut.initialize(from: UnsafeBufferPointer(start: base, count: count))
                for dot in count..<(count + 3) { cut[dot] = UInt8(ascii: ".") }
                return count + 3
            }
        }
    }

    /// Each warning cut to 120 characters, the list cut before 4000 characters in all with a last "N more".
    static func limit(_ warnings: [String]) -> [String] {
        var result: [String] = []
        var total = 0
        for (index, warning) in warnings.enumerated() {
            // Bytes first: never fewer than characters, and counting characters walks grapheme clusters. In ASCII
            // without CR (CRLF is one character) a byte is a character: cut by bytes, no walk.
            let cut: String
            if warning.utf8.count <= maxWarningLength {
                cut = warning
            } else if let head = asciiCut(warning, after: maxWarningLength - 3) {
                cut = head
            } else {
                cut = warning.count <= maxWarningLength ? warning : String(warning.prefix(maxWarningLength - 3)) + "..."
            }
            if total + cut.utf8.count > maxWarningTotal - 40 {
                result.append("hpaguard: \(warnings.count - index) more warnings not shown")
                break
            }
            total += cut.utf8.count
            result.append(cut)
        }
        return result
    }
}
