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

extension ManifestCollector {
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot read: \(reason)" }
    }

    /// Reads every input, files on all cores, each at most one byte past the loader's size limit: a larger input is
    /// refused by the loader, and reading no more keeps memory bounded whatever is piped in or named.
    public static func read(
        _ inputs: [Input], limits: LoaderLimits = .default
    ) throws(ReadError) -> [(name: String, bytes: [UInt8])] {
        let cap = limits.maxFileBytes + 1
        let results = concurrentMap(inputs) { input -> Result<[UInt8], ReadError> in
            guard let url = input.fileURL else {
                let data = (try? FileHandle.standardInput.read(upToCount: cap)) ?? nil
                return .success([UInt8](data ?? Data()))
            }
            return readFile(url.path, display: input.displayPath, cap: cap)
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

    private static func readFile(_ path: String, display: String, cap: Int) -> Result<[UInt8], ReadError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadError(path: display, reason: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var info = stat()
        let sizeHint = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 65_536
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(sizeHint, cap) + 1)
        var chunk = [UInt8](repeating: 0, count: min(max(sizeHint, 4096), cap, 1 << 20))
        while bytes.count < cap {
            let wanted = min(chunk.count, cap - bytes.count)
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, wanted) }
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
