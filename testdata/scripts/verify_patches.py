"""Applies hpaguard's /mutate patches with an independent RFC 6902 implementation (the `jsonpatch` package) and
validates every patched object against the Kubernetes schemas (`kubernetes-validate`, strict).

Input: a directory of cases, each `NAME.object.json` (what the webhook receives), `NAME.patch.json` (the JSON
Patch it answers) and `NAME.expected.json` (the object hpaguard expects after the patch). Prints one line per
failure and exits 1 on any; prints `N passed, 0 failed` otherwise.
"""
import json
import pathlib
import sys

import jsonpatch
import kubernetes_validate

KUBE_VERSION = "1.36.0"

def main(directory: str) -> int:
    root = pathlib.Path(directory)
    failures = []
    passed = 0
    for object_file in sorted(root.glob("*.object.json")):
        name = object_file.name[: -len(".object.json")]
        document = json.loads(object_file.read_text())
        patch = json.loads((root / f"{name}.patch.json").read_text())
        expected = json.loads((root / f"{name}.expected.json").read_text())
        try:
            patched = jsonpatch.apply_patch(document, patch)
        except jsonpatch.JsonPatchException as error:
            failures.append(f"{name}: the patch does not apply: {error}")
            continue
        if patched != expected:
            failures.append(f"{name}: jsonpatch gives {json.dumps(patched, sort_keys=True)}, hpaguard expects {json.dumps(expected, sort_keys=True)}")
            continue
        try:
            kubernetes_validate.validate(patched, KUBE_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            failures.append(f"{name}: the patched object is not valid for Kubernetes {KUBE_VERSION}: {error.message} at {list(error.path)}")
            continue
        passed += 1
    for failure in failures:
        print(failure)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures or passed == 0 else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
