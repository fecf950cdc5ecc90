#!/usr/bin/env bash
# Web pages under load: wrk against the signed-in pages of a 2,000-school region, with /health as
# the peer in the same invocation (the same server, the same wrk settings, no page rendering).
#
#   bash bench/web.sh                  # builds `opora` in release unless OPORA=path/to/opora
#   SCHOOLS=2000 DURATION=20s CONNECTIONS=32 THREADS=2 KEEP=1 bash bench/web.sh
#
# Steps: `opora generate` a region → `opora import` into a fresh SQLite database → `opora identify
# --db` (stores a run, so the dashboard and the profile show categories and evidence) → `opora user
# add` a region and a municipality account → `opora serve` (release) on a free 127.0.0.1 port →
# sign in with curl for each account's session cookie → warm up → wrk with that cookie against
#   /health (peer), / as the region, / as the municipality, /schools/{id} of a school with results.
# Prints requests/s and p50/p99 latency per target; the goal is p99 < 50 ms at 32 connections.
# Then, unless DURING_IMPORT=0, the same pages during an import (issue 23): wrk reads the school
# profile and the region's dashboard (16 connections each) for DURING (default 60 s) while `opora
# import` replaces the whole region's data (the same files again) from a second process, 3 s in; it
# prints the import's time and the pages' p50/p99, timeouts (over 2 s, wrk's default) and errors.
# The goal: no timeouts and p99 < 250 ms.
# For each page it also prints the median time of single sequential requests (no concurrency),
# which separates the cost of rendering one page from queueing under load.
# Needs: wrk, curl, python3. Sends traffic only to 127.0.0.1. Leaves nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHOOLS=${SCHOOLS:-2000}
MUNICIPALITIES=${MUNICIPALITIES:-$((SCHOOLS / 40))}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
GOAL_MS=${GOAL_MS:-50}
# wrk leaves requests slower than its timeout (default 2 s) out of the latency figures: allow more.
TIMEOUT=${TIMEOUT:-10s}
PASSWORD="bench-web-password"

command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }
if [[ -z ${OPORA:-} ]]; then
  swift build -c release --product opora 2>&1 | tail -1
  OPORA="$(swift build -c release --show-bin-path)/opora"
fi

work=${WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/opora-bench-web.XXXXXX")}
mkdir -p "$work"
db="$work/bench.sqlite"
rm -f "$db" "$db-wal" "$db-shm"

server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [[ -n ${KEEP:-} ]] || rm -rf "$work"
}
trap cleanup EXIT

# One row of figures from a wrk --latency report: name, goal (p99, ms), report file, and either
# `errors` (the socket errors line joins the verdict) or `timeouts` (a column of timeouts, which fail
# the goal too).
wrk_row() {
  python3 - "$1" "$2" "$3" "$4" <<'EOF'
import re, sys
name, goal, text, mode = sys.argv[1], float(sys.argv[2]), open(sys.argv[3]).read(), sys.argv[4]
def ms(v):
    n, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
bad = bad.group(1) if bad else "0"
if mode == "timeouts":
    timeouts = re.search(r"timeout (\d+)", text)
    t = int(timeouts.group(1)) if timeouts else 0
    verdict = "ok" if p99 < goal and t == 0 else "SLOW"
    print(f"{name:32s} {float(rps):10.1f} {p50:8.1f}ms {p99:8.1f}ms {t:10d} {bad:>10s} {verdict}")
else:
    errors = re.search(r"Socket errors:.*", text)
    verdict = ("ok" if p99 < goal else "SLOW") + (f"; {errors.group(0)}" if errors else "")
    print(f"{name:32s} {float(rps):10.1f} {p50:8.1f}ms {p99:8.1f}ms {bad:>10s} {verdict}")
EOF
}

echo "== data: $SCHOOLS schools in $MUNICIPALITIES municipalities, 3 years ($work)"
if [[ ! -f $work/region/results.csv ]]; then
  "$OPORA" generate --out "$work/region" --schools "$SCHOOLS" --municipalities "$MUNICIPALITIES" --years 3 --seed 7 >/dev/null
fi
# truth.csv is the generator's answer key, not an interchange file.
files=()
for f in "$work"/region/*.csv; do [[ $(basename "$f") == truth.csv ]] || files+=("$f"); done
t0=$(date +%s.%N)
"$OPORA" import --db "$db" "${files[@]}" >/dev/null
t1=$(date +%s.%N)
"$OPORA" identify --db "$db" --format csv >/dev/null
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "import %.1f s, identify --db (stored run) %.1f s\n", b - a, c - b }'

# A municipality and a school that has student results (the first of results.csv).
{ read -r school; read -r municipality; } < <(python3 - "$work/region" <<'EOF'
import csv, sys, os
folder = sys.argv[1]
with open(os.path.join(folder, "results.csv"), newline="", encoding="utf-8-sig") as f:
    school = next(csv.DictReader(f))["school_id"]
with open(os.path.join(folder, "schools.csv"), newline="", encoding="utf-8-sig") as f:
    municipality = next(r["municipality"] for r in csv.DictReader(f) if r["school_id"] == school)
print(school)
print(municipality)
EOF
)
printf '%s\n' "$PASSWORD" | "$OPORA" user add --db "$db" --login bench-region --role region --password-stdin >/dev/null
printf '%s\n' "$PASSWORD" | "$OPORA" user add --db "$db" --login bench-municipality --role municipality --territory "$municipality" --password-stdin >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$OPORA" serve --db "$db" --host 127.0.0.1 --port "$port" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "opora serve exited:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$base/health" >/dev/null

# Signs in through the form (double-submit CSRF cookie) and prints the session cookie header.
session() {
  local jar="$work/$1.jar" csrf
  csrf=$(curl -fsS -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$1" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf=$csrf" --data-urlencode "next=/" "$base/login"
  awk '$6 == "opora_session" { print "opora_session=" $7 }' "$jar"
}
region_cookie=$(session bench-region)
municipality_cookie=$(session bench-municipality)
[[ -n $region_cookie && -n $municipality_cookie ]] || { echo "could not sign in" >&2; exit 1; }

# name|path|cookie|text the page must contain (so a redirect to /login is never measured)
targets=(
  "health (peer)|/health||ok"
  "dashboard, region|/|$region_cookie|id=\"schools\""
  "dashboard, municipality|/|$municipality_cookie|id=\"schools\""
  "school profile $school|/schools/$school|$region_cookie|id=\"flags\""
)

echo "== check and warm up"
for t in "${targets[@]}"; do
  IFS='|' read -r name path cookie expect <<<"$t"
  out=$(curl -sS -o "$work/page" -w '%{http_code} %{size_download}' ${cookie:+-H "Cookie: $cookie"} "$base$path")
  grep -q "$expect" "$work/page" || { echo "$name: $base$path answered $out without «$expect»" >&2; exit 1; }
  # Single requests one after another: the cost of one page with the server otherwise idle.
  times=$(for _ in $(seq 1 21); do curl -sS -o /dev/null -w '%{time_total}\n' ${cookie:+-H "Cookie: $cookie"} "$base$path"; done | sort -n)
  median=$(echo "$times" | sed -n 11p)
  awk -v n="$name" -v code="${out% *}" -v size="${out#* }" -v m="$median" \
    'BEGIN { printf "  %-32s HTTP %s, %s bytes; single request median %.1f ms\n", n, code, size, m * 1000 }'
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s ${cookie:+-H "Cookie: $cookie"} "$base$path" >/dev/null
done

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout $TIMEOUT --latency (goal: p99 < $GOAL_MS ms)"
printf '%-32s %10s %10s %10s %10s %s\n' target "req/s" "p50" "p99" "non-2xx" verdict
for t in "${targets[@]}"; do
  IFS='|' read -r name path cookie expect <<<"$t"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency ${cookie:+-H "Cookie: $cookie"} "$base$path" > "$work/wrk.txt"
  wrk_row "$name" "$GOAL_MS" "$work/wrk.txt" errors
done
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc))"

[[ ${DURING_IMPORT:-1} == 0 ]] && exit 0
DURING=${DURING:-60s}
DURING_GOAL_MS=${DURING_GOAL_MS:-250}
echo "== during an import: wrk -t1 -c16 on each of two pages (32 connections) for $DURING, default timeout 2 s"
during_targets=(
  "school profile $school|/schools/$school|$region_cookie"
  "dashboard, region|/|$region_cookie"
)
pids=()
i=0
for t in "${during_targets[@]}"; do
  IFS='|' read -r name path cookie <<<"$t"
  wrk -t1 -c16 -d"$DURING" --latency -H "Cookie: $cookie" "$base$path" > "$work/during$i.txt" &
  pids+=($!)
  i=$((i + 1))
done
sleep 3
t0=$(date +%s.%N)
"$OPORA" import --db "$db" "${files[@]}" > "$work/import2.log" 2>&1 || { echo "the import failed:"; cat "$work/import2.log"; }
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  opora import of the whole region again, from a second process: %.1f s\n", b - a }'
wait "${pids[@]}"
printf '%-32s %10s %10s %10s %10s %10s %s\n' target "req/s" "p50" "p99" "timeouts" "non-2xx" verdict
i=0
for t in "${during_targets[@]}"; do
  IFS='|' read -r name path cookie <<<"$t"
  wrk_row "$name" "$DURING_GOAL_MS" "$work/during$i.txt" timeouts
  i=$((i + 1))
done
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc))"
