#!/usr/bin/env bash
# The project's test command: checks that generated files are current, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
swift test 2>&1 | tee .build/test-output.txt
