"""hpaguard as Pulumi policies: every HPA and its targets, checked by the hpaguard binary during `pulumi preview`.

The pack validates the stack, not one resource at a time: an HPA's most common failures (a Deployment without the CPU
request its CPU target needs, two scalers on one workload, a PodDisruptionBudget that blocks drains at minReplicas)
are only visible with the target in the same hpaguard run, and a resource policy sees one resource. So each policy
serialises every HorizontalPodAutoscaler, workload, PodDisruptionBudget, LimitRange and KEDA ScaledObject of the stack
into one multi-document stream, pipes it to `hpaguard lint --format json -`, and reports each finding as a violation of
the Pulumi resource whose document the finding points into:

- `hpaguard-errors` (mandatory): findings of severity error, which fail the preview;
- `hpaguard-advisories` (advisory): warnings and infos.

Values Pulumi cannot know before the update (unknowns in a preview) are left out of the manifest, and findings about
them are not reported: hpaguard checks them on the next preview, once they are known.

Configuration, per policy (`pulumi preview --policy-pack … --policy-pack-config config.json`) or through the
environment: `hpaguard` (the binary; `$HPAGUARD`, else `hpaguard` on PATH), `policy` (a policy file;
`$HPAGUARD_POLICY`) and `kubeVersion` (`$HPAGUARD_KUBE_VERSION`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

# The kinds hpaguard reads: HPAs, the workloads they scale, and the objects its cross-object rules compare them with.
KINDS = {
    "HorizontalPodAutoscaler",
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "PodDisruptionBudget",
    "LimitRange",
    "ScaledObject",
}

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "hpaguard": {"type": "string", "description": "The hpaguard binary (default: $HPAGUARD, else on PATH)."},
        "policy": {"type": "string", "description": "An hpaguard policy file (default: $HPAGUARD_POLICY)."},
        "kubeVersion": {"type": "string", "description": "Kubernetes version X.Y (default: hpaguard's)."},
    }
)


class HPAGuardError(RuntimeError):
    """hpaguard could not run, or refused its input (exit 2): the policy fails loudly rather than pass silently."""


@dataclass
class Document:
    """One resource as a manifest in the stream, with the lines it spans and the paths Pulumi did not know."""

    resource: PolicyResource
    manifest: Dict[str, Any]
    first_line: int
    last_line: int
    unknown: List[str]


@dataclass
class Violation:
    urn: str
    severity: str
    message: str


def api_version_and_kind(resource_type: str) -> Optional[Tuple[str, str]]:
    """`kubernetes:apps/v1:Deployment` -> ("apps/v1", "Deployment"); `core/v1` is the core group, "v1"."""
    parts = resource_type.split(":")
    if len(parts) != 3 or parts[0] != "kubernetes":
        return None
    module, kind = parts[1], parts[2]
    if module.startswith("core/"):
        module = module[len("core/"):]
    return module, kind


def plain(value: Any, path: str, unknown: List[str]) -> Any:
    """A plain copy of the policy SDK's props, leaving out (and recording, as JSON pointers) unknown values."""
    if isinstance(value, Mapping):
        result = {}
        for key in value:
            child = f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"
            try:
                item = value[key]
            except UnknownValueError:
                unknown.append(child)
                continue
            result[key] = plain(item, child, unknown)
        return result
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        result_list = []
        for index in range(len(value)):
            try:
                item = value[index]
            except UnknownValueError:
                unknown.append(f"{path}/{index}")
                continue
            result_list.append(plain(item, f"{path}/{index}", unknown))
        return result_list
    return value


def manifest(resource: PolicyResource) -> Optional[Tuple[Dict[str, Any], List[str]]]:
    """The Kubernetes object of a resource of one of KINDS (its apiVersion, kind, metadata and spec), else None."""
    identity = api_version_and_kind(resource.resource_type)
    if identity is None or identity[1] not in KINDS:
        return None
    unknown: List[str] = []
    props = plain(resource.props, "", unknown)
    api_version, kind = identity
    if not isinstance(props.get("apiVersion"), str):
        props["apiVersion"] = api_version
    if not isinstance(props.get("kind"), str):
        props["kind"] = kind
    # status is the cluster's, unknown in a preview; the provider's bookkeeping fields start with "__".
    kept = {key: props[key] for key in ("apiVersion", "kind", "metadata", "spec") if key in props}
    return kept, [path for path in unknown if path.split("/")[1] in kept]


def stream(resources: Sequence[PolicyResource]) -> Tuple[str, List[Document]]:
    """The multi-document stream hpaguard reads: `---` then each manifest as indented JSON (JSON is YAML)."""
    lines: List[str] = []
    documents: List[Document] = []
    for resource in resources:
        found = manifest(resource)
        if found is None:
            continue
        body, unknown = found
        lines.append("---")
        first = len(lines) + 1
        lines.extend(json.dumps(body, indent=2, sort_keys=False, default=str).split("\n"))
        documents.append(Document(resource, body, first, len(lines), unknown))
    return ("\n".join(lines) + "\n") if lines else "", documents


def configuration(config: Mapping[str, Any]) -> Tuple[str, List[str]]:
    """The hpaguard binary and the options from the policy's configuration, else the environment."""
    binary = config.get("hpaguard") or os.environ.get("HPAGUARD") or shutil.which("hpaguard")
    if not binary:
        raise HPAGuardError("hpaguard is not on PATH: install it, or set $HPAGUARD or the policy's `hpaguard` config")
    options: List[str] = []
    policy = config.get("policy") or os.environ.get("HPAGUARD_POLICY")
    if policy:
        options += ["--policy", policy]
    kube_version = config.get("kubeVersion") or os.environ.get("HPAGUARD_KUBE_VERSION")
    if kube_version:
        options += ["--kube-version", kube_version]
    return binary, options


_last_run: Dict[Tuple[str, Tuple[str, ...], str], List[Dict[str, Any]]] = {}


def lint(text: str, binary: str, options: List[str]) -> List[Dict[str, Any]]:
    """hpaguard's findings for the stream; both policies of one analysis share one run."""
    key = (binary, tuple(options), text)
    if key in _last_run:
        return _last_run[key]
    try:
        completed = subprocess.run(
            [binary, "lint", "--format", "json", *options, "-"],
            input=text.encode(), capture_output=True, timeout=120, check=False,
        )
    except OSError as error:
        raise HPAGuardError(f"cannot run {binary}: {error}") from error
    if completed.returncode not in (0, 1):
        raise HPAGuardError(
            f"hpaguard exited {completed.returncode}: {completed.stderr.decode(errors='replace').strip()}")
    findings = json.loads(completed.stdout)["findings"]
    _last_run.clear()
    _last_run[key] = findings
    return findings


def violations(args: StackValidationArgs) -> List[Violation]:
    """Every finding of hpaguard on the stack's HPAs and their targets, as violations of the resource it is about."""
    text, documents = stream(args.resources)
    if not documents:
        return []
    binary, options = configuration(args.get_config() or {})
    result: List[Violation] = []
    for finding in lint(text, binary, options):
        line = finding.get("line") or 0
        document = next((d for d in documents if d.first_line <= line <= d.last_line), None)
        if document is None:
            continue
        pointer = finding.get("path") or ""
        if any(pointer == path or pointer.startswith(path + "/") for path in document.unknown):
            continue  # about a value Pulumi does not know yet
        subject = finding.get("object") or {}
        name = "/".join(part for part in (subject.get("namespace"), subject.get("name")) if part)
        where = f" at {pointer}" if pointer else ""
        result.append(Violation(
            urn=document.resource.urn,
            severity=finding["severity"],
            message=f"[{finding['rule']}] {finding['message']} ({subject.get('kind', '?')} {name}{where})",
        ))
    return result


def _report(severities: Tuple[str, ...]):
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        for violation in violations(args):
            if violation.severity in severities:
                report_violation(violation.message, violation.urn)
    return validate


ERRORS = StackValidationPolicy(
    name="hpaguard-errors",
    description="hpaguard: HPAs the API server rejects or the HPA controller cannot act on.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_report(("error",)),
    config_schema=CONFIG_SCHEMA,
)

ADVISORIES = StackValidationPolicy(
    name="hpaguard-advisories",
    description="hpaguard: ML-serving and best-practice advice on HPAs and their targets.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=_report(("warning", "info")),
    config_schema=CONFIG_SCHEMA,
)

POLICIES = [ERRORS, ADVISORIES]
