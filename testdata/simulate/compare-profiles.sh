#!/bin/sh
# The profile comparison of docs/simulate.md: every profile against a spike, a ramp, a daily cycle and bursts, the HPA
# as written (no behavior) beside the HPA as `hpaguard mutate` leaves it, with the shipped profiles and with the
# earlier ones that paced scale-up by the model load time (paced-profiles.yaml). One pod carries 1.2 x its metric's
# target (the headroom the target leaves). Prints a Markdown table; needs jq.
# Usage: testdata/simulate/compare-profiles.sh [path/to/hpaguard]
set -eu
bin=${1:-.build/debug/hpaguard}
here=testdata/simulate
run() { # file capacity trace [policy]
    "$bin" simulate --with-profile --capacity "$2" --trace "$3" ${4:+--policy "$4"} --format json "$1"
}
row() { # profile file capacity trace
    paced=$(run "$2" "$3" "$4" "$here/paced-profiles.yaml" | jq -c '.runs[1].summary')
    run "$2" "$3" "$4" | jq -r --arg profile "$1" --arg trace "$4" --argjson paced "$paced" '
      def h: (. / 360 | round / 10);
      def u: (.unservedLoadSeconds | round);
      def l: (.longestUnservedSeconds | tostring + " s");
      .runs as [$a, $b] |
      "| \($profile) | `\($trace)` | \($a.summary | u) / \($a.summary | l) / \($a.summary.replicaSeconds | h) | \($paced | u) / \($paced | l) / \($paced.replicaSeconds | h) | \($b.summary | u) / \($b.summary | l) / \($b.summary.replicaSeconds | h) |"'
}
echo "| profile | trace | as written | profile paced by load time (before) | profile now |"
echo "| --- | --- | --- | --- | --- |"
llm=testdata/profiles/llm-vllm-detected/before.yaml
rt=$here/realtime-triton.yaml
batch=testdata/profiles/batch-annotation-floor/before.yaml
row llm-inference "$llm" 6 spike:8:40@10m+30m
row llm-inference "$llm" 6 ramp:8:40@10m-40m
row llm-inference "$llm" 6 diurnal:8:40/24h
row llm-inference "$llm" 6 "$here/bursty.csv"
row realtime-inference "$rt" 12 spike:20:200@10m+30m
row realtime-inference "$rt" 12 ramp:20:200@10m-40m
row realtime-inference "$rt" 12 diurnal:20:200/24h
row batch-inference "$batch" 120 spike:100:3000@10m+30m
row batch-inference "$batch" 120 ramp:100:3000@10m-40m
row batch-inference "$batch" 120 diurnal:100:3000/24h
