/// A Pods, Object or External metric name as hpaguard compares it: lowercased, and for the GKE form
/// `prometheus.googleapis.com|tgi_queue_size|gauge` the middle part, with the kind after it.
struct MetricName {
    let written: String
    let base: String
    /// `gauge`, `counter`, ... of the GKE pipe-delimited form; nil otherwise.
    let kind: String?

    init(_ written: String) {
        self.written = written
        // ASCII without the two `|` of the GKE form (nearly every name): the whole name, lowercased.
        if let pipes = written.withASCIIBytes({ $0.count { $0 == UInt8(ascii: "|") } }), pipes != 2 {
            base = written.lowercasedIfNeeded()
            kind = nil
            return
        }
        let parts = written.split(separator: "|", omittingEmptySubsequences: false)
        if parts.count == 3 {
            base = parts[1].lowercased()
            kind = parts[2].lowercased()
        } else {
            base = written.lowercased()
            kind = nil
        }
    }
}

extension HPA.Metric {
    /// True for a Resource or ContainerResource metric on `resource`.
    func isResource(_ resource: String) -> Bool {
        (type == MetricSourceType.resource.rawValue || type == MetricSourceType.containerResource.rawValue)
            && resourceName == resource
    }
}

extension ModelServer {
    /// The servers a container runs, as messages list them ("vllm", "tgi, triton").
    static func names(_ servers: some Sequence<ModelServer>) -> String {
        servers.map(\.rawValue).sorted().joined(separator: ", ")
    }
}
