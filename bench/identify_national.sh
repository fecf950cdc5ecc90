#!/usr/bin/env bash
# National scale: `opora identify --data` end to end (read and check every file, summarise ~20M
# results, run every criterion, write the list) against DuckDB computing only the per-school
# aggregates of the same results.csv, in the same run.
#   pip install duckdb
#   bash bench/identify_national.sh            # SCHOOLS=40000 by default; KEEP=1 keeps the data
#   OPORA=path/to/opora bash bench/identify_national.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCHOOLS=${SCHOOLS:-40000}
OUT=${WORKDIR:-bench/out/national}
mkdir -p "$OUT"
if [[ -z ${OPORA:-} ]]; then
  swift build -c release --product opora >/dev/null
  OPORA=.build/release/opora
fi
python3 -c "import duckdb" 2>/dev/null || { echo "needs: pip install duckdb" >&2; exit 1; }

if [[ ! -f $OUT/region/results.csv ]]; then
  $OPORA generate --out "$OUT/region" --schools "$SCHOOLS" --municipalities $((SCHOOLS / 40)) --years 1 --seed 3 >/dev/null
fi
rows=$(($(wc -l < "$OUT/region/results.csv") - 1))
size=$(du -m "$OUT/region/results.csv" | cut -f1)
echo "region: $SCHOOLS schools, results.csv $rows rows, $size MiB"

# Both programs read the same files: read them once first, so that neither pays for a disk read
# the other then skips (the machine may reclaim page cache between runs; the first timed run after
# other work was up to 2 s slower, and DuckDB, running second, got the warmed cache).
cat "$OUT"/region/*.csv > /dev/null

measure() { # prints "seconds peak_MiB"
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
  read -r secs kib < "$OUT/time.txt"
  echo "$secs $((kib / 1024))"
}

read -r os om < <(measure "$OPORA" identify --data "$OUT/region" --format csv)
read -r ds dm < <(measure python3 -c "
import duckdb
duckdb.sql('''
  SELECT school_id, assessment, subject, grade, count(*) AS n, avg(score) AS mean_score,
         avg(mark) AS mean_mark, avg(CASE WHEN mark = 2 THEN 1.0 ELSE 0.0 END) AS share_2,
         avg(CASE WHEN mark >= 4 THEN 1.0 ELSE 0.0 END) AS quality,
         avg(CASE WHEN mark < journal_mark THEN 1.0 ELSE 0.0 END) AS lowered
  FROM read_csv('$OUT/region/results.csv', types={'school_id': 'VARCHAR', 'student_id': 'VARCHAR'})
  GROUP BY ALL
''').fetchall()
")
echo
echo "| what | time | peak RSS |"
echo "|---|---|---|"
echo "| opora identify --data (check + summarise + all criteria) | $os s | $om MiB |"
echo "| DuckDB per-school aggregates of results.csv (peer) | $ds s | $dm MiB |"
[[ -n ${KEEP:-} ]] || rm -rf "$OUT/region"
