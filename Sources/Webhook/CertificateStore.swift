import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The serving certificate and key, reloaded when their files change, read once per TLS connection.
///
/// cert-manager and the kubelet rotate a mounted Secret by writing a new timestamped directory and swapping the
/// `..data` symlink, so the paths stay the same and only what they resolve to changes. The store polls `stat` of
/// both paths (which follows the symlinks) and rebuilds the `NIOSSLContext` when device, inode, size or mtime
/// changed. A pair that does not load (a key that does not match its certificate half-way through a
/// non-atomic replacement) keeps the previous context and is retried at the next poll, so no handshake fails.
public final class CertificateStore: Sendable {
    public let certificateFile: String
    public let keyFile: String
    private struct State {
        var context: NIOSSLContext
        var signature: [Int64]
        var notAfter: Int
        var serial: [UInt8]
    }

    private let state: Mutex<State>
    private let onLoad: @Sendable (_ notAfter: Int) -> Void

    /// Loads the pair now; a start-up failure is an error (exit 2), later failures only keep the old pair.
    public init(certificateFile: String, keyFile: String, onLoad: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.onLoad = onLoad
        let signature = Self.signature(certificateFile, keyFile)
        let loaded = try Self.load(certificateFile: certificateFile, keyFile: keyFile)
        state = Mutex(State(context: loaded.context, signature: signature, notAfter: loaded.notAfter, serial: loaded.serial))
        onLoad(loaded.notAfter)
    }

    /// The context for a new connection.
    public var context: NIOSSLContext { state.withLock { $0.context } }
    public var notAfter: Int { state.withLock { $0.notAfter } }

    /// Reloads when the files changed. Returns true when a new pair is in use.
    @discardableResult
    public func reloadIfChanged(logger: Logger) -> Bool {
        let signature = Self.signature(certificateFile, keyFile)
        guard signature != state.withLock({ $0.signature }) else { return false }
        do {
            let loaded = try Self.load(certificateFile: certificateFile, keyFile: keyFile)
            state.withLock {
                $0 = State(context: loaded.context, signature: signature, notAfter: loaded.notAfter, serial: loaded.serial)
            }
            onLoad(loaded.notAfter)
            logger.info(
                "serving certificate reloaded",
                metadata: [
                    "serial": .string(loaded.serial.map { String(format: "%02x", $0) }.joined()),
                    "not_after": .stringConvertible(loaded.notAfter),
                ])
            return true
        } catch {
            logger.warning(
                "serving certificate not reloaded; the previous one stays in use",
                metadata: ["error": .string(String(describing: error)), "cert": .string(certificateFile)])
            return false
        }
    }

    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    static func load(certificateFile: String, keyFile: String) throws -> (context: NIOSSLContext, notAfter: Int, serial: [UInt8]) {
        guard let certificateBytes = FileManager.default.contents(atPath: certificateFile) else {
            throw LoadError(description: "\(certificateFile): cannot read the certificate")
        }
        guard let keyBytes = FileManager.default.contents(atPath: keyFile) else {
            throw LoadError(description: "\(keyFile): cannot read the key")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateBytes))
        } catch {
            throw LoadError(description: "\(certificateFile): not a PEM certificate (\(error))")
        }
        guard let leaf = chain.first else { throw LoadError(description: "\(certificateFile): no certificate in the file") }
        let key: NIOSSLPrivateKey
        do {
            // PEM_read_bio_PrivateKey: RSA PKCS#1, EC SEC1 and PKCS#8 alike.
            key = try NIOSSLPrivateKey(bytes: Array(keyBytes), format: .pem)
        } catch {
            throw LoadError(description: "\(keyFile): not a PEM private key (RSA, EC or PKCS#8) (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw LoadError(description: "\(certificateFile), \(keyFile): the key does not fit the certificate (\(error))")
        }
        return (context, Int(leaf.notValidAfter), leaf.serialNumber)
    }

    /// (device, inode, size, mtime) of both files after following symlinks; -1s when a file is missing.
    static func signature(_ paths: String...) -> [Int64] {
        paths.flatMap { path -> [Int64] in
            var info = stat()
            guard stat(path, &info) == 0 else { return [-1, -1, -1, -1, -1] }
            return [
                Int64(info.st_dev), Int64(info.st_ino), Int64(info.st_size), Int64(info.st_mtim.tv_sec),
                Int64(info.st_mtim.tv_nsec),
            ]
        }
    }
}

/// Polls the certificate files; a `Service` of the serve `ServiceGroup`.
struct CertificateWatcher: Service {
    let store: CertificateStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
            store.reloadIfChanged(logger: logger)
        }
    }
}
