#!/usr/bin/env bash
# Regenerates Sources/Manifests/EmbeddedPolicies.swift from policies/: the binary carries its default policy and
# profiles, so it runs from anywhere. `swift test` fails when this file is stale (EmbeddedPoliciesTests).
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/Manifests/EmbeddedPolicies.swift
python3 - "$out" <<'PY'
import pathlib, sys
root = pathlib.Path("policies")
def literal(path):
    text = path.read_text()
    if '"""' in text or "\\" in text:
        sys.exit(f"{path}: triple quotes and backslashes are not supported in embedded policies")
    body = "\n".join(("        " + line) if line else "" for line in text.rstrip("\n").split("\n"))
    return '#"""\n' + body + '\n        """#'
profiles = sorted((root / "profiles").glob("*.yaml"))
lines = ["// Generated from policies/ by scripts/embed-policies.sh; a test checks that it matches. Do not edit by hand.",
         "enum EmbeddedPolicies {",
         "    static let defaultPolicy = " + literal(root / "default.yaml"),
         "",
         "    /// Profile files by name (policies/profiles/NAME.yaml).",
         "    static let profiles: [String: String] = ["]
for p in profiles:
    lines.append(f'        "{p.stem}": ' + literal(p).replace("\n", "\n    ") + ",")
if not profiles:
    lines[-1] = "    static let profiles: [String: String] = [:]"
else:
    lines.append("    ]")
lines.append("}")
pathlib.Path(sys.argv[1]).write_text("\n".join(lines) + "\n")
PY
