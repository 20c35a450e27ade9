#!/usr/bin/env bash
# The project's test command, as CI runs it: installs what is missing (scripts/install-test-tools.sh), builds, makes
# the man page, runs every test.
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
