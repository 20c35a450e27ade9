#!/usr/bin/env bash
# Streams benchmark: `hpaguard lint -` on one rendered stream of 20, 50 and 200 MB (generated ML-serving apps:
# Deployment + Service + HPA each, Helm-style `# Source:` comments), beside a plain libyaml parse of the same bytes.
# Prints wall time, peak RSS, objects, and what the run keeps per object (peak RSS over the objects read), so that
# memory is seen to follow the inventory of objects, not the bytes of the stream. A benchmark, not a test.
#
#   bench/lint-streams.sh [MB...]         default 20 50 200
#   HPAGUARD=path bench/lint-streams.sh   use an existing binary instead of building a release one
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-20 50 200}")
read -r -a sizes <<<"${sizes[*]}"
shared=${SHARED:-../shared}
out=${BENCH_OUT:-bench/out}
mkdir -p "$out"

command -v gcc >/dev/null || { echo "bench: gcc is needed for the libyaml floor" >&2; exit 2; }
[[ -f /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[[ -f "$shared/bench/gen_corpus.py" ]] || { echo "bench: $shared/bench (the shared harness) is missing" >&2; exit 2; }
if [[ -z "${HPAGUARD:-}" ]]; then
    swift build -c release -q --product hpaguard
    HPAGUARD=.build/release/hpaguard
fi
floor="$out/yaml_floor"
gcc -O2 -o "$floor" "$shared/bench/floor/yaml_floor.c" -lyaml

# One app is ~4.3 kB of YAML in the generator's multi layout.
bytes_per_app=4290
echo "hpaguard lint on one stream: $(nproc) cores; $($HPAGUARD --version)"
printf '%-8s %9s %9s %10s %12s %12s %12s %14s\n' stream objects findings "floor s" "hpaguard s" "x floor" "peak RSS" "RSS/object"
for mb in "${sizes[@]}"; do
    apps=$(((mb * 1000000 + bytes_per_app - 1) / bytes_per_app))
    dir="$out/stream-$mb"
    if [[ ! -d "$dir" ]]; then
        python3 "$shared/bench/gen_corpus.py" --apps "$apps" --layout multi --apps-per-file "$apps" --out "$dir" >/dev/null
    fi
    stream=$(ls "$dir"/*.yaml)
    /usr/bin/time -f '%e %M' -o "$out/time-floor.txt" "$floor" --mode load --quiet "$dir" >/dev/null
    /usr/bin/time -f '%e %M' -o "$out/time-lint.txt" "$HPAGUARD" lint --format json - <"$stream" >"$out/lint-$mb.json" || [[ $? -eq 1 ]]
    # GNU time puts "Command exited with non-zero status 1" first when lint finds something: the numbers are last.
    read -r floor_s _ < <(tail -n 1 "$out/time-floor.txt")
    read -r lint_s lint_kb < <(tail -n 1 "$out/time-lint.txt")
    python3 - "$out/lint-$mb.json" "$mb" "$floor_s" "$lint_s" "$lint_kb" "$(stat -c %s "$stream")" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
mb, floor_s, lint_s, kb, size = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
objects = report["summary"]["objects"]
print(f"{size / 1e6:6.1f}MB {objects:9d} {len(report['findings']):9d} {floor_s:10.2f} {lint_s:12.2f} "
      f"{lint_s / max(floor_s, 0.001):12.2f} {kb / 1024:9.1f} MiB {kb * 1024 / max(objects, 1):10.0f} B")
PY
done
