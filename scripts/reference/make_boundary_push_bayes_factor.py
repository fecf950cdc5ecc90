#!/usr/bin/env python3
"""Reference fixture for OporaStats.BoundaryPushBayesFactor
(Tests/OporaStatsTests/Fixtures/boundary_push_bayes_factor.json).

A boundary's window b-2 .. b holds w = below + at scores; under the null a score of the window is at
b with chance q, and a score at b is a «повысил» with chance u. Pushing a share theta of the scores
below onto b gives at-b chance q' = q + theta (1 - q) and «повысил» chance at b
u' = (q u + theta (1 - q) v) / q'. The likelihood is binomial(at | w, .) * binomial(raised | at, .).

- `cells`: random cells (1-3 boundaries); `log_cell` = log mean over theta in {.2, .4, .6, .8, .95} of
  the product over boundaries of the ratio of those binomial likelihoods (scipy's binom.logpmf), so
  the closed form in Swift is checked against its definition; `journal: false` boundaries have no
  «повысил» part.
- `expectation`: for one small cell of two boundaries, the exact null mean of the factor (by
  enumerating every count), which is 1.
- `null_tail`: a school of two cells in the analysis year and one in an earlier year (each cell
  mixed with chance 1/2, the earlier year with 1/2), its statistic's exact null distribution by
  enumeration, and the statistic values whose upper tails are about 0.1 ... 0.001.

Usage: python3 scripts/reference/make_boundary_push_bayes_factor.py
"""
import json
import os

import numpy as np
from scipy.special import logsumexp
from scipy.stats import binom

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "OporaStatsTests", "Fixtures"))
THETAS = [0.2, 0.4, 0.6, 0.8, 0.95]


def log_window(w, theta):
    """log likelihood ratio of one boundary's counts, pushed share theta against none."""
    below, at, raised, q, u, v = w["below"], w["at"], w["raised_at"], w["q"], w["u"], w["v"]
    n = below + at
    q2 = q + theta * (1 - q)
    x = binom.logpmf(at, n, q2) - binom.logpmf(at, n, q)
    if w["journal"]:
        u2 = (q * u + theta * (1 - q) * v) / q2
        x += binom.logpmf(raised, at, u2) - binom.logpmf(raised, at, u)
    return float(x)


def log_cell(windows):
    return float(logsumexp([sum(log_window(w, t) for w in windows) for t in THETAS]) - np.log(len(THETAS)))


def mixture(x, pi=0.5):
    return float(np.logaddexp(np.log1p(-pi), np.log(pi) + x))


def cell_distribution(windows):
    """Exact null distribution of a cell's mixed log factor: {value: probability}."""
    outcomes = [{}]
    for w in windows:
        n = w["below"] + w["at"]
        nxt = []
        for prefix in outcomes:
            for at in range(n + 1):
                pa = binom.pmf(at, n, w["q"])
                for r in (range(at + 1) if w["journal"] else [0]):
                    pr = pa * (binom.pmf(r, at, w["u"]) if w["journal"] else 1.0)
                    nxt.append({**prefix, id(w): (at, r, pr)})
        outcomes = nxt
    dist = {}
    for o in outcomes:
        ws, pr = [], 1.0
        for w in windows:
            at, r, p = o[id(w)]
            ws.append({**w, "below": w["below"] + w["at"] - at, "at": at, "raised_at": r})
            pr *= p
        key = round(mixture(log_cell(ws)), 12)
        dist[key] = dist.get(key, 0.0) + pr
    return dist


def convolve(a, b, transform=lambda x: x):
    out = {}
    for x, p in a.items():
        for y, q in b.items():
            key = round(x + transform(y), 12)
            out[key] = out.get(key, 0.0) + p * q
    return out


def main():
    rng = np.random.default_rng(20261126)
    cells = []
    for _ in range(40):
        windows = []
        for _ in range(int(rng.integers(1, 4))):
            w = int(rng.integers(0, 25))
            at = int(rng.integers(0, w + 1))
            journal = bool(rng.random() < 0.8)
            windows.append(dict(below=w - at, at=at, raised_at=int(rng.integers(0, at + 1)) if journal else 0,
                                q=float(rng.uniform(0.15, 0.6)), u=float(rng.uniform(0.02, 0.3)),
                                v=float(rng.uniform(0.4, 0.95)), journal=journal))
        cells.append(dict(windows=windows, log_cell=log_cell(windows)))
    # exact null mean of the factor (not the mixture) of one cell with two boundaries
    small = [dict(below=3, at=1, raised_at=0, q=0.35, u=0.1, v=0.7, journal=True),
             dict(below=2, at=2, raised_at=0, q=0.3, u=0.15, v=0.8, journal=True)]
    mean = 0.0
    for at0 in range(5):
        for r0 in range(at0 + 1):
            for at1 in range(5):
                for r1 in range(at1 + 1):
                    pr = (binom.pmf(at0, 4, 0.35) * binom.pmf(r0, at0, 0.1) * binom.pmf(at1, 4, 0.3) * binom.pmf(r1, at1, 0.15))
                    ws = [{**small[0], "below": 4 - at0, "at": at0, "raised_at": r0}, {**small[1], "below": 4 - at1, "at": at1, "raised_at": r1}]
                    mean += pr * np.exp(log_cell(ws))
    expectation = dict(windows=small, mean=float(mean))
    # exact null tail of a school: two cells of the analysis year, one of an earlier year
    school = [
        [[dict(below=4, at=2, raised_at=0, q=0.33, u=0.08, v=0.75, journal=True)],
         [dict(below=3, at=2, raised_at=0, q=0.3, u=0.1, v=0.7, journal=True), dict(below=2, at=1, raised_at=0, q=0.35, u=0.05, v=0.8, journal=False)]],
        [[dict(below=4, at=1, raised_at=0, q=0.3, u=0.1, v=0.75, journal=True)]],
    ]
    year0 = {0.0: 1.0}
    for cell in school[0]:
        year0 = convolve(year0, cell_distribution(cell))
    year1 = {0.0: 1.0}
    for cell in school[1]:
        year1 = convolve(year1, cell_distribution(cell))
    total = convolve(year0, year1, transform=lambda y: mixture(y))
    keys = np.array(sorted(total)); probs = np.array([total[k] for k in keys])
    upper = np.cumsum(probs[::-1])[::-1]
    tails = []
    for target in (0.1, 0.03, 0.01, 0.003, 0.001):
        i = int(np.argmax(upper <= target))
        tails.append(dict(statistic=float(keys[i]), p=float(upper[i])))
    null_tail = dict(years=school, tails=tails, total_probability=float(probs.sum()))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "boundary_push_bayes_factor.json"), "w") as f:
        json.dump(dict(cells=cells, expectation=expectation, null_tail=null_tail), f, indent=1)


if __name__ == "__main__":
    main()
