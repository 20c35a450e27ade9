import Foundation
import Testing

/// What ArgumentParser generates for users' shells: completion scripts, the man page, and `--version`.
@Suite("Shell completion, man page, --version")
struct ShellCompletionTests {
    @Test("--generate-completion-script writes a script each shell accepts", arguments: ["bash", "zsh", "fish"])
    func completionScript(shell: String) async throws {
        let result = try await Shell.bash("hpaguard --generate-completion-script \(shell)")
        #expect(result.status == 0, "\(result)")
        for word in ["lint", "mutate", "rules", "explain", "fail-on", "kube-version"] {
            #expect(result.stdout.contains(word), "the \(shell) script does not offer \(word)")
        }
        let folder = try Shell.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // zsh finds completion functions by file name (`_hpaguard` in $fpath).
        let script = folder.appendingPathComponent(shell == "zsh" ? "_hpaguard" : "hpaguard.\(shell)")
        try result.stdout.write(to: script, atomically: true, encoding: .utf8)
        try await Shell.requireTool(shell, install: "apt-get install -y \(shell)")
        let completed: Shell.Result
        switch shell {
        case "bash":
            // Loaded into bash, it completes `hpaguard li` to `lint` and `hpaguard lint --fa` to `--fail-on`.
            completed = try await Shell.bash("""
                source \(Shell.quote(script.path))
                function complete_words() {
                    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                    COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
                    COMPREPLY=()
                    _hpaguard hpaguard "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                    printf '%s\\n' "${COMPREPLY[@]}"
                }
                echo "subcommands:"; complete_words hpaguard li
                echo "options:"; complete_words hpaguard lint --fa
                """)
        case "fish":
            completed = try await Shell.bash("""
                fish --no-config -c 'source \(script.path); echo subcommands:; complete -C "hpaguard li" | cut -f1; \
                echo options:; complete -C "hpaguard lint --fa" | cut -f1'
                """)
        default:
            // zsh: the script parses, and compinit registers it as hpaguard's completion.
            completed = try await Shell.bash("""
                zsh -n \(Shell.quote(script.path))
                zsh -f -c 'fpath=(\(folder.path) $fpath); autoload -Uz compinit; compinit -u -D; \
                print -r -- "registered: ${_comps[hpaguard]}"'
                """)
            #expect(completed.status == 0, "\(completed)")
            #expect(completed.stdout == "registered: _hpaguard\n", "\(completed)")
            return
        }
        #expect(completed.status == 0, "\(completed)")
        #expect(completed.stdout.contains("subcommands:\nlint\n"), "\(completed)")
        #expect(completed.stdout.contains("options:\n--fail-on\n"), "\(completed)")
    }

    @Test("--version prints the version and the default --kube-version")
    func version() async throws {
        let result = try await Shell.bash("hpaguard --version")
        #expect(result.status == 0, "\(result)")
        let line = result.stdout.trimmingCharacters(in: .newlines)
        #expect(line.wholeMatch(of: /hpaguard \d+\.\d+\.\d+ \(default --kube-version 1\.\d+\)/) != nil, "\(result)")
        let lint = try await Shell.bash("hpaguard lint --help")
        #expect(lint.stdout.contains("--kube-version"), "\(lint)")
    }

    /// `swift package plugin generate-manual` builds ArgumentParser's generate-manual-tool beside hpaguard and runs it
    /// on the binary. The plugin itself cannot run inside `swift test` (both take the package's build lock), so
    /// scripts/test.sh runs the plugin before the tests and this test runs the tool it built on the current binary.
    @Test("the generate-manual plugin's tool writes hpaguard.1 with every subcommand, and groff renders it")
    func manualPage() async throws {
        let tool = try #require(Shell.binFolder?.appendingPathComponent("generate-manual-tool"))
        try #require(FileManager.default.isExecutableFile(atPath: tool.path), """
            \(tool.path) is missing: run `swift package plugin generate-manual` once (scripts/test.sh does), which \
            builds it
            """)
        let output = try Shell.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try await Shell.bash(
            "\(Shell.quote(tool.path)) \"$(command -v hpaguard)\" --multi-page --output-directory \(Shell.quote(output.path))")
        #expect(result.status == 0, "\(result)")
        let page = try String(contentsOf: output.appendingPathComponent("hpaguard.1"), encoding: .utf8)
        #expect(page.contains(".Dt HPAGUARD 1"), "\(page.prefix(400))")
        for subcommand in ["lint", "mutate", "rules", "explain"] {
            #expect(page.contains(subcommand), "hpaguard.1 does not mention \(subcommand)")
            let subpage = output.appendingPathComponent("hpaguard.\(subcommand).1")
            #expect(FileManager.default.fileExists(atPath: subpage.path), "no page for hpaguard \(subcommand)")
        }
        let lint = try String(contentsOf: output.appendingPathComponent("hpaguard.lint.1"), encoding: .utf8)
        #expect(lint.contains("--fail-on") || lint.contains("Fl -fail-on"), "\(lint.prefix(600))")
        // The page renders without a warning through groff, man's formatter.
        try await Shell.requireTool("groff", install: "apt-get install -y groff-base")
        let rendered = try await Shell.bash("""
            groff -mandoc -Tutf8 -ww -z \(Shell.quote(output.appendingPathComponent("hpaguard.1").path)) 2>&1
            """)
        #expect(rendered.status == 0 && rendered.stdout.isEmpty, "\(rendered)")
    }
}
