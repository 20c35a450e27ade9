import Foundation
import Testing

/// The Pulumi policy pack (integrations/pulumi) against the policy SDK from PyPI, with the built hpaguard: its
/// Python tests call the policies with the SDK's own StackValidationArgs and PolicyResource, drive the SDK's analyzer
/// service with protobuf requests as the Pulumi engine does, and start the pack's __main__.py as a gRPC server on
/// loopback. No Pulumi service or CLI is involved.
@Suite("Pulumi policy pack")
struct PulumiPolicyPackTests {
    @Test("the pack's tests pass: the example HPA (v1, min 1, max 10, CPU 80%) fails without CPU requests, passes with")
    func policyPack() async throws {
        try await Shell.requireTool("python3", install: "python3")
        let sdk = try await Shell.bash("python3 -c 'import pulumi_policy, pulumi, grpc'")
        try #require(sdk.status == 0, """
            the Pulumi policy SDK is not installed (scripts/install-test-tools.sh installs it: \
            python3 -m pip install -r integrations/pulumi/requirements.txt):
            \(sdk)
            """)
        let result = try await Shell.bash(
            "python3 -m unittest discover -s integrations/pulumi -v",
            environment: ["PYTHONDONTWRITEBYTECODE": "1"], timeout: 300)
        #expect(result.status == 0, "\(result)")
        let ran = result.stderr.split(separator: "\n").first { $0.hasPrefix("Ran ") }
        let count = ran.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        #expect(count >= 13, "\(result)")
        #expect(result.stderr.components(separatedBy: " ... ok\n").count - 1 == count, "\(result)")
        for name in [
            "test_source_document_hpa_without_cpu_request_is_a_mandatory_violation_of_the_hpa",
            "test_source_document_hpa_with_cpu_request_passes",
            "test_a_limit_range_of_the_stack_that_defaults_cpu_requests_passes",
            "test_pack_serves_its_policies_and_analyzes_the_stack",
        ] {
            #expect(result.stderr.contains("\(name) ") && result.stderr.contains("\(name)) ... ok"), "\(name):\n\(result)")
        }
    }
}
