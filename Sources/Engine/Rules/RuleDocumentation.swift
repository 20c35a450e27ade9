/// The text `hpaguard explain` prints and `docs/rules.md` is generated from.
public enum RuleDocumentation {
    public static func render(_ description: RuleDescription) -> String {
        var out = "\(description.id) (\(description.defaultSeverity.rawValue), \(description.category.rawValue))\n"
        out += "\(description.summary)\n\n"
        out += "Why:\n\(indent(description.rationale))\n\n"
        out += "Fix:\n\(indent(description.remediation))\n"
        if !description.parameters.isEmpty {
            out += "\nParameters (policy: rules.\(description.id).parameters):\n"
            for parameter in description.parameters {
                out += "  \(parameter.name) (\(parameter.kind.rawValue), default \(parameter.defaultValue.serialized())): \(parameter.summary)\n"
            }
        }
        for (title, examples) in [("Passes", description.validExamples), ("Fails", description.invalidExamples)] {
            for example in examples {
                out += "\n\(title)"
                if let version = example.kubeVersion { out += " (--kube-version \(version))" }
                if example.policy != nil { out += " (with a policy)" }
                out += ":\n"
                out += indent(example.manifest.replacing("↓", with: "")) + "\n"
            }
        }
        return out
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}
