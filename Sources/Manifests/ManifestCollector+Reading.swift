import Engine
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
#else
private let systemRead = Darwin.read
#endif

/// An input of a lint run: a file, standard input, or bytes already read, read as a stream of documents.
public struct ManifestSource: Sendable {
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot read: \(reason)" }
    }

    private enum Origin: Sendable {
        case file(String)
        case standardInput
        case bytes([UInt8])
    }

    /// As findings name it: the path as given, `<stdin>`, or a test's name.
    public let name: String
    private let origin: Origin

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        origin = .bytes(bytes)
    }

    init(_ input: ManifestCollector.Input) {
        name = input.displayPath
        origin = input.filePath.map { .file($0) } ?? .standardInput
    }

    /// Loads the documents one at a time, handing each to `body` as a `LoadedFile` of its own (lines numbered as
    /// in the whole stream); only the document being read is held.
    func forEachDocument(limits: LoaderLimits, _ body: (LoadedFile) -> Void) throws(ReadError) {
        var splitter: DocumentSplitter
        var descriptor: Int32 = -1
        switch origin {
        case .bytes(let bytes): splitter = DocumentSplitter(bytes: bytes, maxDocumentBytes: limits.maxDocumentBytes)
        case .standardInput: splitter = DocumentSplitter(descriptor: STDIN_FILENO, maxDocumentBytes: limits.maxDocumentBytes)
        case .file(let path):
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw ReadError(path: name, reason: String(cString: strerror(errno))) }
            splitter = DocumentSplitter(descriptor: descriptor, maxDocumentBytes: limits.maxDocumentBytes)
        }
        defer { if descriptor >= 0 { close(descriptor) } }
        // Documents are parsed a batch at a time on all cores (a rendered stream is one input, so the files' own
        // concurrency does not help it) and handed to `body` in stream order; a batch is bounded in documents and
        // bytes, so memory stays that of a few documents.
        var batch: [DocumentChunk] = []
        var batchBytes = 0
        let name = name
        func flush() {
            let parts = concurrentMap(batch) { chunk in
                var part = LoadedFile(file: name)
                part.load(chunk, limits: limits)
                return part
            }
            parts.forEach(body)
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }
        while true {
            let chunk: DocumentChunk?
            do {
                chunk = try splitter.next()
            } catch {
                throw ReadError(path: name, reason: error.reason)
            }
            guard let chunk else { break }
            batch.append(chunk)
            batchBytes += chunk.bytes.count
            if batch.count >= Self.batchDocuments || batchBytes >= Self.batchBytes { flush() }
        }
        flush()
    }

    private static let batchDocuments = 256
    private static let batchBytes = 4 << 20
}

extension ManifestCollector.Input {
    /// This input as a stream for `Linter.lint`.
    public var source: ManifestSource { ManifestSource(self) }
}

extension ManifestCollector {
    public typealias ReadError = ManifestSource.ReadError

    /// Reads every input whole, files on all cores: for `--fix`, `--diff` and `mutate`, which rewrite or print the
    /// text. `lint` itself reads inputs as streams (`ManifestSource`).
    public static func read(_ inputs: [Input]) throws(ReadError) -> [(name: String, bytes: [UInt8])] {
        let results = concurrentMap(inputs) { input -> Result<[UInt8], ReadError> in
            guard let path = input.filePath else {
                let data = (try? FileHandle.standardInput.readToEnd()) ?? nil
                return .success([UInt8](data ?? Data()))
            }
            return readFile(path, display: input.displayPath)
        }
        var contents: [(name: String, bytes: [UInt8])] = []
        contents.reserveCapacity(inputs.count)
        for (input, result) in zip(inputs, results) {
            switch result {
            case .success(let bytes): contents.append((input.displayPath, bytes))
            case .failure(let error): throw error
            }
        }
        return contents
    }

    private static func readFile(_ path: String, display: String) -> Result<[UInt8], ReadError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadError(path: display, reason: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        let sizeHint = regularFileSize(of: descriptor) ?? 65_536
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sizeHint + 1)
        var chunk = [UInt8](repeating: 0, count: min(max(sizeHint, 4096), 1 << 20))
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(path: display, reason: String(cString: strerror(errno))))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(bytes)
    }
}
