import Engine
import Foundation
import Manifests

/// How to reach the Kubernetes API: server URL, trust, and credentials.
///
/// Built from the in-cluster service account or from a kubeconfig's current context. Exactly the auth methods a
/// webhook can use without running other programs: bearer token (inline or file) and client certificate.
public struct KubeAPIConfig: Sendable {
    public var server: String
    /// PEM trust roots for the API server's certificate; nil means the system roots.
    public var certificateAuthorityPEM: [UInt8]?
    public var insecureSkipTLSVerify = false
    public var token: String?
    /// Re-read periodically: projected service-account tokens rotate.
    public var tokenFile: String?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// `tls-server-name`: the name the API server's certificate is checked against (and asked for by SNI) when
    /// `server` reaches it by another name or an IP address.
    public var tlsServerName: String?
    /// `proxy-url`: the proxy the API server is reached through.
    public var proxy: Proxy?
    /// Where this came from, for the start-up log ("in-cluster", "kubeconfig F, context C").
    public var source: String
    /// The context's namespace (or the service account's), which `audit` reads without --namespace.
    public var namespace: String?

    public init(server: String, source: String) {
        self.server = server
        self.source = source
    }

    /// The proxies client-go's `proxy-url` names that hpaguard can use.
    public enum Proxy: Sendable, Equatable {
        /// `http://[user:password@]host[:port]`: HTTP CONNECT, with basic proxy authorization when given.
        case http(host: String, port: Int, user: String?, password: String?)
        /// `socks5://host[:port]`.
        case socks5(host: String, port: Int)
    }
}

/// A kubeconfig or in-cluster setting hpaguard cannot use: a start-up error with this message.
public struct KubeConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

public enum KubeConfigLoader {
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The current context of the kubeconfig at `path`, or the context named `context`.
    public static func load(kubeconfig path: String, context: String? = nil) throws(KubeConfigError) -> KubeAPIConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeConfigError("\(path): cannot read the kubeconfig")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(Array(data), file: path, directory: directory, context: context)
    }

    /// The kubeconfig kubectl would read without --kubeconfig: the first file of `$KUBECONFIG`, else
    /// `~/.kube/config` when it exists; nil when neither does.
    public static func defaultKubeconfig(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first(where: { !$0.isEmpty }) {
            return String(first)
        }
        guard let home = environment["HOME"] else { return nil }
        let path = home + "/.kube/config"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Parses kubeconfig text; relative file references are taken from `directory`, as kubectl does.
    public static func parse(
        _ bytes: [UInt8], file: String, directory: String, context requested: String? = nil
    ) throws(KubeConfigError) -> KubeAPIConfig {
        let root: JSONValue
        do {
            root = try YAMLValueLoader.load(bytes)
        } catch {
            throw KubeConfigError("\(file): not a valid kubeconfig: \(error)")
        }
        guard root.objectValue != nil else { throw KubeConfigError("\(file): not a kubeconfig (no mapping at the top)") }
        guard let contextName = requested ?? root["current-context"]?.stringValue, !contextName.isEmpty else {
            throw KubeConfigError("\(file): no current-context is set (kubectl config use-context NAME)")
        }
        guard let context = named(root["contexts"], contextName)?["context"] else {
            throw KubeConfigError(
                "\(file): \(requested == nil ? "current-context" : "context") \"\(contextName)\" is not among its contexts")
        }
        guard let clusterName = context["cluster"]?.stringValue,
            let cluster = named(root["clusters"], clusterName)?["cluster"]
        else {
            throw KubeConfigError("\(file): context \"\(contextName)\" names no cluster that the file defines")
        }
        guard let server = cluster["server"]?.stringValue, !server.isEmpty else {
            throw KubeConfigError("\(file): cluster \"\(clusterName)\" has no server")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw KubeConfigError("\(file): cluster \"\(clusterName)\": server \(server) is not an http(s) URL")
        }
        var config = KubeAPIConfig(
            server: String(server.reversed().drop { $0 == "/" }.reversed()),
            source: "kubeconfig \(file), context \(contextName)")
        config.insecureSkipTLSVerify = cluster["insecure-skip-tls-verify"]?.boolValue ?? false
        config.namespace = context["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let what = "cluster \"\(clusterName)\""
        if let name = cluster["tls-server-name"]?.stringValue, !name.isEmpty { config.tlsServerName = name }
        if let proxyURL = cluster["proxy-url"]?.stringValue, !proxyURL.isEmpty {
            config.proxy = try proxy(proxyURL, what: what, kubeconfig: file)
            if config.tlsServerName != nil {
                throw KubeConfigError(
                    "\(file): \(what) sets both proxy-url and tls-server-name, which hpaguard cannot combine; "
                        + "drop tls-server-name and name the server as its certificate does")
            }
        }
        config.certificateAuthorityPEM = try material(
            cluster, data: "certificate-authority-data", file: "certificate-authority", in: directory, what: what,
            kubeconfig: file)

        let userName = context["user"]?.stringValue ?? ""
        let user = named(root["users"], userName)?["user"] ?? .object(JSONObject())
        let who = "user \"\(userName)\""
        if let exec = user["exec"], !exec.isNull {
            let command = exec["command"]?.stringValue ?? "?"
            throw KubeConfigError(
                "\(file): \(who) authenticates with an exec credential plugin (\(command)), which hpaguard does not "
                    + "run; give it a token, a tokenFile or a client certificate (a ServiceAccount token works)")
        }
        if let provider = user["auth-provider"], !provider.isNull {
            throw KubeConfigError(
                "\(file): \(who) uses the auth-provider \"\(provider["name"]?.stringValue ?? "?")\", which hpaguard "
                    + "does not support; give it a token, a tokenFile or a client certificate")
        }
        if user["username"]?.stringValue != nil || user["password"]?.stringValue != nil {
            throw KubeConfigError("\(file): \(who) uses basic authentication, which Kubernetes no longer supports")
        }
        config.token = user["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if let tokenFile = user["tokenFile"]?.stringValue, !tokenFile.isEmpty {
            config.tokenFile = resolve(tokenFile, in: directory)
            guard FileManager.default.isReadableFile(atPath: config.tokenFile ?? "") else {
                throw KubeConfigError("\(file): \(who): cannot read tokenFile \(tokenFile)")
            }
        }
        config.clientCertificatePEM = try material(
            user, data: "client-certificate-data", file: "client-certificate", in: directory, what: who, kubeconfig: file)
        config.clientKeyPEM = try material(
            user, data: "client-key-data", file: "client-key", in: directory, what: who, kubeconfig: file)
        if (config.clientCertificatePEM == nil) != (config.clientKeyPEM == nil) {
            throw KubeConfigError("\(file): \(who) has a client certificate or key but not both")
        }
        return config
    }

    /// client-go's proxy-url: http and socks5 proxies (https proxies and SOCKS authentication are a start-up error).
    /// Messages show the URL without its credentials.
    static func proxy(_ text: String, what: String, kubeconfig: String) throws(KubeConfigError) -> KubeAPIConfig.Proxy {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host,
            !host.isEmpty
        else {
            throw KubeConfigError("\(kubeconfig): \(what): proxy-url is not a URL with a host")
        }
        var withoutCredentials = url
        withoutCredentials.user = nil
        withoutCredentials.password = nil
        let shown = withoutCredentials.string ?? "\(scheme)://\(host)"
        switch scheme {
        case "http":
            return .http(host: host, port: url.port ?? 80, user: url.user, password: url.password)
        case "socks5":
            guard url.user == nil else {
                throw KubeConfigError("\(kubeconfig): \(what): proxy-url \(shown): SOCKS authentication is not supported")
            }
            return .socks5(host: host, port: url.port ?? 1080)
        default:
            throw KubeConfigError(
                "\(kubeconfig): \(what): proxy-url \(shown): hpaguard supports http:// and socks5:// proxies, not \(scheme)")
        }
    }

    /// The in-cluster configuration, or nil when not running in a pod (no `KUBERNETES_SERVICE_HOST`).
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = serviceAccountDirectory
    ) throws(KubeConfigError) -> KubeAPIConfig? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else { return nil }
        let port = environment["KUBERNETES_SERVICE_PORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "443"
        let hostPart = host.contains(":") ? "[\(host)]" : host  // an IPv6 service address
        var config = KubeAPIConfig(server: "https://\(hostPart):\(port)", source: "in-cluster service account")
        let tokenFile = serviceAccountDirectory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenFile) else {
            throw KubeConfigError(
                "KUBERNETES_SERVICE_HOST is set but \(tokenFile) cannot be read (automountServiceAccountToken: false?)")
        }
        config.tokenFile = tokenFile
        guard let ca = FileManager.default.contents(atPath: serviceAccountDirectory + "/ca.crt") else {
            throw KubeConfigError("KUBERNETES_SERVICE_HOST is set but \(serviceAccountDirectory)/ca.crt cannot be read")
        }
        config.certificateAuthorityPEM = Array(ca)
        config.namespace = FileManager.default.contents(atPath: serviceAccountDirectory + "/namespace")
            .flatMap { String(data: $0, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines) }
        return config
    }

    /// The entry of a kubeconfig list (`clusters`, `users`, `contexts`) with `name`.
    private static func named(_ list: JSONValue?, _ name: String) -> JSONValue? {
        list?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    private static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// PEM bytes from `<x>-data` (base64) or the file `<x>` names.
    private static func material(
        _ section: JSONValue, data dataKey: String, file fileKey: String, in directory: String, what: String,
        kubeconfig: String
    ) throws(KubeConfigError) -> [UInt8]? {
        if let encoded = section[dataKey]?.stringValue, !encoded.isEmpty {
            guard let decoded = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                throw KubeConfigError("\(kubeconfig): \(what): \(dataKey) is not base64")
            }
            return Array(decoded)
        }
        if let path = section[fileKey]?.stringValue, !path.isEmpty {
            guard let contents = FileManager.default.contents(atPath: resolve(path, in: directory)) else {
                throw KubeConfigError("\(kubeconfig): \(what): cannot read \(fileKey) \(path)")
            }
            return Array(contents)
        }
        return nil
    }
}
