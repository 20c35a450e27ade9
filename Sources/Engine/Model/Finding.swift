/// How much a finding matters; the order is the order of `--fail-on`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A place in a file: 1-based line and column.
public struct SourcePosition: Sendable, Hashable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// The identity of a Kubernetes object as a report names it.
public struct ObjectReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String?

    public init(apiVersion: String, kind: String, namespace: String?, name: String?) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// "HorizontalPodAutoscaler ml/vllm" or "HorizontalPodAutoscaler vllm".
    public var displayName: String {
        // One interpolation: every review's answer and log line name the object.
        switch (namespace, name) {
        case (let namespace?, let name?): return "\(kind) \(namespace)/\(name)"
        case (let only?, nil), (nil, let only?): return only.isEmpty ? kind : "\(kind) \(only)"
        case (nil, nil): return kind
        }
    }
}

/// Where the object of a finding was read.
public enum FindingSource: String, Sendable, Hashable {
    /// A file or standard input (`lint`, `mutate`, the webhook's review).
    case file
    /// The Kubernetes API (`audit`): the finding's `file` is the object's `namespace/name`, and it has no line.
    case cluster
}

/// One thing hpaguard has to say about one object (or one file, for syntax findings).
public struct Finding: Sendable, Hashable {
    public var rule: String
    public var severity: Severity
    public var message: String
    /// The file as named on the command line, `<stdin>`, or the admission request.
    public var file: String
    public var position: SourcePosition?
    /// A JSON pointer into the object as written (nil for syntax findings).
    public var path: JSONPointer?
    public var object: ObjectReference?
    public var source: FindingSource

    public init(
        rule: String, severity: Severity, message: String, file: String, position: SourcePosition? = nil,
        path: JSONPointer? = nil, object: ObjectReference? = nil, source: FindingSource = .file
    ) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.file = file
        self.position = position
        self.path = path
        self.object = object
        self.source = source
    }

    /// The report order: file, line, column, rule.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        let left = lhs.position ?? SourcePosition(line: 0, column: 0)
        let right = rhs.position ?? SourcePosition(line: 0, column: 0)
        if left != right { return left < right }
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        return lhs.message < rhs.message
    }
}
