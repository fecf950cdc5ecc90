#!/usr/bin/env python3
"""Reference fixture for OporaStats.CellMixtureBayesFactor
(Tests/OporaStatsTests/Fixtures/cell_mixture_bayes_factor.json).

- `cells`: random cells (1-3 strata, counts and null chances); `log_cell` is the log of the mean over
  theta in {.2, .4, .6, .8, .95} of prod_k (1 - theta)^L_k (1 + theta p_L,k / p_B,k)^B_k, computed from the
  multinomial likelihoods with scipy (log pmf under the moved chances minus under the null), so the
  closed form is checked against its definition.
- `schools`: lists of cell log factors and a chance pi; `log_mixture` = sum log(1 - pi + pi e^x) (numpy).
- `expectation`: for one small cell, the exact null mean of BF (enumerating the multinomial), which is 1.

Usage: python3 scripts/reference/make_cell_mixture_bayes_factor.py
"""
import json
import os

import numpy as np
from scipy.special import logsumexp
from scipy.stats import multinomial

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "OporaStatsTests", "Fixtures"))
THETAS = [0.2, 0.4, 0.6, 0.8, 0.95]


def log_cell(n, l, b, pl, pb):
    per_theta = []
    for t in THETAS:
        x = 0.0
        for k in range(len(n)):
            null = [pl[k], pb[k], 1 - pl[k] - pb[k]]
            moved = [pl[k] * (1 - t), pb[k] + t * pl[k], 1 - pl[k] - pb[k]]
            counts = [l[k], b[k], n[k] - l[k] - b[k]]
            x += multinomial.logpmf(counts, n[k], moved) - multinomial.logpmf(counts, n[k], null)
        per_theta.append(x)
    return float(logsumexp(per_theta) - np.log(len(THETAS)))


def main():
    rng = np.random.default_rng(20261126)
    cells = []
    for _ in range(40):
        k = int(rng.integers(1, 4))
        n = [int(rng.integers(1, 40)) for _ in range(k)]
        pl = [float(rng.uniform(0.02, 0.5)) for _ in range(k)]
        pb = [float(rng.uniform(0.02, 0.9 - p)) for p in pl]
        l = [int(rng.integers(0, m + 1)) for m in n]
        b = [int(rng.integers(0, m - x + 1)) for m, x in zip(n, l)]
        cells.append(dict(n=n, l=l, b=b, pl=pl, pb=pb, log_cell=log_cell(n, l, b, pl, pb)))
    schools = []
    for _ in range(20):
        x = [float(v) for v in rng.normal(-0.5, 3, size=int(rng.integers(1, 12)))]
        pi = float(rng.choice([0.3, 0.5, 0.6]))
        schools.append(dict(log_cells=x, chance=pi, log_mixture=float(np.sum(np.logaddexp(np.log1p(-pi), np.log(pi) + np.array(x))))))
    # exact null expectation of BF for one small cell with two strata
    n, pl, pb = [6, 5], [0.3, 0.2], [0.25, 0.1]
    mean = 0.0
    for l0 in range(n[0] + 1):
        for b0 in range(n[0] - l0 + 1):
            for l1 in range(n[1] + 1):
                for b1 in range(n[1] - l1 + 1):
                    pr = np.exp(multinomial.logpmf([l0, b0, n[0] - l0 - b0], n[0], [pl[0], pb[0], 1 - pl[0] - pb[0]])
                                + multinomial.logpmf([l1, b1, n[1] - l1 - b1], n[1], [pl[1], pb[1], 1 - pl[1] - pb[1]]))
                    mean += pr * np.exp(log_cell(n, [l0, l1], [b0, b1], pl, pb))
    expectation = dict(n=n, pl=pl, pb=pb, mean=float(mean))
    # exact null tail of a school's statistic: two cells (one stratum each) of the analysis year and
    # one cell of an earlier year, by enumeration of every count
    school = [[[(8, 0.25, 0.15)], [(6, 0.3, 0.1)]], [[(7, 0.2, 0.2)]]]
    dists = []
    for year in school:
        values = {0.0: 1.0}
        for cell in year:
            (m, a, b), = cell
            nxt = {}
            for l in range(m + 1):
                for bb in range(m - l + 1):
                    pr = float(np.exp(multinomial.logpmf([l, bb, m - l - bb], m, [a, b, 1 - a - b])))
                    f = float(np.logaddexp(np.log(0.5), np.log(0.5) + log_cell([m], [l], [bb], [a], [b])))
                    for v, q in values.items():
                        key = round(v + f, 12)
                        nxt[key] = nxt.get(key, 0.0) + q * pr
            values = nxt
        dists.append(values)
    total = {}
    for v0, q0 in dists[0].items():
        for v1, q1 in dists[1].items():
            key = round(v0 + float(np.logaddexp(np.log(0.5), np.log(0.5) + v1)), 12)
            total[key] = total.get(key, 0.0) + q0 * q1
    keys = np.array(sorted(total)); probs = np.array([total[k] for k in keys])
    tails = []
    for target in (0.1, 0.03, 0.01, 0.003, 0.001):
        # the smallest statistic whose exact upper tail is at most the target
        upper = np.cumsum(probs[::-1])[::-1]
        i = int(np.argmax(upper <= target))
        tails.append(dict(statistic=float(keys[i]), p=float(upper[i])))
    null_tail = dict(years=[[[dict(n=m, pl=a, pb=b) for (m, a, b) in cell] for cell in year] for year in school], tails=tails)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "cell_mixture_bayes_factor.json"), "w") as f:
        json.dump(dict(cells=cells, schools=schools, expectation=expectation, null_tail=null_tail), f, indent=1)


if __name__ == "__main__":
    main()
