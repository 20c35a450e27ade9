#!/usr/bin/env bash
# The project's test command, as CI runs it: installs what is missing (scripts/install-test-tools.sh), builds, makes
# the man page, runs every test, then fuzzes each way bytes enter hpaguard for a bounded time (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-tools.sh
swift build --build-tests
# The man page (ArgumentParser's generate-manual plugin, offline with the package mirror): writes
# .build/plugins/GenerateManual/outputs/hpaguard/*.1 and builds the generator the man-page test runs. It cannot run
# inside `swift test`, which holds the package's build lock.
swift package plugin generate-manual --multi-page --configuration debug >/dev/null
# Without ../shared beside the clone, the real-world corpus suites are skipped: Swift Testing says so for each of
# their tests; the suite lines say it once per suite (the full output stays in .build/test-output.txt).
swift test --skip-build 2>&1 | tee .build/test-output.txt | grep -v '^➜ Test .*is not beside this clone'
# Each fuzz target for HPAGUARD_FUZZ_SECONDS (45 by default; 0 skips the step): a sanitizer build of its own
# (Fuzz/.build, about four minutes from scratch on two cores) and five targets (about four minutes). Longer runs:
# scripts/fuzz.sh SECONDS.
fuzz_seconds=${HPAGUARD_FUZZ_SECONDS:-45}
if [[ $fuzz_seconds != 0 ]]; then scripts/fuzz.sh "$fuzz_seconds"; fi
