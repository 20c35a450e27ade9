import Engine

/// REST paths of the objects hpaguard reads (the webhook's lookups, the audit's lists).
package enum ResourcePath {
    /// `/apis/apps/v1/namespaces/NS/deployments/NAME`, or nil when the reference cannot name an object.
    package static func object(apiVersion: String, kind: String, namespace: String, name: String) -> String? {
        let version = APIVersion(apiVersion)
        guard version.isValid, !version.version.isEmpty, !kind.isEmpty, isSegment(name), isSegment(namespace) else {
            return nil
        }
        return collection(apiVersion, plural(of: kind), namespace: namespace) + "/" + name
    }

    package static func list(_ apiVersion: String, _ resource: String, namespace: String) -> String {
        collection(apiVersion, resource, namespace: namespace) + "?limit=500"
    }

    /// The collection of `resource` in `namespace`, or across all namespaces when nil, without a query: what
    /// `KubeClient.list` pages through.
    package static func collection(_ apiVersion: String, _ resource: String, namespace: String?) -> String {
        let version = APIVersion(apiVersion)
        let prefix = version.group.isEmpty ? "/api/\(version.version)" : "/apis/\(version.group)/\(version.version)"
        guard let namespace else { return "\(prefix)/\(resource)" }
        return "\(prefix)/namespaces/\(namespace)/\(resource)"
    }

    /// The resource name of a kind, as the API server's RESTMapper guesses it (`UnsafeGuessKindToResource`).
    package static func plural(of kind: String) -> String {
        let lower = kind.lowercased()
        let irregular: [String: String] = ["endpoints": "endpoints"]
        if let known = irregular[lower] { return known }
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("z") || lower.hasSuffix("ch")
            || lower.hasSuffix("sh")
        {
            return lower + "es"
        }
        if lower.hasSuffix("y"), let beforeY = lower.dropLast().last, !"aeiou".contains(beforeY) {
            return lower.dropLast() + "ies"
        }
        return lower + "s"
    }

    /// A name that is safe as one path segment (the API server rejects the rest anyway).
    package static func isSegment(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253 && text != "." && text != ".."
            && text.unicodeScalars.allSatisfy { ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "-" || $0 == "." }
    }
}
