#!/usr/bin/env python3
"""Reference fixture for OporaStats.GroupMeans (Tests/OporaStatsTests/Fixtures/group_means.json).

Group means standardised across groups (unweighted mean of the means, sample SD with ddof 1) and the
sampling variance of each standardised mean, sigma2 / (n_i * D^2), with sigma2 the pooled
within-group variance. sigma2 is taken here from statsmodels: the residual mean square of the
one-way ANOVA (OLS of the values on group dummies), computed from the raw values, independently of
the Swift code, which works from per-group counts, sums and sums of squares.

Cases (seeded): schools' scores of very different group sizes (3 to ~400), integer scores like a
test's primary scores, and a case with groups of one value.

Usage: python3 scripts/reference/make_group_means.py
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf


def case(name, rng, groups, size_log_mean, integer, singles=0):
    n = np.maximum(3, np.round(np.exp(rng.normal(size_log_mean, 1.0, groups)))).astype(int)
    n[:singles] = 1
    level = rng.normal(0, 3, groups)
    values = []
    for i in range(groups):
        x = rng.normal(15 + level[i], 5, n[i])
        if integer:
            x = np.clip(np.round(x), 0, 31)
        values.append(x)
    df = pd.DataFrame({"y": np.concatenate(values), "g": np.repeat(np.arange(groups), n)})
    fit = smf.ols("y ~ C(g)", data=df).fit()
    pooled = float(fit.mse_resid)
    means = np.array([v.mean() for v in values])
    sd = means.std(ddof=1)
    z = (means - means.mean()) / sd
    var = pooled / (n * sd * sd)
    return {"name": name, "values": [v.tolist() for v in values], "n": n.tolist(),
            "sum": [float(v.sum()) for v in values], "sumSquares": [float((v * v).sum()) for v in values],
            "pooledVariance": pooled, "sd": float(sd), "z": z.tolist(), "variance": var.tolist()}


def main():
    rng = np.random.default_rng(20250612)
    cases = [
        case("continuous_groups60", rng, 60, 3.5, False),
        case("integer_scores_groups120", rng, 120, 3.5, True),
        case("with_single_values_groups20", rng, 20, 2.5, True, singles=3),
    ]
    out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "OporaStatsTests", "Fixtures", "group_means.json")
    with open(out, "w") as f:
        json.dump({"numpy": np.__version__, "cases": cases}, f)
    for c in cases:
        print(c["name"], len(c["n"]), "pooled", c["pooledVariance"], "sd", c["sd"])


if __name__ == "__main__":
    main()
