#!/usr/bin/env python3
"""Reference fixture for OporaStats.RandomEffectsNull (Tests/OporaStatsTests/Fixtures/random_effects_null.json).

The estimator: per group a score statistic u with null variance v; z = (u - mu v) / sqrt(v + tau2 v^2);
mu makes median(z) = 0, tau2 >= 0 makes 1.4826 * MAD(z) = 1 (tau2 = 0 when it is already <= 1).
Solved here independently of the Swift code with numpy medians and scipy.optimize.brentq,
alternating the two equations to a tight tolerance.

Cases (seeded): binomial-like groups of very different sizes with and without extra between-group
variance, with a few contaminated groups (a real effect), and a small case.

Usage: python3 scripts/reference/make_random_effects_null.py
"""
import json
import os

import numpy as np
from scipy import optimize


def mad_sd(z):
    return 1.4826 * np.median(np.abs(z - np.median(z)))


def fit(u, v):
    u = np.asarray(u, float)
    v = np.asarray(v, float)

    def z(mu, t):
        return (u - mu * v) / np.sqrt(v + t * v * v)

    r = u / v
    lo, hi = r.min() - 1, r.max() + 1
    mu, t = 0.0, 0.0
    for _ in range(200):
        mu_new = optimize.brentq(lambda m: np.median(z(m, t)), lo, hi, xtol=1e-14, rtol=1e-14, maxiter=1000)
        if mad_sd(z(mu_new, 0.0)) <= 1:
            t_new = 0.0
        else:
            b = 1e-6
            while mad_sd(z(mu_new, b)) > 1:
                b *= 4
            t_new = optimize.brentq(lambda tt: mad_sd(z(mu_new, tt)) - 1, 0.0, b, xtol=1e-16, rtol=1e-14, maxiter=1000)
        done = abs(mu_new - mu) <= 1e-13 * max(1, abs(mu_new)) and abs(t_new - t) <= 1e-13 * max(1e-9, t_new)
        mu, t = mu_new, t_new
        if done:
            break
    return mu, t, z(mu, t)


def case(name, rng, groups, tau, contaminated, shift=0.0):
    n = np.maximum(3, np.round(np.exp(rng.normal(4.5, 1.2, groups)))).astype(int)
    p = rng.uniform(0.1, 0.4, groups)
    v = n * p * (1 - p)
    effect = rng.normal(shift, tau, groups)
    effect[:contaminated] += 0.5
    u = rng.normal(effect * v, np.sqrt(v))
    mu, t, z = fit(u, v)
    return {"name": name, "u": u.tolist(), "v": v.tolist(), "mu": mu, "tau2": t, "z": z.tolist()}


def main():
    rng = np.random.default_rng(20250611)
    cases = [
        case("tau0.06_groups300", rng, 300, 0.06, 8),
        case("tau0.03_shift_groups1000", rng, 1000, 0.03, 20, shift=-0.05),
        case("tau0_groups300", rng, 300, 0.0, 0),
        case("tau0.1_groups12", rng, 12, 0.1, 1),
    ]
    out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "OporaStatsTests", "Fixtures", "random_effects_null.json")
    with open(out, "w") as f:
        json.dump({"numpy": np.__version__, "cases": cases}, f, indent=1)
    for c in cases:
        print(c["name"], len(c["u"]), "mu", c["mu"], "tau2", c["tau2"])


if __name__ == "__main__":
    main()
