#!/usr/bin/env python3
"""Validate the Opora seed templates in this folder.

Usage: python3 check.py        (exit code 0 = all good)

Checks:
- every *.yaml parses;
- programmes/*.yaml match the template schema (required keys, no unknown keys, enums,
  exactly one deadline form, date format, months 1..12, indicator references resolve,
  ids unique in a file and across files, shares in 0..1);
- risk_factors.yaml: exactly the ten codes, levels, questions, data_hint form;
- self_diagnosis.yaml: areas/indicators, unique codes, swot with four blocks;
- partner_pairs.yaml: pairs present;
- no personal names from a small blacklist (names seen in the seeds).
"""
import datetime
import glob
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ERRORS = []

RISK_CODES = ["low_equipment", "staff_shortage", "teacher_competence", "low_adaptivity",
              "no_pd_system", "language_barriers", "school_environment", "students_at_risk",
              "low_parent_involvement", "low_motivation"]
# Codes a data_hint may use: the standard indicator catalogue (OporaCore IndicatorCatalogue; a Swift
# test checks the two lists agree) plus two figures Opora computes from the results.
DATA_CODES = {"parents_higher_education_share", "single_parent_share", "unemployed_parents_share",
              "low_income_share", "register_share", "disability_share", "non_native_share",
              "teachers", "teacher_vacancies", "teachers_without_qualification_share",
              "teachers_retirement_age_share", "pupils_per_teacher", "pd_coverage_share",
              "has_psychologist", "has_speech_therapist", "has_social_pedagogue",
              "computers_per_100_students", "internet_mbps", "equipment_share",
              "fail_share", "journal_lowered_share"}
LEVELS = {"municipality", "school"}
KINDS = {"roadmap", "medium_term_programme", "anti_risk_programme", "concept"}
UNITS = {"share", "count", "score", "mark", "yes_no", "percent_points"}
DIRECTIONS = {"higher_is_better", "lower_is_better"}
PERIODS = {"quarterly", "half_year", "annual", "once"}
COMPUTED = {None, "vpr_fail_share", "vpr_quality_share", "oge_quality_share", "ege_mean_score",
            "journal_confirmed_share", "schools_in_programme_share", "staff_trained_count"}
SECTIONS = {"normative", "organisational", "methodological", "staff", "material", "monitoring",
            "informational"}
RECURRENCES = {"monthly", "quarterly", "half_year", "annual", "during_year"}
TOP_KEYS = ["id", "title_ru", "title_en", "level", "kind", "risk_factor", "source", "goals", "tasks",
            "indicators", "measures"]
IND_KEYS = ["id", "name_ru", "name_en", "unit", "direction", "baseline", "target", "period", "computed"]
MEASURE_KEYS = ["section", "title_ru", "title_en", "deadline", "responsible_ru", "responsible_en",
                "expected_result_ru", "expected_result_en", "indicator"]
# names of officials that occur in the seeds (must never be copied)
NAME_BLACKLIST = ["Наумова", "Семыкина", "Татьяна Яковлевна", "Мария Дмитриевна", "tynaumova"]
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
COND = re.compile(r"^([a-z_0-9]+)( / ([a-z_0-9]+))? (<|<=|>|>=|==) (-?[0-9.]+)$")


def err(where, msg):
    ERRORS.append(f"{where}: {msg}")


def is_text(v, allow_empty=False):
    return isinstance(v, str) and (allow_empty or v.strip() != "")


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        for name in NAME_BLACKLIST:
            if name in raw:
                err(path, f"personal name '{name}' found")
        return yaml.safe_load(raw)
    except Exception as e:  # noqa
        err(path, f"YAML does not parse: {e}")
        return None


def check_bilingual_list(where, items):
    if not isinstance(items, list):
        err(where, "must be a list")
        return
    for i, it in enumerate(items):
        if not isinstance(it, dict) or set(it) != {"ru", "en"} or not is_text(it["ru"]) or not is_text(it["en"]):
            err(f"{where}[{i}]", "must be {ru, en} with non-empty text")


def check_number(where, v):
    if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
        err(where, f"must be a number or null, got {v!r}")


def check_template(path, doc, seen_ids):
    w = os.path.relpath(path, HERE)
    if not isinstance(doc, dict):
        err(w, "not a mapping")
        return 0, 0
    missing = [k for k in TOP_KEYS if k not in doc]
    extra = [k for k in doc if k not in TOP_KEYS]
    if missing:
        err(w, f"missing keys {missing}")
    if extra:
        err(w, f"unknown keys {extra}")
    tid = doc.get("id")
    if not isinstance(tid, str) or not KEBAB.match(tid):
        err(w, f"id {tid!r} is not kebab-case")
    elif tid in seen_ids:
        err(w, f"id {tid!r} duplicates {seen_ids[tid]}")
    else:
        seen_ids[tid] = w
    if os.path.splitext(os.path.basename(path))[0] != tid:
        err(w, f"file name should be {tid}.yaml")
    for k in ("title_ru", "title_en", "source"):
        if not is_text(doc.get(k)):
            err(w, f"{k} must be non-empty text")
    if doc.get("level") not in LEVELS:
        err(w, f"level {doc.get('level')!r} not in {sorted(LEVELS)}")
    if doc.get("kind") not in KINDS:
        err(w, f"kind {doc.get('kind')!r} not in {sorted(KINDS)}")
    rf = doc.get("risk_factor")
    if doc.get("kind") == "anti_risk_programme":
        if rf not in RISK_CODES:
            err(w, f"anti_risk_programme needs a risk_factor code, got {rf!r}")
    elif rf is not None and rf not in RISK_CODES:
        err(w, f"risk_factor {rf!r} is not a risk factor code")
    check_bilingual_list(f"{w}.goals", doc.get("goals", []))
    check_bilingual_list(f"{w}.tasks", doc.get("tasks", []))

    ind_ids = set()
    inds = doc.get("indicators") or []
    if not isinstance(inds, list):
        err(w, "indicators must be a list")
        inds = []
    for i, ind in enumerate(inds):
        iw = f"{w}.indicators[{i}]"
        if not isinstance(ind, dict):
            err(iw, "not a mapping")
            continue
        miss = [k for k in IND_KEYS if k not in ind]
        ext = [k for k in ind if k not in IND_KEYS]
        if miss:
            err(iw, f"missing keys {miss}")
        if ext:
            err(iw, f"unknown keys {ext}")
        iid = ind.get("id")
        if not isinstance(iid, str) or not SNAKE.match(iid):
            err(iw, f"id {iid!r} is not snake_case")
        elif iid in ind_ids:
            err(iw, f"duplicate indicator id {iid!r}")
        else:
            ind_ids.add(iid)
        for k in ("name_ru", "name_en"):
            if not is_text(ind.get(k)):
                err(iw, f"{k} must be non-empty text")
        if ind.get("unit") not in UNITS:
            err(iw, f"unit {ind.get('unit')!r} not in {sorted(UNITS)}")
        if ind.get("direction") not in DIRECTIONS:
            err(iw, f"direction {ind.get('direction')!r} invalid")
        if ind.get("period") not in PERIODS:
            err(iw, f"period {ind.get('period')!r} invalid")
        if ind.get("computed") not in COMPUTED:
            err(iw, f"computed {ind.get('computed')!r} invalid")
        for k in ("baseline", "target"):
            check_number(f"{iw}.{k}", ind.get(k))
            v = ind.get(k)
            if ind.get("unit") == "share" and isinstance(v, (int, float)) and not 0 <= v <= 1:
                err(iw, f"{k} {v} of a share must be in 0..1")
            if ind.get("unit") == "yes_no" and v is not None and v not in (0, 1):
                err(iw, f"{k} of yes_no must be 0 or 1")

    ms = doc.get("measures") or []
    if not isinstance(ms, list) or not ms:
        err(w, "measures must be a non-empty list")
        ms = []
    for i, m in enumerate(ms):
        mw = f"{w}.measures[{i}]"
        if not isinstance(m, dict):
            err(mw, "not a mapping")
            continue
        miss = [k for k in MEASURE_KEYS if k not in m]
        ext = [k for k in m if k not in MEASURE_KEYS]
        if miss:
            err(mw, f"missing keys {miss}")
        if ext:
            err(mw, f"unknown keys {ext}")
        if m.get("section") not in SECTIONS:
            err(mw, f"section {m.get('section')!r} not in {sorted(SECTIONS)}")
        for k in ("title_ru", "title_en"):
            if not is_text(m.get(k)):
                err(mw, f"{k} must be non-empty text")
        # responsible / expected result: text, or null where the seed leaves the cell empty
        for a, b in (("responsible_ru", "responsible_en"), ("expected_result_ru", "expected_result_en")):
            va, vb = m.get(a), m.get(b)
            if va is None and vb is None:
                continue
            if not is_text(va) or not is_text(vb):
                err(mw, f"{a}/{b} must both be text or both null")
        d = m.get("deadline")
        if not isinstance(d, dict):
            err(mw, "deadline must be a mapping")
        else:
            forms = [k for k in ("date", "recurrence", "relative_months") if k in d]
            if len(forms) != 1:
                err(mw, f"deadline needs exactly one of date/recurrence/relative_months, got {forms}")
            ext = [k for k in d if k not in ("date", "recurrence", "relative_months", "months")]
            if ext:
                err(mw, f"deadline has unknown keys {ext}")
            if "months" in d:
                if "recurrence" not in d:
                    err(mw, "months only with recurrence")
                mo = d["months"]
                if not isinstance(mo, list) or not mo or not all(isinstance(x, int) and 1 <= x <= 12 for x in mo):
                    err(mw, f"months must be a list of 1..12, got {mo!r}")
            if "date" in d:
                try:
                    datetime.date.fromisoformat(str(d["date"]))
                    if not isinstance(d["date"], str):
                        err(mw, "date must be a quoted string")
                except ValueError:
                    err(mw, f"date {d['date']!r} is not ISO yyyy-mm-dd")
            if "recurrence" in d and d["recurrence"] not in RECURRENCES:
                err(mw, f"recurrence {d['recurrence']!r} not in {sorted(RECURRENCES)}")
            if "relative_months" in d and not (isinstance(d["relative_months"], int) and d["relative_months"] > 0):
                err(mw, "relative_months must be a positive integer")
        ref = m.get("indicator")
        if ref is not None and ref not in ind_ids:
            err(mw, f"indicator {ref!r} does not resolve")
    return len(ms), len(inds)


def check_risk_factors(path):
    doc = load(path)
    if doc is None:
        return
    w = "risk_factors.yaml"
    rfs = doc.get("risk_factors", [])
    codes = [r.get("code") for r in rfs]
    if codes != RISK_CODES:
        err(w, f"codes must be exactly {RISK_CODES} in order, got {codes}")
    for r in rfs:
        rw = f"{w}:{r.get('code')}"
        for k in ("name_ru", "name_en", "description_ru", "description_en"):
            if not is_text(r.get(k)):
                err(rw, f"{k} missing")
        lv = r.get("levels", {})
        if set(lv) != {"low", "medium", "high"}:
            err(rw, "levels must be low/medium/high")
        for name, l in lv.items():
            if not (isinstance(l, dict) and is_text(l.get("ru")) and is_text(l.get("en"))):
                err(rw, f"level {name} needs ru and en")
        qs = r.get("questions", [])
        if not 3 <= len(qs) <= 5:
            err(rw, f"needs 3-5 questions, has {len(qs)}")
        for q in qs:
            if q.get("scale") not in ("0-2", "yes_no") or not is_text(q.get("ru")) or not is_text(q.get("en")):
                err(rw, f"bad question {q!r}")
        dh = r.get("data_hint", "MISSING")
        if dh == "MISSING":
            err(rw, "data_hint key missing")
        elif dh is not None:
            for k in ("indicators", "high", "medium", "justification_ru", "justification_en"):
                if k not in dh:
                    err(rw, f"data_hint.{k} missing")
            for code in dh.get("indicators", []):
                if code not in DATA_CODES:
                    err(rw, f"data_hint indicator {code!r} unknown")
            for lvl in ("high", "medium"):
                for cond in dh.get(lvl, []):
                    for part in cond.split(" and "):
                        mt = COND.match(part.strip())
                        if not mt:
                            err(rw, f"cannot parse condition {part!r}")
                            continue
                        for code in (mt.group(1), mt.group(3)):
                            if code and code not in DATA_CODES:
                                err(rw, f"condition uses unknown indicator {code!r}")


def check_self_diagnosis(path):
    doc = load(path)
    if doc is None:
        return
    w = "self_diagnosis.yaml"
    vals = [r["value"] for r in doc.get("rating_scale", [])]
    if vals != ["+", "недост"]:
        err(w, f"rating scale must be + / недост, got {vals}")
    codes = set()
    n = 0
    for a in doc.get("areas", []):
        for k in ("code", "title_ru", "title_en"):
            if not is_text(a.get(k)):
                err(w, f"area {a.get('code')} lacks {k}")
        for ind in a.get("indicators", []):
            n += 1
            c = ind.get("code")
            if c in codes:
                err(w, f"duplicate indicator code {c}")
            codes.add(c)
            if not str(c).startswith(a["code"] + "."):
                err(w, f"indicator {c} not under area {a['code']}")
            for k in ("name_ru", "name_en"):
                if not is_text(ind.get(k)):
                    err(w, f"indicator {c} lacks {k}")
    if n == 0:
        err(w, "no indicators")
    blocks = [b.get("code") for b in doc.get("swot", {}).get("blocks", [])]
    if blocks != ["strengths", "weaknesses", "opportunities", "threats"]:
        err(w, f"swot blocks wrong: {blocks}")
    for b in doc.get("swot", {}).get("blocks", []):
        for k in ("title_ru", "title_en", "prompt_ru", "prompt_en"):
            if not is_text(b.get(k)):
                err(w, f"swot {b.get('code')} lacks {k}")


def check_partner_pairs(path):
    doc = load(path)
    if doc is None:
        return
    pairs = doc.get("pairs", [])
    if len(pairs) != 5:
        err("partner_pairs.yaml", f"expected the seed's 5 pairs, got {len(pairs)}")
    for p in pairs:
        if not is_text(p.get("supported_school_ru")) or not is_text(p.get("partner_school_ru")):
            err("partner_pairs.yaml", f"bad pair {p!r}")


def main():
    check_risk_factors(os.path.join(HERE, "risk_factors.yaml"))
    check_self_diagnosis(os.path.join(HERE, "self_diagnosis.yaml"))
    check_partner_pairs(os.path.join(HERE, "partner_pairs.yaml"))
    seen = {}
    total_m = total_i = 0
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, "programmes", "*.yaml"))):
        doc = load(path)
        if doc is None:
            continue
        m, i = check_template(path, doc, seen)
        total_m += m
        total_i += i
        rows.append((os.path.basename(path), m, i))
    anti = [r for r in rows if r[0].startswith("anti-risk-")]
    if len(anti) != len(RISK_CODES):
        err("templates", f"expected {len(RISK_CODES)} anti-risk templates, got {len(anti)}")
    for name, m, i in rows:
        print(f"  {name:55s} measures={m:3d} indicators={i:2d}")
    print(f"templates={len(rows)} measures={total_m} indicators={total_i}")
    if ERRORS:
        print(f"\n{len(ERRORS)} error(s):")
        for e in ERRORS:
            print("  " + e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
