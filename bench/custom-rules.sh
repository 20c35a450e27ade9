#!/usr/bin/env bash
# Custom rules in a review: what they add to the webhook's review of one HPA, and what loading a policy of them costs.
#
#   bench/custom-rules.sh [REQUEST.json]
#
# Builds hpaguard-review-bench (release, in .build-release), writes policies of 1, 10 and 20 custom rules of the
# typical shape (three field reads and a comparison, on an HPA every rule applies to), and prints for each: the time
# to load the policy (parse, compile and type-check every expression), µs per /validate review beside the default
# policy in the same process (paired batches), and the difference per rule. With valgrind installed, the same as instructions (callgrind:
# repeatable where wall time is not), and those as µs at the default review's rate. REQUEST defaults to the shared
# bench's 4 KB review, else testdata's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOCK=""
command -v hpaguard-build-lock >/dev/null 2>&1 && LOCK=hpaguard-build-lock
$LOCK nice swift build -c release --scratch-path .build-release --product hpaguard-review-bench >/tmp/custom-rules-build.log 2>&1 \
    || { tail -20 /tmp/custom-rules-build.log >&2; exit 1; }
BENCH="$ROOT/.build-release/release/hpaguard-review-bench"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

REQUEST="${1:-}"
if [ -z "$REQUEST" ]; then
    if [ -f "$ROOT/../shared/bench/webhook/gen_review.py" ]; then
        python3 "$ROOT/../shared/bench/webhook/gen_review.py" "$WORK" >/dev/null
        REQUEST="$WORK/request.json"
    else
        REQUEST="$ROOT/testdata/webhook/review-update-with-managed-fields.json"
    fi
fi

# N rules: each reads three fields and compares, and holds (so the review's verdict does not change).
policy() {
    local n=$1 out=$2
    echo "customRules:" > "$out"
    for i in $(seq 1 "$n"); do
        cat >> "$out" <<RULE
  - id: rule-$i
    summary: rule $i
    validations:
      - expression: "object.spec.maxReplicas >= object.spec.minReplicas && object.metadata.name != 'forbidden-$i'"
        fieldPath: spec.maxReplicas
RULE
    done
}
for n in 1 10 20; do policy "$n" "$WORK/policy-$n.yaml"; done

# Wall time, paired: the default policy and the policy of N rules in alternating batches of 100 reviews, in one
# process; the median difference of adjacent batches is what the rules add (the machine's drift and neighbours
# affect both sides of each difference alike, which separate runs on a shared machine do not).
ITERATIONS=${ITERATIONS:-20000}
echo "request: $REQUEST ($(stat -c %s "$REQUEST") bytes), $ITERATIONS reviews per side"
base=""
for n in 1 10 20; do
    out="$("$BENCH" --policy "$WORK/policy-$n.yaml" "$REQUEST" "$ITERATIONS" paired)"
    load=$(awk '/^policy load/ { print $3 }' <<< "$out")
    default=$(awk '/^default policy/ { print $3 }' <<< "$out")
    added=$(awk '/^median difference/ { print $3 }' <<< "$out")
    [ -n "$base" ] || base=$default
    printf '%2d custom rules: +%6s µs per review (+%s µs per rule; default policy %s µs)   policy load %s µs\n' \
        "$n" "$added" "$(awk -v a="$added" -v n="$n" 'BEGIN { printf "%.2f", a / n }')" "$default" "$load"
done

if command -v valgrind >/dev/null 2>&1; then
    objcopy --strip-debug "$BENCH" "$WORK/bench"   # valgrind 3.19 cannot read the toolchain's DWARF 5
    instructions() { # instructions per review: (400 reviews - 200 reviews) / 220, as Benchmarks/ReviewBench/callgrind.sh
        # (with a fixed hash seed, as there: Swift's per-process seed moves a count by thousands of instructions)
        local totals=()
        for k in 200 400; do
            SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.$k" "$WORK/bench" "$@" "$REQUEST" "$k" validate \
                >/dev/null 2>"$WORK/cg.$k.log"
            totals+=("$(awk '/^summary:/ { print $2 }' "$WORK/cg.$k")")
        done
        echo $(( (totals[1] - totals[0]) / 220 ))
    }
    base_i=$(instructions)
    one_i=$(instructions --policy "$WORK/policy-1.yaml")
    ten_i=$(instructions --policy "$WORK/policy-10.yaml")
    # Instructions into time at the default review's own rate in this run (wall time alone is too noisy here to
    # show a microsecond).
    echo "instructions per /validate review: default $base_i, with 1 custom rule $one_i, with 10 $ten_i"
    awk -v base="$base_i" -v one="$one_i" -v ten="$ten_i" -v us="$base" 'BEGIN {
        rate = base / us
        printf "the first rule adds %d instructions (%.2f µs at the default review'"'"'s %.0f instructions/µs); each rule of 10 adds %d (%.2f µs)\n",
            one - base, (one - base) / rate, rate, (ten - base) / 10, (ten - base) / 10 / rate }'
fi
