import Foundation
import Testing
import TestSupport

/// Runs the real clients (bash, git, kubectl, pre-commit, python3) the way a user's shell would, with the built
/// `hpaguard` first on PATH. A missing client fails the test that needs it: nothing here skips.
enum Shell {
    /// The repository root, from this file's place in it.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let testdata = repositoryRoot.appendingPathComponent("testdata")

    /// The folder holding the `hpaguard` executable `swift build` made (beside the test bundle, or .build/debug).
    static let binFolder: URL? = {
        var folders: [URL] = []
        for start in [Bundle.main.executableURL, Bundle.main.bundleURL].compactMap({ $0 }) {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<4 {
                folders.append(folder)
                folder = folder.deletingLastPathComponent()
            }
        }
        folders.append(repositoryRoot.appendingPathComponent(".build/debug"))
        return folders.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("hpaguard").path) }
    }()

    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)" }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The environment of every command: this process's, with hpaguard's folder first on PATH, no colour, and git
    /// identity and configuration that do not depend on the machine.
    static func environment(_ extra: [String: String] = [:]) throws -> [String: String] {
        guard let binFolder else { throw Failure(description: "no built hpaguard: run `swift build` first") }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binFolder.path + ":" + (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        environment["NO_COLOR"] = "1"
        environment["GIT_AUTHOR_NAME"] = "hpaguard tests"
        environment["GIT_AUTHOR_EMAIL"] = "tests@hpaguard.invalid"
        environment["GIT_COMMITTER_NAME"] = "hpaguard tests"
        environment["GIT_COMMITTER_EMAIL"] = "tests@hpaguard.invalid"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Runs `script` with `bash -euo pipefail -c` in `directory`; output goes through files so a large output cannot
    /// stall the child, and a run longer than `timeout` seconds is killed and fails the test.
    static func bash(
        _ script: String, in directory: URL = repositoryRoot, environment extra: [String: String] = [:],
        stdin: String? = nil, timeout: TimeInterval = 120, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Result {
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let files = ["stdin", "stdout", "stderr"].map { scratch.appendingPathComponent($0) }
        for (index, file) in files.enumerated() {
            _ = FileManager.default.createFile(atPath: file.path, contents: index == 0 ? Data((stdin ?? "").utf8) : nil)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-euo", "pipefail", "-c", script]
        process.currentDirectoryURL = directory
        process.environment = try environment(extra)
        let input = try FileHandle(forReadingFrom: files[0])
        let output = try FileHandle(forWritingTo: files[1])
        let error = try FileHandle(forWritingTo: files[2])
        defer { [input, output, error].forEach { try? $0.close() } }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        if await !process.exited(within: .milliseconds(Int(timeout * 1000))) {
            Issue.record("`\(script)` did not end within \(Int(timeout)) s", sourceLocation: sourceLocation)
        }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: files[1]), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: files[2]), as: UTF8.self))
    }

    /// Fails the test unless `tool` is on PATH; `install` says how scripts/install-test-tools.sh installs it.
    static func requireTool(_ tool: String, install: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let found = try await bash("command -v \(tool)", sourceLocation: sourceLocation)
        try #require(
            found.status == 0, "\(tool) is not installed (scripts/install-test-tools.sh installs it: \(install))",
            sourceLocation: sourceLocation)
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hpaguard-integration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Single-quotes `text` for bash.
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
