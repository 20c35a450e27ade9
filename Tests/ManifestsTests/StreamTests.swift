import Engine
import Foundation
import Testing
@testable import Manifests

/// Inputs are read as streams of documents: what a stream gives must not depend on how it is cut.
@Suite("Streams of documents")
struct StreamTests {
    static func documents(_ text: String, maxDocumentBytes: Int = 1 << 20, readSize: Int = 7) throws -> [String] {
        // A reader that hands out a few bytes at a time, so that markers and lines fall across reads.
        let bytes = Array(text.utf8)
        var offset = 0
        var splitter = DocumentSplitter(maxDocumentBytes: maxDocumentBytes) { target in
            let count = min(target.count, readSize, bytes.count - offset)
            for index in 0..<count { target[index] = bytes[offset + index] }
            offset += count
            return count
        }
        var result: [String] = []
        while let chunk = try splitter.next() {
            result.append("\(chunk.lineBase):" + (chunk.isOversized ? "<\(chunk.size) bytes>" : String(decoding: chunk.bytes, as: UTF8.self)))
        }
        return result
    }

    @Test("documents are cut at --- and after ... lines, whatever the reads")
    func cuts() throws {
        #expect(try Self.documents("a: 1\n---\nb: 2\n--- {c: 3}\n") == ["0:a: 1\n", "1:---\nb: 2\n", "3:--- {c: 3}\n"])
        // Comments, blank lines and directives before a document stay with it; `---x` is not a marker.
        #expect(try Self.documents("# head\n\n%YAML 1.1\n---\na: ---x\n---\r\nb: 1") == ["0:# head\n\n%YAML 1.1\n---\na: ---x\n", "5:---\r\nb: 1"])
        #expect(try Self.documents("a: 1\n...\n%YAML 1.1\n---\nb: 2\n") == ["0:a: 1\n...\n", "2:%YAML 1.1\n---\nb: 2\n"])
        #expect(try Self.documents("") == [])
        #expect(try Self.documents("---") == ["0:---"])
        // Indented markers belong to the document (a block scalar's content, a nested sequence).
        #expect(try Self.documents("a: |\n  ---\n  text\n") == ["0:a: |\n  ---\n  text\n"])
    }

    @Test("a last line longer than a read, without a line break, ends the stream whole")
    func longLastLine() throws {
        let line = "data: " + String(repeating: "x", count: 3 << 20)
        let documents = try Self.documents("a: 1\n---\n" + line, maxDocumentBytes: 8 << 20, readSize: 65_536)
        #expect(documents.count == 2)
        #expect(documents.last == "1:---\n" + line)
    }

    @Test("a document over the limit is dropped whole and the next one is read")
    func oversized() throws {
        let big = "data: " + String(repeating: "x", count: 100) + "\n"
        #expect(try Self.documents("a: 1\n---\n" + big + big + "---\nb: 2\n", maxDocumentBytes: 150) == [
            "0:a: 1\n", "1:<218 bytes>", "4:---\nb: 2\n",
        ])
    }

    @Test("one stream and the same documents split into files give the same findings")
    func streamEqualsFiles() throws {
        let engine = Engine(policy: try PolicyLoader.defaultPolicy())
        let linter = Linter(engine: engine)
        var documents: [String] = []
        for index in 0..<300 {
            documents.append("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app-\(index)}
                spec:
                  template:
                    spec:
                      containers: [{name: server, image: server:1, resources: {requests: {\(index % 3 == 0 ? "memory: 1Gi" : "cpu: 500m")}}}]

                """)
            documents.append("""
                # Source: chart/templates/hpa-\(index).yaml
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: app-\(index)}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-\(index)\(index % 7 == 0 ? "-missing" : "")}
                  minReplicas: \(index % 5 == 0 ? 9 : 1)
                  maxReplicas: 8
                  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]

                """)
        }
        let stream = documents.joined(separator: "---\n")
        let streamed = linter.lint([(name: "stream.yaml", bytes: Array(stream.utf8))])
        let split = linter.lint(documents.enumerated().map { (name: "doc-\($0.offset).yaml", bytes: Array($0.element.utf8)) })
        #expect(streamed.objects == 600 && split.objects == 600)
        #expect(streamed.findings.count > 100)

        // Each finding of the stream, with its line made relative to its document, is one of the split files'.
        var firstLines: [Int] = []
        var line = 1
        for document in documents {
            firstLines.append(line)
            line += document.count { $0 == "\n" } + 1
        }
        func key(_ finding: Finding, line: Int?) -> String {
            "\(finding.rule) \(finding.object?.displayName ?? "") \(line ?? 0):\(finding.position?.column ?? 0) "
                + finding.message.replacingOccurrences(of: #" \(source: [^)]*\)"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"(stream|doc-[0-9]+)\.yaml"#, with: "FILE", options: .regularExpression)
        }
        let fromStream = streamed.findings.map { finding in
            let line = finding.position.map { position in position.line - (firstLines.last { $0 <= position.line } ?? 1) + 1 }
            return key(finding, line: line)
        }
        let fromFiles = split.findings.map { key($0, line: $0.position?.line) }
        let onlyStream = Set(fromStream).subtracting(fromFiles)
        let onlyFiles = Set(fromFiles).subtracting(fromStream)
        #expect(onlyStream.isEmpty && onlyFiles.isEmpty, "only in the stream: \(onlyStream.prefix(3)); only in files: \(onlyFiles.prefix(3))")
        #expect(fromStream.count == fromFiles.count)
        // Helm's `# Source:` comments name each document's source in the stream.
        #expect(streamed.findings.filter { $0.rule == "max-below-min" }.allSatisfy { $0.message.contains("(source: chart/templates/hpa-") })
    }

    @Test("an HPA whose target is defined twice is checked against neither; both are reported")
    func duplicateTargets() throws {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: web, image: nginx}]}}}\n"
        let hpa = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web}
            spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}

            """
        let linter = Linter(engine: Engine(policy: try PolicyLoader.defaultPolicy()))
        let once = linter.lint([(name: "a.yaml", bytes: Array((deployment + "---\n" + hpa).utf8))]).findings.map(\.rule)
        #expect(once.contains("target-missing-request"))
        let twice = linter.lint([
            (name: "a.yaml", bytes: Array((deployment + "---\n" + hpa).utf8)), (name: "b.yaml", bytes: Array(deployment.utf8)),
        ]).findings
        #expect(!twice.contains { $0.rule == "target-missing-request" || $0.rule == "target-not-found" })
        let duplicates = twice.filter { $0.rule == "duplicate-object" }
        #expect(duplicates.map { "\($0.file):\($0.position?.line ?? 0)" } == ["a.yaml:1", "b.yaml:1"])
        #expect(duplicates.first?.message.contains("also defined at b.yaml:1") == true)
    }

    @Test("an input that cannot be read fails the run and is named, whichever of the inputs it is")
    func unreadableInput() throws {
        let linter = Linter(engine: Engine(policy: try PolicyLoader.defaultPolicy()))
        let directory = FileManager.default.temporaryDirectory.path
        let good = ManifestSource(name: "good.yaml", bytes: Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n".utf8))
        let unreadable = ManifestSource(ManifestCollector.Input(displayPath: "not-a-file.yaml", filePath: directory))
        for sources in [[good, unreadable], [unreadable, good], [good, good, unreadable, good]] {
            #expect {
                _ = try linter.lint(sources)
            } throws: { error in
                (error as? ManifestSource.ReadError)?.path == "not-a-file.yaml"
            }
        }
    }

    @Test("findings are put in report order by moving them, any permutation")
    func rearrange() {
        var generator = SplitMix64(seed: 12)
        for count in [0, 1, 2, 7, 100] {
            let original = (0..<count).map { "finding \($0)" }
            for _ in 0..<20 {
                let order = Array(0..<count).shuffled(using: &generator)
                var moved = original
                moved.rearrange(by: order)
                #expect(moved == order.map { original[$0] })
            }
        }
    }
}
