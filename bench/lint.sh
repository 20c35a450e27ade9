#!/usr/bin/env bash
# Lint benchmark: hpaguard lint beside a plain libyaml parse (the floor) of the same generated ML-serving apps
# (Deployment + Service + HPA per app). Prints files/s, MB/s, peak RSS and CPU use for each, the ratio to the
# floor, and the latency of one small file. A benchmark, not a test: numbers vary with the machine; ratios from
# one run hold.
#
#   bench/lint.sh [APPS]            default 2000 apps (one 3-document file per app), plus a 20,000-app tree
#   HPAGUARD=path bench/lint.sh     use an existing binary instead of building a release one
#   ROUNDS=5 bench/lint.sh          rounds per measurement (the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
apps=${1:-2000}
large_apps=${LARGE_APPS:-20000}
rounds=${ROUNDS:-5}
shared=${SHARED:-../shared}
out=${BENCH_OUT:-bench/out}
mkdir -p "$out"

command -v gcc >/dev/null || { echo "bench: gcc is needed for the libyaml floor" >&2; exit 2; }
[[ -f /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[[ -f "$shared/bench/gen_corpus.py" ]] || { echo "bench: $shared/bench (the shared harness) is missing" >&2; exit 2; }

if [[ -z "${HPAGUARD:-}" ]]; then
    swift build -c release -q
    HPAGUARD=.build/release/hpaguard
fi
floor="$out/yaml_floor"
gcc -O2 -o "$floor" "$shared/bench/floor/yaml_floor.c" -lyaml

small="$out/corpus-$apps"
large="$out/corpus-$large_apps"
[[ -d "$small" ]] || python3 "$shared/bench/gen_corpus.py" --apps "$apps" --out "$small" >/dev/null
[[ -d "$large" ]] || python3 "$shared/bench/gen_corpus.py" --apps "$large_apps" --out "$large" >/dev/null

# measure NAME DIR CMD...: median wall time over $rounds, peak RSS and CPU% of the median run.
measure() {
    local name=$1 dir=$2; shift 2
    local files bytes
    files=$(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | wc -l)
    bytes=$(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
    local results=()
    for ((round = 0; round < rounds; round++)); do
        /usr/bin/time -f '%e %M %P' -o "$out/time.txt" "$@" "$dir" >/dev/null 2>"$out/stderr.txt" || [[ $? -eq 1 ]]
        results+=("$(tail -n 1 "$out/time.txt")")
    done
    printf '%s\n' "${results[@]}" | sort -n | awk -v name="$name" -v files="$files" -v bytes="$bytes" -v n="$rounds" '
        { wall[NR] = $1; rss[NR] = $2; cpu[NR] = $3 }
        END {
            m = int((n + 1) / 2); w = wall[m]; if (w <= 0) w = 0.001
            printf "%-26s %8d files %8.1f MB %8.3f s %10.0f files/s %8.1f MB/s %8.1f MiB peak %6s CPU\n",
                name, files, bytes / 1e6, w, files / w, bytes / 1e6 / w, rss[m] / 1024, cpu[m]
        }'
}

echo "hpaguard lint benchmark: $(nproc) cores, median of $rounds rounds; $($HPAGUARD --version)"
for dir in "$small" "$large"; do
    echo
    floor_line=$(measure "libyaml load (floor)" "$dir" "$floor" --mode load --quiet)
    event_line=$(measure "libyaml events" "$dir" "$floor" --mode event --quiet)
    guard_line=$(measure "hpaguard lint --format json" "$dir" "$HPAGUARD" lint --format json)
    printf '%s\n%s\n%s\n' "$floor_line" "$event_line" "$guard_line"
    awk -v f="$floor_line" -v g="$guard_line" 'BEGIN {
        split(f, a, " +"); split(g, b, " +")
        for (i in a) if (a[i] == "files/s") fa = a[i-1]; for (i in b) if (b[i] == "files/s") fb = b[i-1]
        printf "hpaguard throughput / floor throughput: %.2f\n", fb / fa }'
done

echo
one=$(find "$small" -name '*.yaml' | head -1)
total=0
for ((round = 0; round < 50; round++)); do
    start=$(date +%s%N)
    "$HPAGUARD" lint "$one" >/dev/null || true
    total=$((total + $(date +%s%N) - start))
done
echo "one small file ($(wc -c <"$one") bytes), mean of 50 runs: $((total / 50 / 1000)) us per hpaguard lint (process start included)"
