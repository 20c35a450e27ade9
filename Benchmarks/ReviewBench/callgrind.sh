#!/usr/bin/env bash
# Instructions per review (callgrind), repeatable on a loaded machine where wall time is not.
#
#   Benchmarks/ReviewBench/callgrind.sh [REQUEST.json | update | live-update] [PARTS...]
#
# REQUEST defaults to the shared bench request (../shared/bench/webhook/gen_review.py), a CREATE; `update` makes an
# UPDATE of it, whose oldObject is the object with another maxReplicas; `live-update` gives both objects the status of
# an HPA that has run (two current metrics, three conditions), as an apply to a live HPA sends them. PARTS default to
# "validate mutate parse evaluate". Each part runs at 200 and at 400 iterations (each run warms up with a tenth more);
# the difference over 220 is the instructions of one review, start-up and policy loading aside.
# Build first: swift build -c release --product hpaguard-review-bench
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/.build/release/hpaguard-review-bench"
[ -x "$BENCH" ] || { echo "callgrind.sh: build it first: swift build -c release --product hpaguard-review-bench" >&2; exit 2; }
TMP="$(mktemp -d /tmp/hpaguard-callgrind.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
REQUEST="${1:-}"
if [ -z "$REQUEST" ] || [ "$REQUEST" = update ] || [ "$REQUEST" = live-update ]; then
  python3 "$ROOT/../shared/bench/webhook/gen_review.py" "$TMP" >/dev/null
  if [ "$REQUEST" = update ] || [ "$REQUEST" = live-update ]; then
    python3 - "$TMP/request.json" "$TMP/update.json" "$REQUEST" <<'PY'
import copy, json, sys
review = json.load(open(sys.argv[1]))
request = review["request"]
request["operation"] = "UPDATE"
request["options"]["kind"] = "UpdateOptions"
if sys.argv[3] == "live-update":
    time = "2024-06-11T09:31:32Z"
    request["object"]["status"] = {
        "observedGeneration": 3, "lastScaleTime": "2024-06-11T10:02:31Z", "currentReplicas": 4, "desiredReplicas": 4,
        "currentMetrics": [
            {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 45, "averageValue": "512m"}}},
            {"type": "Pods", "pods": {"metric": {"name": "vllm:num_requests_waiting"}, "current": {"averageValue": "3"}}},
        ],
        "conditions": [
            {"type": "AbleToScale", "status": "True", "lastTransitionTime": time, "reason": "ReadyForNewScale",
             "message": "recommended size matches current size"},
            {"type": "ScalingActive", "status": "True", "lastTransitionTime": time, "reason": "ValidMetricFound",
             "message": "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)"},
            {"type": "ScalingLimited", "status": "False", "lastTransitionTime": time, "reason": "DesiredWithinRange",
             "message": "the desired count is within the acceptable range"},
        ],
    }
request["oldObject"] = copy.deepcopy(request["object"])
request["oldObject"]["spec"]["maxReplicas"] -= 2
json.dump(review, open(sys.argv[2], "w"), separators=(",", ":"))
PY
    REQUEST="$TMP/update.json"
  else
    REQUEST="$TMP/request.json"
  fi
fi
shift || true
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(validate mutate parse evaluate)
# valgrind 3.19 cannot read the DWARF 5 the Swift toolchain writes: a copy without debug info (symbols stay).
# SWIFT_DETERMINISTIC_HASHING: Swift seeds its hashing per process, which moves a count by a few thousand
# instructions from one run to the next (dictionary probes); with a fixed seed two runs agree within a hundred.
objcopy --strip-debug "$BENCH" "$TMP/bench"
for part in "${PARTS[@]}"; do
  totals=()
  for n in 200 400; do
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$TMP/$part.$n.out" "$TMP/bench" "$REQUEST" "$n" "$part" \
      >/dev/null 2>"$TMP/$part.$n.log" || { cat "$TMP/$part.$n.log" >&2; exit 1; }
    totals+=("$(awk '/^summary:/ {print $2}' "$TMP/$part.$n.out")")
  done
  echo "$part: $(( (totals[1] - totals[0]) / 220 )) instructions per review (Ir at 200: ${totals[0]}, 400: ${totals[1]})"
done
