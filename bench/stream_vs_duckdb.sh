#!/usr/bin/env bash
# Importer.stream (release build) against DuckDB computing per-school aggregates from the same CSV.
#
#   bench/stream_vs_duckdb.sh [SCHOOLS] [WORKDIR]     # defaults: 2000 schools (~1.1 M rows), /tmp/opora-stream-bench
#   bench/stream_vs_duckdb.sh 40000                   # national scale: ~20.6 M rows, 2.2 GB results.csv
#
# Builds a private package in WORKDIR whose targets are symlinks to this repository's OporaCore,
# OporaImport, OporaDemo and bench/stream/*.swift (Package.swift of the repository is not used),
# generates one year of a demo region with SCHOOLS schools (seed 3), then runs, each under
# /usr/bin/time -v (peak RSS): the streaming import with a counting consumer, and DuckDB's
#   SELECT school_id, assessment, subject, grade, count(*), avg(score), sum(mark = 2) FROM read_csv(...) GROUP BY ALL
# Needs: swift, python3 with duckdb (pip install duckdb). Set KEEP=1 to keep the data.
set -euo pipefail
SCHOOLS=${1:-2000}
WORK=${2:-/tmp/opora-stream-bench}
REPO=$(cd "$(dirname "$0")/.." && pwd)
DATA="$WORK/data-$SCHOOLS"

mkdir -p "$WORK/pkg/Sources/gen" "$WORK/pkg/Sources/streambench"
for m in OporaCore OporaImport OporaDemo; do ln -sfn "$REPO/Sources/$m" "$WORK/pkg/Sources/$m"; done
ln -sfn "$REPO/bench/stream/generate.swift" "$WORK/pkg/Sources/gen/main.swift"
ln -sfn "$REPO/bench/stream/stream_bench.swift" "$WORK/pkg/Sources/streambench/main.swift"
cat > "$WORK/pkg/Package.swift" <<'PKG'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "OporaStreamBench",
    platforms: [.macOS(.v14)],
    targets: [
        .target(name: "OporaCore"),
        .target(name: "OporaImport", dependencies: ["OporaCore"]),
        .target(name: "OporaDemo", dependencies: ["OporaCore"]),
        .executableTarget(name: "gen", dependencies: ["OporaDemo"]),
        .executableTarget(name: "streambench", dependencies: ["OporaImport", "OporaCore"]),
    ]
)
PKG
(cd "$WORK/pkg" && swift build -c release 2>&1 | tail -1)
BIN="$WORK/pkg/.build/release"

if [ ! -f "$DATA/results.csv" ]; then
  echo "disk: $(df -h "$WORK" | tail -1)"
  "$BIN/gen" "$SCHOOLS" "$DATA" | cut -c1-160
fi
ls -l "$DATA/results.csv"

cat > "$WORK/duck.py" <<'PY'
import duckdb, sys, time
d = sys.argv[1]
t = time.time()
r = duckdb.connect().execute(f"""
  SELECT school_id, assessment, subject, grade, count(*) AS n, avg(score) AS mean,
         sum(CASE WHEN mark = 2 THEN 1 ELSE 0 END) AS twos
  FROM read_csv('{d}/results.csv', header = true, types = {{'school_id': 'VARCHAR', 'student_id': 'VARCHAR'}})
  GROUP BY ALL""").fetchall()
print(f"duckdb {duckdb.__version__}: {len(r)} groups in {time.time() - t:.2f} s")
PY

peak() { grep -E "Maximum resident|Elapsed" | sed 's/^\s*/    /'; }
echo "== Importer.stream (validates all files of the folder, counting consumer)"
/usr/bin/time -v "$BIN/streambench" "$DATA" stream 2> "$WORK/time-stream.txt"; peak < "$WORK/time-stream.txt"
echo "== DuckDB (results.csv only, no validation)"
/usr/bin/time -v python3 "$WORK/duck.py" "$DATA" 2> "$WORK/time-duck.txt"; peak < "$WORK/time-duck.txt"
if [ "${KEEP:-0}" != 1 ]; then rm -rf "$DATA" "$DATA-truth"; fi
