import Foundation
import Testing

/// What the README and the docs point at must exist: relative links (and their anchors), the `hpaguard` subcommands
/// written in code, and the repository paths they name. A new user who copies a command or follows a link from them
/// must not land on nothing.
@Suite("Documentation links")
struct DocumentationLinksTests {
    static let root = HPAGuardBinary.repositoryRoot

    /// README.md, every docs/*.md, deploy/README.md and the READMEs of testdata/, as paths from the repository root.
    static let documents: [String] = {
        var paths = ["README.md", "deploy/README.md"]
        let files = FileManager.default
        let docs = (try? files.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        paths += docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        if let walk = files.enumerator(atPath: root.appendingPathComponent("testdata").path) {
            for case let path as String in walk where (path as NSString).lastPathComponent == "README.md" {
                paths.append("testdata/" + path)
            }
        }
        return paths.sorted()
    }()

    /// Pages being written in parallel with the docs that link them: a link to one is tolerated while it does not
    /// exist yet, and checked like any other once it does. Remove an entry when its page lands (none now).
    static let announcedFiles: Set<String> = []

    /// The subcommands `hpaguard --help` lists, and `help`, which ArgumentParser adds: asked once, for every test.
    static let subcommands = Task { () async throws -> Set<String> in
        let result = try await HPAGuardBinary.run(["--help"])
        return DocumentationChecker.subcommands(inHelp: result.stdout).union(["help"])
    }

    static func checker() async throws -> DocumentationChecker {
        DocumentationChecker(root: root, subcommands: try await subcommands.value, tolerated: announcedFiles)
    }

    @Test("every relative link resolves to a file of the repository, and every anchor to a heading of it",
          arguments: documents)
    func links(_ document: String) async throws {
        let problems = try await Self.checker().brokenLinks(in: document)
        #expect(problems.isEmpty, "\(document):\n\(problems.joined(separator: "\n"))")
    }

    @Test("every `hpaguard SUBCOMMAND` written in code names a subcommand of the built binary", arguments: documents)
    func commands(_ document: String) async throws {
        let problems = try await Self.checker().unknownSubcommands(in: document)
        #expect(problems.isEmpty, "\(document):\n\(problems.joined(separator: "\n"))")
    }

    @Test("every repository path mentioned (scripts/, bench/, Benchmarks/, testdata/, policies/, deploy/, ...) exists",
          arguments: documents)
    func paths(_ document: String) async throws {
        let problems = try await Self.checker().missingPaths(in: document)
        #expect(problems.isEmpty, "\(document):\n\(problems.joined(separator: "\n"))")
    }

    @Test("the documents checked include the README, the docs and the webhook's guide")
    func coverage() async throws {
        #expect(Self.documents.contains("README.md"))
        #expect(Self.documents.contains("deploy/README.md"))
        #expect(Self.documents.contains("docs/lint.md"))
        let subcommands = try await Self.subcommands.value
        #expect(subcommands.isSuperset(of: ["lint", "mutate", "serve", "rules", "explain", "profiles", "simulate"]),
                "\(subcommands)")
    }

    @Test("the checker finds a broken link, a missing anchor, an unknown subcommand and a missing path")
    func checkerCatchesMistakes() throws {
        let checker = DocumentationChecker(root: Self.root, subcommands: ["lint", "help"], tolerated: [])
        let text = """
            # Title

            See [lint](docs/lint.md), [a typo](docs/lnit.md), [an anchor](docs/lint.md#no-such-heading),
            [here](#title), [nowhere](#nowhere) and [the web](https://example.com/x.md).

            ```sh
            hpaguard lint deploy/    # fine
            hpaguard audit deploy/   # not a subcommand
            hpaguard --version
            ```

            Run `hpaguard simulate --trace t.csv` or `scripts/test.sh`; `bench/hostile-input.sh` is gone, while
            `bench/out/hostile/` is generated (ignored by git).
            """
        #expect(checker.brokenLinks(in: "README.md", text: text) == [
            "line 3: docs/lnit.md: no such file",
            "line 3: docs/lint.md#no-such-heading: no heading with that anchor in docs/lint.md",
            "line 4: #nowhere: no heading with that anchor in README.md",
        ])
        #expect(checker.unknownSubcommands(in: "README.md", text: text) == [
            "line 8: hpaguard audit: not a subcommand of hpaguard (help, lint)",
            "line 12: hpaguard simulate: not a subcommand of hpaguard (help, lint)",
        ])
        #expect(try checker.missingPaths(in: "README.md", text: text) == [
            "line 3: docs/lnit.md: no such file", "line 12: bench/hostile-input.sh: no such file",
        ])
    }

    @Test("anchors are GitHub's heading slugs")
    func slugs() {
        #expect(DocumentationChecker.slug("What `--fix` writes") == "what---fix-writes")
        #expect(DocumentationChecker.slug("kustomize, Helm and renderers") == "kustomize-helm-and-renderers")
        #expect(DocumentationChecker.slug("The webhook: `hpaguard serve`") == "the-webhook-hpaguard-serve")
        #expect(DocumentationChecker.slug("Size and start-up") == "size-and-start-up")
        #expect(DocumentationChecker.slug("[docs](x.md) and `code_name`") == "docs-and-code_name")
    }
}

/// Reads Markdown the way a reader follows it: links outside code, commands and paths inside it.
struct DocumentationChecker {
    let root: URL
    let subcommands: Set<String>
    /// Files that may be missing for now (see `DocumentationLinksTests.announcedFiles`).
    let tolerated: Set<String>

    /// Folders whose paths are mentioned as places things are written to: git-ignored output (`/bench/out/`).
    var generatedFolders: [String] {
        let ignore = (try? String(contentsOf: root.appendingPathComponent(".gitignore"), encoding: .utf8)) ?? ""
        return ignore.split(separator: "\n").compactMap { line in
            line.hasPrefix("/") && line.hasSuffix("/") ? String(line.dropFirst()) : nil
        }
    }

    /// The prefixes of repository paths that are checked when mentioned, anywhere in a document.
    static let pathPrefixes = [
        "scripts", "bench", "Benchmarks", "testdata", "policies", "deploy", "docs", "integrations", "Sources", "Tests",
        ".ci",
    ]

    // MARK: - Reading Markdown

    struct Line {
        let number: Int
        let text: String
        /// In a fenced or indented code block.
        let isCode: Bool
    }

    static func lines(_ text: String) -> [Line] {
        var result: [Line] = []
        var fence: String?
        var previousBlankOrCode = true
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                result.append(Line(number: index + 1, text: line, isCode: true))
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
                result.append(Line(number: index + 1, text: line, isCode: true))
                continue
            }
            let indented = line.hasPrefix("    ") && !trimmed.isEmpty && previousBlankOrCode
            result.append(Line(number: index + 1, text: line, isCode: indented))
            previousBlankOrCode = trimmed.isEmpty || indented
        }
        return result
    }

    /// The text of the inline code spans of a line outside code blocks.
    static func codeSpans(_ text: String) -> [String] {
        text.matches(of: /`+([^`]+)`+/).map { String($0.output.1) }
    }

    /// `text` without its inline code spans (links are not followed inside code).
    static func withoutCodeSpans(_ text: String) -> String {
        text.replacing(/`+[^`]+`+/, with: "")
    }

    /// GitHub's anchor for a heading: the rendered text lowercased, everything but letters, digits, `_`, `-` and
    /// spaces dropped, spaces made hyphens.
    static func slug(_ heading: String) -> String {
        let rendered = heading.replacing(/!?\[([^\]]*)\]\([^)]*\)/) { String($0.output.1) }
        var slug = ""
        for character in rendered.lowercased() {
            if character == " " {
                slug.append("-")
            } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            }
        }
        return slug
    }

    /// The anchors of a Markdown text's headings, duplicates numbered as GitHub does (`-1`, `-2`).
    static func anchors(_ text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var anchors: Set<String> = []
        for line in lines(text) where !line.isCode {
            guard let match = line.text.firstMatch(of: #/^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/#) else { continue }
            let base = slug(String(match.output.1))
            let count = seen[base, default: 0]
            anchors.insert(count == 0 ? base : "\(base)-\(count)")
            seen[base] = count + 1
        }
        return anchors
    }

    static func subcommands(inHelp help: String) -> Set<String> {
        guard let section = help.range(of: "SUBCOMMANDS:") else { return [] }
        var names: Set<String> = []
        for line in help[section.upperBound...].split(separator: "\n") {
            if let match = line.firstMatch(of: /^  ([a-z][a-z0-9-]*)/) { names.insert(String(match.output.1)) }
        }
        return names
    }

    func read(_ document: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    // MARK: - Checks

    func brokenLinks(in document: String) throws -> [String] {
        brokenLinks(in: document, text: try read(document))
    }

    func brokenLinks(in document: String, text: String) -> [String] {
        var problems: [String] = []
        let folder = (document as NSString).deletingLastPathComponent
        for line in Self.lines(text) where !line.isCode {
            let prose = Self.withoutCodeSpans(line.text)
            var targets = prose.matches(of: /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/).map { String($0.output.1) }
            if let reference = prose.firstMatch(of: /^\s*\[[^\]]+\]:\s*(\S+)/) {
                targets.append(String(reference.output.1))
            }
            for target in targets where target.firstMatch(of: /^[a-zA-Z][a-zA-Z0-9+.-]*:/) == nil {
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let file = String(parts[0])
                let anchor = parts.count > 1 ? String(parts[1]) : nil
                let resolved = file.isEmpty ? document : Self.normalize(folder.isEmpty ? file : folder + "/" + file)
                guard let resolved, !resolved.hasPrefix("../") else {
                    problems.append("line \(line.number): \(target): outside the repository")
                    continue
                }
                guard exists(resolved) else {
                    if !tolerated.contains(resolved) {
                        problems.append("line \(line.number): \(target): no such file")
                    }
                    continue
                }
                guard let anchor, !anchor.isEmpty else { continue }
                let targetText = resolved == document ? text : ((try? read(resolved)) ?? "")
                if !resolved.hasSuffix(".md") || !Self.anchors(targetText).contains(anchor) {
                    problems.append("line \(line.number): \(target): no heading with that anchor in \(resolved)")
                }
            }
        }
        return problems
    }

    func unknownSubcommands(in document: String) throws -> [String] {
        unknownSubcommands(in: document, text: try read(document))
    }

    /// Documents whose code blocks hold prose: docs/rules.md is `hpaguard explain --all`, each rule's description in a
    /// block ("hpaguard cannot find the pod template ..."). Only their `code` spans are read as commands.
    static let proseInCodeBlocks: Set<String> = ["docs/rules.md"]

    func unknownSubcommands(in document: String, text: String) -> [String] {
        var problems: [String] = []
        let prose = Self.proseInCodeBlocks.contains(document)
        for line in Self.lines(text) {
            let code = line.isCode && !prose ? [line.text] : Self.codeSpans(line.text)
            for snippet in code {
                // `hpaguard WORD`, where WORD is not an option (`--version`), a path or a value.
                for match in snippet.matches(of: #/(?:^|[^\w.-])hpaguard[ \t]+([a-z][a-z0-9-]*)(?![\w./:=-])/#) {
                    let name = String(match.output.1)
                    if !subcommands.contains(name) {
                        let known = subcommands.sorted().joined(separator: ", ")
                        problems.append(
                            "line \(line.number): hpaguard \(name): not a subcommand of hpaguard (\(known))")
                    }
                }
            }
        }
        return problems
    }

    func missingPaths(in document: String) throws -> [String] {
        try missingPaths(in: document, text: try read(document))
    }

    func missingPaths(in document: String, text: String) throws -> [String] {
        var problems: [String] = []
        let prefixes = Self.pathPrefixes.joined(separator: "|").replacing(".", with: "\\.")
        // A path from the repository root: not the tail of a longer path (`../shared/bench`, `$shared/bench`).
        let pattern = try Regex("(?:^|[^\\w./~$-])((?:\(prefixes))/[\\w./*<>{}@-]*)")
        let generated = generatedFolders
        for line in Self.lines(text) {
            for match in line.text.matches(of: pattern) {
                guard let captured = match.output[1].substring else { continue }
                var path = String(captured)
                while let last = path.last, ".,:;".contains(last) { path.removeLast() }
                // Patterns and placeholders (`policies/profiles/*.yaml`, `Sources/Engine/Rules/<Area>/`) name no file.
                if path.contains(where: { "*<>{}".contains($0) }) { continue }
                if generated.contains(where: { path.hasPrefix($0) || path + "/" == $0 }) { continue }
                if !exists(path) && !tolerated.contains(path) {
                    problems.append("line \(line.number): \(path): no such file")
                }
            }
        }
        return problems
    }

    /// `a/./b/../c` as `a/c`; nil for an empty path.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
