#!/usr/bin/env bash
# Precision/recall of identification against the generator's truth.csv over several seeds, and
# the speed of AnalysisDataBuilder.add / Identification.run on a 2,000-school region.
# Rows: seed,category,criterion_or_category,precision,recall,tp,fp,fn — per category; for
# non_objective also per planted mechanism (journal_raise, hard_task_help, boundary_push: recall
# among the schools planted with it, precision counting every unplanted school flagged), "judged"
# (planted schools not "not enough data" on every sign), "changed>=5/10/20" (recall among the planted
# schools whose mechanism changed at least that many results in the analysis year, from truth.csv's
# detail), "changed<5" (recall among those that changed fewer than 5: their count bounds the recall
# an engine blind to them could reach) and per criterion. The `all` rows sum every row over the
# seeds (pooled precision and recall); `seeds_at_0.9` counts the seeds where non_objective reaches 0.9.
# Runs the gated Swift tests of OporaAnalysisTests (release build):
#   OPORA_BENCH=1 [OPORA_BENCH_SEEDS=1,2,3,4,5,7,11] [OPORA_BENCH_SCHOOLS=300] [OPORA_BENCH_SPEED_SCHOOLS=2000]
#   [OPORA_BENCH_RULES=FILE]   (measure a variant of rules/default.yaml)
# Per-school evidence of the signs with thresholds off: OPORA_DIAG=1 OPORA_DIAG_SEEDS=7
#   swift test -c release --scratch-path .build-testing --skip-build --filter nonObjectiveEvidence
#   (OPORA_DIAG_CSV=1: one CSV line per school; OPORA_DIAG_YEAR=2024: another analysis year)
# The tests are built with -enable-testing in their own folder, .build-testing, so that this bench
# and the plain release builds of the other benches do not rebuild each other's (8 minutes each).
# Usage: bench/identification_quality.sh   (from the package root)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-testing --build-tests -Xswiftc -enable-testing  # tests import @testable
OPORA_BENCH=1 OPORA_BENCH_SEEDS="${OPORA_BENCH_SEEDS:-1,2,3,4,5,7,11}" swift test -c release --scratch-path .build-testing --skip-build --filter IdentificationBench 2>&1 | grep -E '^(seed|[0-9]+,|all,)|speed:'
