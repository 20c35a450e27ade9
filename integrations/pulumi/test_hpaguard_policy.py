"""Tests of the hpaguard policy pack against the policy SDK's own types and gRPC service, without a Pulumi service.

Run with `python3 -m unittest discover -s integrations/pulumi -v`, with hpaguard on PATH or in $HPAGUARD
(Tests/IntegrationTests/PulumiPolicyPackTests.swift does both with the built binary).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
import unittest
from typing import Any, Dict, List, Optional, Tuple

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy import PolicyResource, PolicyResourceOptions, StackValidationArgs
from pulumi_policy.policy import PolicyCustomTimeouts, _PolicyAnalyzerServicer
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import hpaguard_policy  # noqa: E402  (after the path above)

STACK = "urn:pulumi:dev::ml-serving::pulumi:pulumi:Stack::ml-serving-dev"
PROVIDER = "urn:pulumi:dev::ml-serving::pulumi:providers:kubernetes::default_4_23_0"
DEPLOYMENT = "urn:pulumi:dev::ml-serving::kubernetes:apps/v1:Deployment::model-server"
HPA = "urn:pulumi:dev::ml-serving::kubernetes:autoscaling/v1:HorizontalPodAutoscaler::model-server-hpa"
SERVICE = "urn:pulumi:dev::ml-serving::kubernetes:core/v1:Service::model-server"


def deployment_props(cpu_request: bool) -> Dict[str, Any]:
    """The Deployment of testdata/pulumi/README.md's program, as the Kubernetes provider's outputs in a preview."""
    requests = {"memory": "4Gi", **({"cpu": "2"} if cpu_request else {})}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "model-server-6f2b9c1d", "namespace": "ml", "labels": {"app": "model-server"},
                     "annotations": {"pulumi.com/autonamed": "true"}},
        "spec": {
            "selector": {"matchLabels": {"app": "model-server"}},
            "template": {
                "metadata": {"labels": {"app": "model-server"}},
                "spec": {"containers": [{
                    "name": "server",
                    "image": "registry.example.com/ml/model-server:1.4.2",
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                    "resources": {"requests": requests, "limits": {"memory": "4Gi"}},
                }]},
            },
        },
        "status": UNKNOWN_STRING_VALUE,
    }


def hpa_props() -> Dict[str, Any]:
    """The example HPA (testdata/examples/source-document.yaml): autoscaling/v1, min 1, max 10, target CPU 80%."""
    return {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "model-server-hpa-0c4e7a91", "namespace": "ml",
                     "annotations": {"pulumi.com/autonamed": "true"}},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "model-server-6f2b9c1d"},
            "minReplicas": 1,
            "maxReplicas": 10,
            "targetCPUUtilizationPercentage": 80,
        },
        "status": UNKNOWN_STRING_VALUE,
    }


def service_props() -> Dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "model-server", "namespace": "ml"},
            "spec": {"selector": {"app": "model-server"}, "ports": [{"port": 80}]}}


def options() -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], STACK)


def stack(cpu_request: bool, hpa: Optional[Dict[str, Any]] = None) -> List[Tuple[str, str, Dict[str, Any]]]:
    """(urn, type, props) of the stack: the Stack, the provider, a Service, the Deployment and the HPA."""
    return [
        (STACK, "pulumi:pulumi:Stack", {}),
        (PROVIDER, "pulumi:providers:kubernetes", {"version": "4.23.0"}),
        (SERVICE, "kubernetes:core/v1:Service", service_props()),
        (DEPLOYMENT, "kubernetes:apps/v1:Deployment", deployment_props(cpu_request)),
        (HPA, "kubernetes:autoscaling/v1:HorizontalPodAutoscaler", hpa if hpa is not None else hpa_props()),
    ]


def policy_resources(resources) -> List[PolicyResource]:
    """The SDK's PolicyResource, its props behind the SDK's unknown-checking proxy, as AnalyzeStack builds them."""
    return [PolicyResource(type_, unknown_checking_proxy(copy.deepcopy(props)), urn, urn.split("::")[-1], options(),
                           None, None, [], {})
            for urn, type_, props in resources]


def validate(policy, resources, config=None) -> List[Tuple[str, Optional[str]]]:
    reported: List[Tuple[str, Optional[str]]] = []
    result = policy.validate(StackValidationArgs(policy_resources(resources), config or {}),
                             lambda message, urn=None: reported.append((message, urn)))
    assert result is None
    return reported


def analyze_request(resources) -> analyzer_pb2.AnalyzeStackRequest:
    """What the Pulumi engine sends the pack after a preview: each resource's outputs as a protobuf Struct."""
    request = analyzer_pb2.AnalyzeStackRequest()
    for urn, type_, props in resources:
        resource = request.resources.add()
        resource.type = type_
        resource.urn = urn
        resource.name = urn.split("::")[-1]
        resource.properties.CopyFrom(json_format.ParseDict(props, struct_pb2.Struct()))
        if urn != STACK:
            resource.parent = STACK
    return request


class PolicyValidationTests(unittest.TestCase):
    def test_source_document_hpa_without_cpu_request_is_a_mandatory_violation_of_the_hpa(self):
        reported = validate(hpaguard_policy.ERRORS, stack(cpu_request=False))
        self.assertEqual(len(reported), 1, reported)
        message, urn = reported[0]
        self.assertEqual(urn, HPA)
        self.assertIn("[target-missing-request]", message)
        self.assertIn('container "server" of Deployment model-server-6f2b9c1d has no cpu request', message)
        self.assertIn("(HorizontalPodAutoscaler ml/model-server-hpa-0c4e7a91 at /spec/targetCPUUtilizationPercentage)",
                      message)

    def test_source_document_hpa_with_cpu_request_passes(self):
        self.assertEqual(validate(hpaguard_policy.ERRORS, stack(cpu_request=True)), [])

    def test_a_limit_range_of_the_stack_that_defaults_cpu_requests_passes(self):
        limit_range = ("urn:pulumi:dev::ml-serving::kubernetes:core/v1:LimitRange::defaults", "kubernetes:core/v1:LimitRange",
                       {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "defaults", "namespace": "ml"},
                        "spec": {"limits": [{"type": "Container", "defaultRequest": {"cpu": "500m"}}]}})
        self.assertEqual(validate(hpaguard_policy.ERRORS, stack(cpu_request=False) + [limit_range]), [])

    def test_warnings_are_advisory_and_name_their_resource(self):
        reported = validate(hpaguard_policy.ADVISORIES, stack(cpu_request=True))
        self.assertTrue(reported)
        self.assertTrue(all(urn == HPA for _, urn in reported), reported)
        self.assertTrue(any("[min-replicas-floor]" in message for message, _ in reported), reported)
        self.assertFalse(any("[target-missing-request]" in message for message, _ in reported), reported)

    def test_api_server_error_on_the_hpa(self):
        hpa = hpa_props()
        hpa["spec"]["maxReplicas"] = 0
        reported = validate(hpaguard_policy.ERRORS, stack(cpu_request=True, hpa=hpa))
        rules = sorted(message.split("]")[0] + "]" for message, _ in reported)
        self.assertIn("[max-replicas-range]", rules)
        self.assertTrue(all(urn == HPA for _, urn in reported), reported)

    def test_unknown_values_are_left_out_and_not_reported(self):
        hpa = hpa_props()
        hpa["spec"]["maxReplicas"] = UNKNOWN_NUMBER_VALUE  # e.g. from stack config read from another stack
        self.assertEqual(validate(hpaguard_policy.ERRORS, stack(cpu_request=True, hpa=hpa)), [])

    def test_a_policy_file_from_the_configuration_reaches_hpaguard(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as policy:
            policy.write("apiVersion: hpaguard.io/v1\nkind: Policy\nrules:\n  min-replicas-floor: {severity: error}\n")
            policy.flush()
            reported = validate(hpaguard_policy.ERRORS, stack(cpu_request=True), {"policy": policy.name})
        self.assertEqual([(message.split("]")[0] + "]", urn) for message, urn in reported],
                         [("[min-replicas-floor]", HPA)])

    def test_an_invalid_policy_file_fails_loudly(self):
        with self.assertRaises(hpaguard_policy.HPAGuardError):
            validate(hpaguard_policy.ERRORS, stack(cpu_request=True), {"policy": "/nonexistent/policy.yaml"})

    def test_missing_binary_fails_loudly(self):
        with self.assertRaises(hpaguard_policy.HPAGuardError):
            validate(hpaguard_policy.ERRORS, stack(cpu_request=True), {"hpaguard": "/nonexistent/hpaguard"})

    def test_types_other_than_kubernetes_workloads_are_not_sent(self):
        text, documents = hpaguard_policy.stream(policy_resources(stack(cpu_request=True)))
        self.assertEqual([d.resource.urn for d in documents], [DEPLOYMENT, HPA])
        self.assertNotIn("status", text)
        self.assertEqual(hpaguard_policy.api_version_and_kind("kubernetes:core/v1:Pod"), ("v1", "Pod"))


class AnalyzerServiceTests(unittest.TestCase):
    """The SDK's own analyzer service, as `pulumi preview` drives it: AnalyzeStack on protobuf resources."""

    def analyze(self, resources) -> analyzer_pb2.AnalyzeResponse:
        servicer = _PolicyAnalyzerServicer("hpaguard", "0.1.0", hpaguard_policy.POLICIES,
                                           hpaguard_policy.EnforcementLevel.ADVISORY)
        return servicer.AnalyzeStack(analyze_request(resources), None)

    def test_mandatory_diagnostic_for_the_hpa(self):
        response = self.analyze(stack(cpu_request=False))
        mandatory = [d for d in response.diagnostics if d.enforcementLevel == analyzer_pb2.MANDATORY]
        self.assertEqual(len(mandatory), 1, response)
        self.assertEqual(mandatory[0].policyName, "hpaguard-errors")
        self.assertEqual(mandatory[0].urn, HPA)
        self.assertIn("[target-missing-request]", mandatory[0].message)

    def test_no_mandatory_diagnostic_with_requests(self):
        response = self.analyze(stack(cpu_request=True))
        self.assertFalse([d for d in response.diagnostics if d.enforcementLevel == analyzer_pb2.MANDATORY], response)
        self.assertTrue([d for d in response.diagnostics if d.policyName == "hpaguard-advisories"], response)


class PolicyPackProcessTests(unittest.TestCase):
    """The pack started as Pulumi's pulumi-analyzer-policy-python starts it (`python -u -m pulumi.policy ENGINE DIR`,
    which runs DIR/__main__.py): it prints its port and serves the Analyzer over gRPC on loopback."""

    def test_pack_serves_its_policies_and_analyzes_the_stack(self):
        process = subprocess.Popen([sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", HERE],
                                   cwd=tempfile.gettempdir(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            port = int(process.stdout.readline().decode().strip())
            with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
                stub = analyzer_pb2_grpc.AnalyzerStub(channel)
                info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
                self.assertEqual(info.name, "hpaguard")
                levels = {policy.name: policy.enforcementLevel for policy in info.policies}
                self.assertEqual(levels, {"hpaguard-errors": analyzer_pb2.MANDATORY,
                                          "hpaguard-advisories": analyzer_pb2.ADVISORY})
                response = stub.AnalyzeStack(analyze_request(stack(cpu_request=False)), timeout=60)
                mandatory = [d for d in response.diagnostics if d.enforcementLevel == analyzer_pb2.MANDATORY]
                self.assertEqual([d.urn for d in mandatory], [HPA], response)
        finally:
            # SIGKILL: the pack serves until killed (it handles only SIGINT, and SIGTERM may be ignored in the
            # environment a test runner leaves), and has nothing to flush.
            process.kill()
            process.wait(timeout=30)
            process.stdout.close()
            process.stderr.close()


if __name__ == "__main__":
    unittest.main()
