/// Bounds on what one file may cost to load; each is reported as a `syntax-error` finding when crossed.
public struct LoaderLimits: Sendable {
    /// Larger files are not parsed. Kubernetes objects are at most ~1.5 MiB; rendered charts stay well below this.
    public var maxFileBytes: Int = 16 << 20
    /// Deeper nesting is refused (Kubernetes' own JSON decoder stops at 10,000; real manifests stay under 30).
    public var maxDepth: Int = 512
    /// Nodes one document may expand to, aliases counted at their full size (the "billion laughs" guard).
    public var maxNodesPerDocument: Int = 1_000_000

    public init() {}

    public static let `default` = LoaderLimits()
}
