import Testing

@testable import Engine

/// The API machinery's name checks (validation.IsQualifiedName, IsDNS1123Subdomain), message for message.
@Suite("Name validation")
struct NameValidationTests {
    static let shape = "name part " + NameValidation.qualifiedNameMessage

    @Test("qualified names: an optional DNS subdomain prefix, one slash, a name part", arguments: [
        ("app", [String]()),
        ("app.kubernetes.io/name", []),
        ("Example.COM/Owner", ["prefix part " + NameValidation.dns1123SubdomainMessage]),
        ("/x", ["prefix part must be non-empty"]),
        ("x/", ["name part must be non-empty", shape]),
        ("a..b/x", ["prefix part " + NameValidation.dns1123SubdomainMessage]),
        ("-owner", [shape]),
        (String(repeating: "n", count: 64), ["name part must be no more than 63 characters"]),
    ])
    func qualifiedNames(value: String, expected: [String]) {
        #expect(NameValidation.qualifiedName(value) == expected)
    }

    @Test func moreThanOneSlashIsOneProblem() {
        let problems = NameValidation.qualifiedName("a/b/c")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("a qualified name must consist of") == true)
    }

    @Test("DNS-1123 subdomains: every dot-separated label lowercase alphanumeric or '-', none empty", arguments: [
        ("llama-3-8b", true), ("ml.serving.example", true), ("llama..8b", false), (".a", false), ("a.", false),
        ("a.-b", false), ("A", false), ("a_b", false), ("0", true),
    ])
    func subdomains(value: String, valid: Bool) {
        #expect(NameValidation.dns1123Subdomain(value).isEmpty == valid, "\(value)")
    }
}

@Suite("Object names in reports")
struct ObjectDisplayNameTests {
    @Test("kind, then namespace/name, or whichever of them is written and not empty")
    func displayNames() {
        func named(_ namespace: String?, _ name: String?) -> String {
            ObjectReference(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: namespace, name: name)
                .displayName
        }
        #expect(named("ml", "vllm") == "HorizontalPodAutoscaler ml/vllm")
        #expect(named(nil, "vllm") == "HorizontalPodAutoscaler vllm")
        #expect(named("ml", nil) == "HorizontalPodAutoscaler ml")
        #expect(named(nil, nil) == "HorizontalPodAutoscaler")
        #expect(named("", nil) == "HorizontalPodAutoscaler")
        #expect(named("", "vllm") == "HorizontalPodAutoscaler /vllm")
    }
}
