import ArgumentParser
import Engine
import Foundation

struct RulesCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument { case text, json, markdown }

    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List every rule: id, default severity, summary.")

    @Option(help: "text, json, or markdown (the table in docs/lint.md)") var format: Format = .text
    @Option(help: "A policy file: its custom rules are listed after the built-in ones, at its severities.")
    var policy: String?

    func run() throws {
        var descriptions = RuleRegistry.all.map { $0.description }
        if let policy {
            descriptions += try loadPolicy(policy).customRules.map(\.description)
        }
        switch format {
        case .text:
            let width = descriptions.map(\.id.count).max() ?? 0
            for description in descriptions {
                let id = description.id.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = description.defaultSeverity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                print("\(id)  \(severity)  \(description.summary)")
            }
        case .markdown:
            print(RuleDocumentation.markdownTable(descriptions), terminator: "")
        case .json:
            let rules: [JSONValue] = descriptions.map { description in
                .object(JSONObject([
                    ("id", .string(description.id)),
                    ("severity", .string(description.defaultSeverity.rawValue)),
                    ("category", .string(description.category.rawValue)),
                    ("summary", .string(description.summary)),
                    ("parameters", .array(description.parameters.map { parameter in
                        .object(JSONObject([
                            ("name", .string(parameter.name)), ("type", .string(parameter.kind.rawValue)),
                            ("default", parameter.defaultValue), ("summary", .string(parameter.summary)),
                        ]))
                    })),
                ]))
            }
            print(JSONValue.object(JSONObject([("rules", .array(rules))])).serialized())
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a rule's rationale, remediation, parameters and examples.")

    @Argument(help: "A rule id (see `hpaguard rules`).") var rule: String?
    @Flag(help: "Every rule, as the Markdown of docs/rules.md.") var all = false
    @Option(help: "A policy file whose custom rules may be explained too.") var policy: String?

    func validate() throws {
        if (rule == nil) == !all { throw ValidationError("name one RULE, or --all") }
    }

    func run() throws {
        if all {
            print(RuleDocumentation.markdownReference(RuleRegistry.all.map { $0.description }), terminator: "")
            return
        }
        guard let rule else { return }
        if let policy, let custom = try loadPolicy(policy).customRules.first(where: { $0.id == rule }) {
            print(custom.explanation, terminator: "")
            return
        }
        guard let description = RuleRegistry.description(of: rule) else {
            warn("hpaguard: unknown rule '\(rule)'; `hpaguard rules` lists them")
            throw ExitCode(2)
        }
        print(RuleDocumentation.render(description))
    }
}
