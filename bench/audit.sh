#!/usr/bin/env bash
# Audit benchmark: `hpaguard audit --all-namespaces` against bench/kube_stand_in.py serving N generated HPAs (50
# namespaces, each HPA with its Deployment; every 10th pinned at max, every 25th flapping), read in pages of 500 over
# loopback HTTP. Prints wall time, peak RSS and findings per run, and the median. A benchmark, not a test: the
# stand-in is a Python server, so part of the time is its JSON; the numbers bound hpaguard's own cost from above.
#
#   bench/audit.sh [HPAS]            default 5000
#   HPAGUARD=path bench/audit.sh     use an existing binary instead of building a release one
#   ROUNDS=5 bench/audit.sh          runs (the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
hpas=${1:-5000}
rounds=${ROUNDS:-5}
out=${BENCH_OUT:-bench/out}
mkdir -p "$out"
[[ -f /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

if [[ -z "${HPAGUARD:-}" ]]; then
    # The shared machines serialize builds through hpaguard-build-lock; elsewhere it is not there.
    lock=""
    command -v hpaguard-build-lock >/dev/null 2>&1 && lock=hpaguard-build-lock
    $lock nice swift build -c release -q --scratch-path .build-release --product hpaguard
    HPAGUARD=.build-release/release/hpaguard
fi

kubeconfig="$out/audit-kubeconfig"
rm -f "$kubeconfig"
python3 bench/kube_stand_in.py --generate "$hpas" --kubeconfig "$kubeconfig" > "$out/audit-stand-in.port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 200); do [[ -s "$kubeconfig" ]] && break; sleep 0.05; done

echo "hpaguard audit --all-namespaces: $hpas HPAs, $rounds runs ($("$HPAGUARD" --version))"
times=()
for round in $(seq "$rounds"); do
    /usr/bin/time -f "%e %M" -o "$out/audit-time" "$HPAGUARD" audit --kubeconfig "$kubeconfig" --all-namespaces \
        --now 2026-01-01T12:00:00Z --format json > "$out/audit.json" || [[ $? == 1 ]]
    read -r seconds rss < "$out/audit-time"
    findings=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(len(r['findings']), r['summary']['objects'])" "$out/audit.json")
    echo "  run $round: ${seconds}s, peak RSS $((rss / 1024)) MB, findings and HPAs: $findings"
    times+=("$seconds")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")
echo "median: ${median}s for $hpas HPAs"
