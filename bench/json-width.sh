#!/usr/bin/env bash
# JSON object width benchmark (not a test): parse and /validate time of an AdmissionReview whose HPA has 1,000, 10,000
# and 100,000 labels, so the cost of an object's width shows (it must grow linearly: ten times the keys, about ten
# times the time).
#
#   bench/json-width.sh [PATH/TO/hpaguard-review-bench]   default: .build/release/hpaguard-review-bench
#                                                         (swift build -c release --product hpaguard-review-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/hpaguard-review-bench}
[[ -x $bin ]] || { echo "no $bin: swift build -c release --product hpaguard-review-bench" >&2; exit 2; }
out=bench/out/json-width
mkdir -p "$out"
python3 - "$out" <<'PY'
import json
import sys

base = json.load(open("testdata/webhook/review-update-with-managed-fields.json"))
for n in (1000, 10000, 100000):
    review = json.loads(json.dumps(base))
    review["request"]["object"]["metadata"]["labels"] = {f"k{i}": "v" for i in range(n)}
    with open(f"{sys.argv[1]}/labels-{n}.json", "w") as f:
        json.dump(review, f, separators=(",", ":"))
PY
for n in 1000 10000 100000; do
    iterations=$((200000 / n))
    echo "== $n labels ($(wc -c <"$out/labels-$n.json") bytes)"
    "$bin" "$out/labels-$n.json" "$iterations" parse
    "$bin" "$out/labels-$n.json" "$iterations" validate
done
