#!/usr/bin/env python3
"""Reference fixture for OporaStats.SkewedNormalScore
(Tests/OporaStatsTests/Fixtures/skewed_normal_score.json).

- `formula`: the closed form z = (6/g) (cbrt(1 + g w / 2) - 1 + g^2 / 36) evaluated with numpy,
  which the Swift code must reproduce to rounding.
- `pearson3`: scipy.stats.pearson3's upper tail at w for skewness g, the distribution whose normal
  score the formula approximates (Wilson-Hilferty), to check the approximation's accuracy.
- `binomial`: exact mid-p upper tails P(X > x) + P(X = x)/2 of binomial counts (scipy.stats.binom),
  with the count's mean, variance and third cumulant, to check that the skew-corrected normal tail
  is close where the plain normal tail is not.

Usage: python3 scripts/reference/make_skewed_normal_score.py
"""
import json
import os

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "OporaStatsTests", "Fixtures"))


def formula(w, g):
    if abs(g) < 1e-6:
        return w
    x = g * w / 2
    root = np.expm1(np.log1p(x) / 3) if x > -1 else np.cbrt(1 + x) - 1  # accurate near x = 0
    return 6 / g * (root + g * g / 36)


def main():
    formula_cases, pearson_cases, binomial_cases = [], [], []
    for g in (-1.5, -0.8, -0.3, -1e-3, 0.0, 1e-7, 0.05, 0.3, 0.8, 1.5, 3.0):
        for w in (-6.0, -3.0, -1.0, 0.0, 0.5, 2.0, 3.5, 5.0, 8.0):
            formula_cases.append({"w": w, "g": g, "z": float(formula(w, g))})
    for g in (-0.9, -0.5, -0.2, 0.1, 0.3, 0.6, 1.0):
        for w in (1.0, 2.0, 2.5, 3.0, 3.5, 4.0):
            sf = float(stats.pearson3.sf(w, g))
            if sf > 1e-7:
                pearson_cases.append({"w": w, "g": g, "sf": sf})
    for n, p in ((8, 0.1), (20, 0.1), (10, 0.3), (50, 0.2), (200, 0.05), (30, 0.5), (40, 0.85)):
        mean, var = n * p, n * p * (1 - p)
        k3 = n * p * (1 - p) * (1 - 2 * p)
        for x in range(int(np.ceil(mean)) + 1, n + 1):
            mid = float(stats.binom.sf(x, n, p) + 0.5 * stats.binom.pmf(x, n, p))
            if mid < 1e-4:
                break
            binomial_cases.append({"n": n, "p": p, "x": x, "mean": mean, "variance": var, "k3": k3, "mid_p": mid})
    with open(os.path.join(OUT, "skewed_normal_score.json"), "w") as f:
        json.dump({"formula": formula_cases, "pearson3": pearson_cases, "binomial": binomial_cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
