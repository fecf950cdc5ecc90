#!/usr/bin/env python3
"""Reference fixture for OporaStats.CorrelatedCombination
(Tests/OporaStatsTests/Fixtures/correlated_combination.json).

Brown's method for one-sided p-values with Kost & McDermott's covariance approximation
(cov(-2 ln p_i, -2 ln p_j) = 3.263 rho + 0.710 rho^2 + 0.027 rho^3), computed with scipy's chi2;
Stouffer's method with correlated normal scores; the null correlation of normal scores (groups beyond +-3 on either
left out) with numpy.corrcoef. For rho = 0 both reduce to scipy.stats.combine_pvalues (checked here).

Usage: python3 scripts/reference/make_correlated_combination.py
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "OporaStatsTests", "Fixtures"))


def km_cov(r):
    return 3.263 * r + 0.710 * r ** 2 + 0.027 * r ** 3


def brown(p, rho):
    p = np.asarray(p, float)
    k = len(p)
    x = -2 * np.log(p).sum()
    mean = 2 * k
    var = 4 * k + 2 * sum(km_cov(rho[i][j]) for i in range(k) for j in range(i + 1, k))
    c = var / (2 * mean)
    f = 2 * mean ** 2 / var
    return float(stats.chi2.sf(x / c, f))


def stouffer(p, rho):
    k = len(p)
    z = stats.norm.isf(np.asarray(p, float)).sum()
    var = k + 2 * sum(rho[i][j] for i in range(k) for j in range(i + 1, k))
    return float(stats.norm.sf(z / np.sqrt(var)))


cases = []
for p, r in [([0.01, 0.02], 0.0), ([0.01, 0.02], 0.3), ([0.0015, 0.0063], 0.5), ([0.2, 0.004], 0.8),
             ([1e-6, 0.3], 0.4), ([0.05, 0.05, 0.05], 0.25), ([0.5, 0.5], 0.9)]:
    rho = [[1.0 if i == j else r for j in range(len(p))] for i in range(len(p))]
    case = {"p": p, "rho": r, "fisher_brown": brown(p, rho), "stouffer": stouffer(p, rho)}
    if r == 0:
        assert abs(case["fisher_brown"] - stats.combine_pvalues(p, method="fisher").pvalue) < 1e-12
        assert abs(case["stouffer"] - stats.combine_pvalues(p, method="stouffer").pvalue) < 1e-12
    cases.append(case)

rng = np.random.default_rng(20261126)
z = rng.multivariate_normal([0, 0], [[1, 0.35], [0.35, 1]], size=400)
z[:12] += 4  # a few groups with a real effect on both
kept = z[(np.abs(z[:, 0]) <= 3) & (np.abs(z[:, 1]) <= 3)]
corr = {"x": z[:, 0].tolist(), "y": z[:, 1].tolist(), "rho": float(np.corrcoef(kept[:, 0], kept[:, 1])[0, 1])}

with open(os.path.join(OUT, "correlated_combination.json"), "w") as f:
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases, "correlation": corr}, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote correlated_combination.json")
