#!/usr/bin/env bash
# Regenerates docs/rules.md and the rule table in docs/lint.md (between <!-- rules:begin --> and <!-- rules:end -->)
# from the rules' descriptions. `swift test` fails when either is stale (DocumentationTests).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -q
bin=.build/debug/hpaguard
mkdir -p docs
"$bin" explain --all > docs/rules.md
python3 - "$("$bin" rules --format markdown)" <<'PY'
import re, sys
path = "docs/lint.md"
table = sys.argv[1].rstrip("\n")
text = open(path).read()
new, count = re.subn(r"(<!-- rules:begin -->\n).*?(<!-- rules:end -->)", lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
if count != 1:
    sys.exit(f"{path}: expected one <!-- rules:begin --> ... <!-- rules:end --> block")
open(path, "w").write(new)
PY
