import ArgumentParser
import Engine
import Foundation
import Manifests
import Reporters

@main
struct HPAGuard: AsyncParsableCommand {
    static let version = ToolIdentity.hpaguard.version

    static let configuration = CommandConfiguration(
        commandName: "hpaguard",
        abstract: "Validate and fix HorizontalPodAutoscalers for model serving, before they hurt.",
        discussion: """
            One rules engine behind two front ends: `hpaguard lint` for pre-commit hooks and CI gates, and \
            `hpaguard serve`, the admission webhook. The same policy gives the same verdict in both places.
            """,
        version: "hpaguard \(version) (default --kube-version \(KubeVersion.newestStable))",
        subcommands: [
            Lint.self, Mutate.self, Simulate.self, AuditCommand.self, RulesCommand.self, Explain.self, ProfilesCommand.self,
            Serve.self,
        ]
    )

    /// Runs the command line; usage errors exit 2, as the contract says (ArgumentParser's own default is 64).
    /// `serve` and `audit` are asynchronous; the other subcommands run on the main thread as they are.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure {
                exit(withError: error)
            }
            if let exitCode = error as? ExitCode {
                Foundation.exit(exitCode.rawValue)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(2)
        }
    }
}

/// Prints `report` in `format` on standard output and exits with its status (see `exitWithStatus(of:failOn:)`).
func printReportAndExit(_ report: LintReport, format: OutputFormat, failOn: Severity) -> Never {
    let colored = format == .text && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let output = format.reporter(colored: colored, failOn: failOn).renderBytes(report)
    // Written from where it is: a large tree's report is tens of megabytes, and a `Data` copy of it adds that much
    // to the run's peak memory.
    output.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return }
        FileHandle.standardOutput.write(
            Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none))
    }
    exitWithStatus(of: report, failOn: failOn)
}

/// Exits 1 when a finding of `report` is at or above `failOn`, else 0. Exits rather than unwinds: freeing every
/// loaded object on the way out is work nobody waits for.
func exitWithStatus(of report: LintReport, failOn: Severity) -> Never {
    Foundation.exit(report.count(atLeast: failOn) > 0 ? 1 : 0)
}

/// Prints to standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A failure that the user must fix (unreadable input, invalid policy): message on stderr, exit 2.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
}
