#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (Fuzz/corpus/<target>/) from the repository's own inputs.

Deterministic, a few dozen small files a target: libFuzzer grows its own corpus from these in a temporary copy
(scripts/fuzz.sh), so only the seeds are committed. Run it again after adding test inputs worth seeding.

  Fuzz/make-corpus.py
"""
import hashlib
import json
import os
import re
import shutil
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fuzz", "corpus")
MAX_BYTES = 8192


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def files(folder, suffixes):
    found = []
    for base, dirs, names in os.walk(os.path.join(ROOT, folder)):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(suffixes):
                found.append(os.path.relpath(os.path.join(base, name), ROOT))
    return found


def write(target, seeds):
    folder = os.path.join(OUT, target)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    kept = 0
    for data in seeds:
        if len(data) > MAX_BYTES:
            continue
        # Named by content, as libFuzzer names what it finds.
        with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
            f.write(data)
        kept += 1
    print(f"{target}: {kept} seeds")


def review(obj, operation="CREATE", old=None, uid="fuzz-1", user="kubernetes-admin"):
    sent = obj or old or {}
    version = sent.get("apiVersion", "autoscaling/v2")
    group, _, ver = version.rpartition("/")
    kind = {"group": group, "version": ver, "kind": sent.get("kind", "HorizontalPodAutoscaler")}
    return {
        "kind": "AdmissionReview",
        "apiVersion": "admission.k8s.io/v1",
        "request": {
            "uid": uid, "kind": kind, "requestKind": kind,
            "resource": {"group": group, "version": ver, "resource": "horizontalpodautoscalers"},
            "name": sent.get("metadata", {}).get("name", "web"), "namespace": "ml", "operation": operation,
            "userInfo": {"username": user, "groups": ["system:authenticated"]},
            "object": obj, "oldObject": old, "dryRun": False,
            "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"},
        },
    }


def compact(value):
    return json.dumps(value, separators=(",", ":")).encode()


def main():
    manifests = [p for p in files("testdata", (".yaml", ".yml", ".json")) if "schemas" not in p and "audit" not in p]
    yaml_docs = []
    for path in manifests:
        if path.endswith((".yaml", ".yml")):
            try:
                yaml_docs += [d for d in yaml.safe_load_all(read(path)) if isinstance(d, dict)]
            except yaml.YAMLError:
                pass
    hpas = [d for d in yaml_docs if d.get("kind") == "HorizontalPodAutoscaler"]

    # The YAML/JSON loader: the manifests as written, plus a few shapes the tests meet (anchors, flow style, CRLF).
    extra = [
        b"a: &x {b: [1, 2]}\nc: *x\nd: *x\n",
        b"---\n---\nkind: List\napiVersion: v1\nitems: []\n...\n",
        b"%YAML 1.1\n---\n!!map {? a : b}\n",
        b"key: 'single'\nother: \"dq \\u00e9\"\nfolded: >-\n  a\n  b\nlit: |\n  x\n",
        b"apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n",
        b"# Source: chart/templates/hpa.yaml\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: a}\nmetadata: {name: b}\n",
    ]
    # Numbers past Int64 where the engine computes with them (each crashed lint and the webhook once).
    hpa = ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: llm, annotations: %s}\nspec:\n"
           "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}\n  minReplicas: 2\n  maxReplicas: 4\n"
           "  metrics: [{type: Pods, pods: {metric: {name: \"%s\"}, target: {type: AverageValue, averageValue: \"90\"}}}]\n")
    deployment = ("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: llm}\nspec:\n  template:\n    spec:\n"
                  "      containers:\n        - {name: vllm, image: \"vllm/vllm-openai:v0.6.0\", %s}\n")
    edges = [
        hpa % ('{hpaguard.io/profile: llm-inference, hpaguard.io/model-load-seconds: "9223372036854775807"}',
               "vllm:num_requests_waiting"),
        hpa % ("{}", "vllm:num_requests_waiting")
        + deployment % "startupProbe: {failureThreshold: 4611686018427387904, periodSeconds: 10}",
        hpa % ("{}", "DCGM_FI_DEV_GPU_UTIL")
        + deployment % 'resources: {requests: {nvidia.com/gpu: "1e30"}, limits: {nvidia.com/gpu: "1e30"}}',
    ]
    edge_docs = [yaml.safe_load_all(text) for text in edges]
    write("manifests", [read(p) for p in manifests] + extra + [text.encode() for text in edges])

    # The JSON parser: the JSON test inputs, HPAs as compact JSON, and the edges of the grammar.
    grammar = [
        b"{}", b"[]", b"null", b"-0.0e+1", b"9223372036854775807", b"-9223372036854775809", b"1e400",
        b'"\\ud83d\\ude00 \\u00e9 \\n"', b'{"a":1,"a":2}', b'[[[[[]]]]]', b'{"request":{"userInfo":{"x":[1]}}}',
        b'{"items":[{"metadata":{"managedFields":[{}]}}]}',
    ]
    write("json", [read(p) for p in files("testdata", (".json",)) if "schemas" not in p and "audit" not in p]
          + [compact(h) for h in hpas[:20]] + grammar)

    # AdmissionReview bodies: every HPA of the test inputs as CREATE, some as UPDATE of another and DELETE, the
    # recorded review with managedFields, and the shared bench's review when it is beside the clone.
    bodies = [compact(review(h, uid=f"c{i}")) for i, h in enumerate(hpas[:24])]
    bodies += [compact(review(b, "UPDATE", old=a, uid=f"u{i}")) for i, (a, b) in enumerate(zip(hpas[:6], hpas[1:7]))]
    bodies += [compact(review(None, "DELETE", old=hpas[0])), compact(review(hpas[1], "CONNECT", user="denied"))]
    bodies += [compact(review(next(iter(docs)), uid=f"e{i}")) for i, docs in enumerate(edge_docs)]
    bodies.append(read("testdata/webhook/review-update-with-managed-fields.json"))
    bench = os.path.join(ROOT, "..", "shared", "bench", "webhook", "request.json")
    if os.path.exists(bench):
        with open(bench, "rb") as f:
            bodies.append(f.read())
    write("admission-review", bodies)

    # Policies: the embedded ones, the test policies, custom rules.
    policies = ["policies/default.yaml"] + files("policies/profiles", (".yaml",))
    policies += [p for p in files("testdata", (".yaml",)) if "policy" in os.path.basename(p) or "/vap/" in p]
    write("policy", [read(p) for p in policies])

    # CEL: expressions of the case tables (`EXPR ==> EXPECTED`), every twenty-fifth line of each table, and the custom
    # rules' expressions.
    expressions = []
    for path in files("Tests/CELTests", ("Cases.swift",)):
        lines = [l.strip() for l in read(path).decode().splitlines() if " ==> " in l]
        for line in lines[::25]:
            expressions.append(re.sub(r"^@cost=\d+ ", "", line.split(" ==> ")[0]).encode())
    custom = yaml.safe_load(read("testdata/custom-rules/policy.yaml"))
    for rule in custom.get("customRules", []):
        for part in rule.get("matchConditions", []) + rule.get("variables", []) + rule.get("validations", []):
            for key in ("expression", "messageExpression"):
                if key in part:
                    expressions.append(part[key].encode())
    write("cel", expressions)


if __name__ == "__main__":
    sys.exit(main())
