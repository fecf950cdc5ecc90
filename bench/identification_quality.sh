#!/usr/bin/env bash
# Precision/recall of identification against the generator's truth.csv over several seeds, and
# the speed of AnalysisDataBuilder.add / Identification.run on a 2,000-school region.
# Runs the gated Swift tests of OporaAnalysisTests (release build):
#   OPORA_BENCH=1 [OPORA_BENCH_SEEDS=1,2,3,4,5] [OPORA_BENCH_SCHOOLS=300] [OPORA_BENCH_SPEED_SCHOOLS=2000]
# Usage: bench/identification_quality.sh   (from the package root)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests
OPORA_BENCH=1 swift test -c release --skip-build --filter IdentificationBench 2>&1 | grep -E '^(seed|[0-9]+,)|speed:'
