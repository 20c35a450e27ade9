import Foundation
import Testing
import TestSupport

/// Runs the built `hpaguard` executable as a user would, for the CLI tests.
enum HPAGuardBinary {
    /// The repository root, from this file's place in it.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let testdata = repositoryRoot.appendingPathComponent("testdata")

    /// The executable `swift build` put beside the test bundle (`.build/debug/hpaguard`, or the same folder under a
    /// platform triple or another configuration).
    static let url: URL? = {
        var candidates: [URL] = []
        for start in [Bundle.main.executableURL, Bundle.main.bundleURL].compactMap({ $0 }) {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("hpaguard"))
                folder = folder.deletingLastPathComponent()
            }
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/hpaguard"))
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: url.path)
        }
    }()

    struct Result: CustomStringConvertible {
        var status: Int32
        /// True when the process ended on a signal (a crash), `status` then being the signal.
        var signaled: Bool
        var stdout: String
        var stderr: String
        var stdoutData: Data

        var description: String { "exit \(signaled ? "signal " : "")\(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }

        /// stdout parsed as one JSON object.
        func json() throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: stdoutData)
            return try #require(value as? [String: Any], "stdout is not a JSON object:\n\(stdout)")
        }
    }

    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "no hpaguard executable beside the tests or in .build/debug: run `swift build` first" }
    }

    /// Runs `hpaguard arguments` in `directory` (the repository root by default), with `stdin` as standard input.
    /// Output goes through files, so a large output cannot fill a pipe and stall the process; a run that does not
    /// end within `timeout` seconds is killed and fails the test.
    static func run(
        _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, timeout: TimeInterval = 120,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Result {
        guard let url else { throw NotBuilt() }
        return try await runProcess(url, arguments, stdin: stdin, in: directory ?? repositoryRoot, timeout: timeout,
                              sourceLocation: sourceLocation)
    }

    static func runProcess(
        _ executable: URL, _ arguments: [String], stdin: Data? = nil, in directory: URL, timeout: TimeInterval = 120,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hpaguard-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        if await !process.exited(within: .milliseconds(Int(timeout * 1000))) {
            Issue.record("hpaguard \(arguments.joined(separator: " ")) did not end within \(Int(timeout)) s", sourceLocation: sourceLocation)
        }
        let out = try Data(contentsOf: outURL)
        let err = try Data(contentsOf: errURL)
        return Result(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self), stdoutData: out)
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hpaguard-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
