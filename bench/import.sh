#!/usr/bin/env bash
# Import throughput of a 1,000,000-row results.csv: `opora import` into SQLite and into PostgreSQL,
# against sqlite3's own `.import` and DuckDB's read_csv of the same file, in the same run.
#   bash bench/import.sh                 # needs: sqlite3 (Debian), duckdb (PyPI), a PostgreSQL for the PG row
#   OPORA_BENCH_POSTGRES_URL=postgres://opora:opora@127.0.0.1:5432/opora bash bench/import.sh
# OPORA=path/to/opora skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
OUT=bench/out/import
mkdir -p "$OUT"
if [[ -z ${OPORA:-} ]]; then
  swift build -c release --product opora >/dev/null
  OPORA=.build/release/opora
fi

# A generated region large enough, cut to exactly $ROWS result rows.
if [[ ! -f $OUT/results.csv || $(($(wc -l < "$OUT/results.csv") - 1)) -ne $ROWS ]]; then
  rm -rf "$OUT/region"
  $OPORA generate --out "$OUT/region" --schools "${SCHOOLS:-2000}" --municipalities 24 --years 1 --seed 11 >/dev/null
  head -n $((ROWS + 1)) "$OUT/region/results.csv" > "$OUT/results.csv"
fi
rows=$(($(wc -l < "$OUT/results.csv") - 1))
[[ $rows -eq $ROWS ]] || { echo "only $rows rows generated; raise SCHOOLS"; exit 1; }
bytes=$(stat -c %s "$OUT/results.csv")
echo "results.csv: $rows rows, $((bytes / 1048576)) MiB, $(head -1 "$OUT/results.csv" | tr ',' '\n' | wc -l) columns"

# seconds and peak RSS (MiB) of a command, from GNU time
measure() {
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
  read -r secs kib < "$OUT/time.txt"
  echo "$secs $((kib / 1024))"
}
report() { # name secs rss
  printf '| %-40s | %7.2f s | %10.0f rows/s | %6s MiB |\n' "$1" "$2" "$(echo "$rows / $2" | bc -l)" "$3"
}

echo "| what | time | throughput | peak RSS |"
echo "|---|---|---|---|"

# Opora into SQLite: schools and tasks first (untimed), then the results file, validated and stored.
rm -f "$OUT/opora.sqlite"*
$OPORA import --db "$OUT/opora.sqlite" "$OUT/region/schools.csv" "$OUT/region/tasks.csv" >/dev/null
read -r s m < <(measure $OPORA import --db "$OUT/opora.sqlite" "$OUT/results.csv")
report "opora import → SQLite" "$s" "$m"

if [[ -n ${OPORA_BENCH_POSTGRES_URL:-} ]]; then
  psql "$OPORA_BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS opora_bench WITH (FORCE)" -c "CREATE DATABASE opora_bench"
  PG=${OPORA_BENCH_POSTGRES_URL%/*}/opora_bench
  $OPORA import --db "$PG" "$OUT/region/schools.csv" "$OUT/region/tasks.csv" >/dev/null
  read -r s m < <(measure $OPORA import --db "$PG" "$OUT/results.csv")
  report "opora import → PostgreSQL (COPY)" "$s" "$m"
fi

# sqlite3's own CSV import into a table of the same columns (no validation, no index).
rm -f "$OUT/peer.sqlite"
cols=$(head -1 "$OUT/results.csv" | tr -d '\r' | sed 's/[^,]*/"&"/g')
sqlite3 "$OUT/peer.sqlite" "CREATE TABLE results ($cols)"
read -r s m < <(measure sqlite3 "$OUT/peer.sqlite" ".mode csv" ".import --skip 1 $OUT/results.csv results")
report "sqlite3 .import (peer)" "$s" "$m"

# DuckDB reading the same CSV into a table of its own database file.
rm -f "$OUT/peer.duckdb"
read -r s m < <(measure python3 -c "
import duckdb, sys
con = duckdb.connect('$OUT/peer.duckdb')
con.execute(\"CREATE TABLE results AS SELECT * FROM read_csv('$OUT/results.csv', all_varchar=false)\")
assert con.execute('SELECT COUNT(*) FROM results').fetchone()[0] == $rows
")
report "DuckDB read_csv → table (peer)" "$s" "$m"

# The same rows as an .xlsx workbook, as an uploader would send them: `opora import` reads every
# workbook in its worker process (issue 23: a child with memory, CPU and wall-clock limits), so
# this row includes starting the worker and handing its rows back. Peer: openpyxl's read-only
# reader iterating the same sheet in Python (no checks, no database).
XROWS=${XROWS:-200000}
if [[ ! -f $OUT/results.xlsx || $(cat "$OUT/results.xlsx.rows" 2>/dev/null) != "$XROWS v2" ]]; then
  python3 - "$OUT/results.csv" "$OUT/results.xlsx" "$XROWS" <<'PY'
import csv, sys, openpyxl
source, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
book = openpyxl.Workbook(write_only=True)
sheet = book.create_sheet("results")
with open(source, newline="", encoding="utf-8") as f:
    for i, row in enumerate(csv.reader(f)):
        if i > count: break
        # Empty cells left out and numbers written as numbers, as Excel saves an export.
        sheet.append([None if v == "" else (int(v) if v.isdigit() and not v.startswith("0") else v) for v in row])
book.save(target)
PY
  echo "$XROWS v2" > "$OUT/results.xlsx.rows"
fi
xbytes=$(stat -c %s "$OUT/results.xlsx")
echo
echo "results.xlsx: $XROWS rows, $((xbytes / 1048576)) MiB"
echo "| what | time | throughput | peak RSS (largest process) |"
echo "|---|---|---|---|"
rows=$XROWS
rm -f "$OUT/opora-x.sqlite"*
$OPORA import --db "$OUT/opora-x.sqlite" "$OUT/region/schools.csv" "$OUT/region/tasks.csv" >/dev/null
# GNU time reports the largest RSS among the process and its waited-for children: the worker's peak
# is that figure whenever it exceeds the parent's.
read -r s m < <(measure $OPORA import --db "$OUT/opora-x.sqlite" "$OUT/results.xlsx")
report "opora import .xlsx (worker) → SQLite" "$s" "$m"
read -r s m < <(measure python3 -c "
import openpyxl
book = openpyxl.load_workbook('$OUT/results.xlsx', read_only=True)
n = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
assert n == $XROWS + 1, n
")
report "openpyxl read-only, rows only (peer)" "$s" "$m"
