/// Bounds on what one document may cost to load; each is reported as a `syntax-error` finding at the document when
/// crossed, and the rest of the stream is still read.
///
/// The limits are per document, not per file: `helm template` of an umbrella chart or `kubectl kustomize` of a whole
/// platform is a stream of any length, read one document at a time.
public struct LoaderLimits: Sendable {
    /// Larger documents are not parsed. A Kubernetes object is at most ~1.5 MiB (etcd's request limit); a `List` from
    /// `kubectl get -o yaml` of a large namespace is the largest document real inputs hold.
    public var maxDocumentBytes: Int = 64 << 20
    /// Deeper nesting is refused (Kubernetes' own JSON decoder stops at 10,000; real manifests stay under 30).
    public var maxDepth: Int = 512
    /// Nodes one document may expand to, aliases counted at their full size (the "billion laughs" guard).
    public var maxNodesPerDocument: Int = 1_000_000

    public init() {}

    public static let `default` = LoaderLimits()
}
