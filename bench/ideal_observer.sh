#!/usr/bin/env bash
# An upper bound for non_objective recall on the demo region: an ideal observer that knows the
# generator's model (not which schools are planted) ranks the schools by the Bayes factor of
# "planted" against "honest"; plus an engine-feasible journal_raise statistic from per-cell
# counts. Prints, per statistic, the planted schools found above the k-th highest unplanted
# school. See bench/ideal_observer.py for the model and docs/identification.md ("Session 7").
#   [OPORA_BENCH_SEEDS=1,2,3,4,5] [ABILITY=true|est] [YEARS=3] [EPS=0.005] [WORKDIR=bench/out/ideal]
# Needs numpy, scipy, polars and statsmodels (pip install numpy scipy polars statsmodels).
# Usage: bench/ideal_observer.sh   (from the package root)
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS="${OPORA_BENCH_SEEDS:-1,2,3,4,5}"
WORKDIR="${WORKDIR:-bench/out/ideal}"
mkdir -p "$WORKDIR"
swift build -c release --scratch-path .build-testing --build-tests -Xswiftc -enable-testing >/dev/null
OPORA_IDEAL_OBSERVER_DIR="$PWD/$WORKDIR" OPORA_IDEAL_OBSERVER_SEEDS="$SEEDS" \
  swift test -c release --scratch-path .build-testing --skip-build --filter IdealObserverDump >/dev/null
python3 bench/ideal_observer.py --dir "$WORKDIR" --seeds "$SEEDS" --ability "${ABILITY:-true}" \
  --years "${YEARS:-3}" --eps "${EPS:-0.005}"
