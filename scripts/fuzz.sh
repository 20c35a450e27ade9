#!/usr/bin/env bash
# Builds the fuzz targets (Fuzz/, with libFuzzer and AddressSanitizer) and runs each for SECONDS (default 60) on a
# copy of its seed corpus. Fails on a crash, a leak, a timeout (one input over 10 s) or memory over 2 GB, printing
# the reproducer; says how many inputs each target ran.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 300 FuzzCEL
#
# Reproduce a failure: Fuzz/.build/debug/<Target> <reproducer>. docs/development.md has more.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
# Target, its corpus (Fuzz/corpus/NAME) and its dictionary (Fuzz/dictionaries/NAME.dict).
all=(FuzzJSON:json:json FuzzManifests:manifests:yaml FuzzAdmissionReview:admission-review:admission-review
    FuzzPolicy:policy:yaml FuzzCEL:cel:cel)
selected=()
for entry in "${all[@]}"; do
    if [[ $# -eq 0 ]] || [[ " $* " == *" ${entry%%:*} "* ]]; then selected+=("$entry"); fi
done
[[ ${#selected[@]} -gt 0 ]] || { echo "fuzz.sh: no target among: $*" >&2; exit 2; }

# --sanitize=fuzzer makes SwiftPM leave `main` to libFuzzer (else it points `main` at the target's own empty top-level
# code, and the binary exits at once). The sanitizers reach swiftc as one -Xswiftc flag: given two -sanitize= flags
# (as SwiftPM's --sanitize=fuzzer --sanitize=address would), swiftc keeps the last, and code built without the
# fuzzer's coverage leaves libFuzzer blind. Debug: a release build of the whole graph (SwiftNIO, BoringSSL) with
# sanitizers would lengthen CI's step.
build_log=Fuzz/.build/fuzz-build.log
mkdir -p Fuzz/.build
flags=(--package-path Fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
echo "fuzz: building the targets (swift build ${flags[*]})"
build_start=$SECONDS
if ! swift build "${flags[@]}" >"$build_log" 2>&1; then
    grep -E 'error:' "$build_log" | head -20 >&2 || true
    echo "fuzz: the build failed (log: $build_log)" >&2
    exit 1
fi
echo "fuzz: built in $((SECONDS - build_start)) s"
fuzz_start=$SECONDS
bin=$(swift build "${flags[@]}" --show-bin-path)

work=$(mktemp -d "${TMPDIR:-/tmp}/hpaguard-fuzz.XXXXXX")
# libFuzzer reports crashes itself (with ASan's symbolized stack); Swift's backtracer would race it for the signal.
export SWIFT_BACKTRACE=enable=no
# Deep enough allocation stacks that the suppressions (what globals' initializers allocate) find their frame.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=100}
export LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}
failed=()
for entry in "${selected[@]}"; do
    IFS=: read -r target corpus dictionary <<<"$entry"
    cp -R "Fuzz/corpus/$corpus" "$work/$target"
    mkdir -p "$work/$target-artifacts"
    log="$work/$target.log"
    start=$SECONDS
    status=0
    nice -n 10 "$bin/$target" "$work/$target" -dict="Fuzz/dictionaries/$dictionary.dict" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/$target-artifacts/" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus_size=$(find "$work/$target" -type f | wc -l)
    echo "fuzz: $target: ${runs:-?} inputs in $((SECONDS - start)) s, corpus $(ls "Fuzz/corpus/$corpus" | wc -l) -> $corpus_size"
    if [[ $status -ne 0 ]]; then
        failed+=("$target")
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|ERROR: libFuzzer|Precondition failed' "$log" | head -8 >&2 || true
        for artifact in "$work/$target-artifacts"/*; do
            [[ -e $artifact ]] && echo "fuzz: $target: reproducer $artifact (run: $bin/$target $artifact)" >&2
        done
        echo "fuzz: $target: exit $status; its log: $log" >&2
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: FAILED: ${failed[*]} (reproducers and logs kept in $work)" >&2
    exit 1
fi
rm -rf "$work"
echo "fuzz: no crash, leak or timeout ($((SECONDS - fuzz_start)) s of fuzzing, $SECONDS s in all)"
