#!/usr/bin/env python3
"""How could the journal_raise Bayes factor of bench/ideal_observer.py be calibrated? The prototypes
behind docs/identification.md ("Session 7", "How to calibrate it"), on the regions that
bench/ideal_observer.sh writes (run it first for the same seeds).

Per cell and journal mark j (3, 4, 5): n_j pupils with that journal mark, L_j «понизили» (ВПР mark
below j), B_j confirmed at b_j or b_j + 1; per pupil of mark j the chances p_L, p_B are logistic
quadratics in the cell's standardised mean score, fitted per procedure and year across the
region's cells (p_B kept >= 0.02, as journal_mismatch does). The per-cell Bayes factor of "a share
θ of the lowered pupils was raised to the boundary" is averaged over θ in {.2, .4, .6, .8, .95};
a school's statistic T is the mixture over its cells (chance ½ each) and, with three years, over
the earlier years (½).

`combine` ranks the schools by per-cell p-values combined (Fisher, truncated product) against the
pooled score test and T; `calibrate` compares, on the analysis year, a null simulated per school
(--draws, Wilson–Hilferty tail), an empirical null binned by information and e-BH with T itself;
`decide` unites engine 5's flags (`opora identify --data`, --opora) with an empirical-Bayes
decision on T (the share with the practice by maximum likelihood, Bayesian FDR at q).
Usage: python3 bench/journal_raise_calibration.py combine|calibrate|decide --dir bench/out/ideal --seeds 1,2,3
"""
import argparse, json, math, os, subprocess, sys
import numpy as np, polars as pl
import statsmodels.api as sm
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp
from scipy.stats import chi2, gamma, norm, binom as binom_dist

THETAS = np.array([0.2, 0.4, 0.6, 0.8, 0.95])
SHARE = 0.5
MARKS = (3, 4, 5)


def cells_for(d, seed, years):
    cat = json.load(open(f'{d}/catalogue.json'))
    df = pl.read_csv(f'{d}/s{seed}/results.csv', columns=['year', 'assessment', 'subject', 'grade', 'school_id', 'score', 'mark', 'journal_mark'],
                     schema_overrides={'school_id': pl.Utf8})
    df = df.filter((pl.col('assessment') == 'vpr') & pl.col('year').is_in(list(years)))
    df = df.with_columns(key=pl.lit('vpr:') + pl.col('subject') + pl.lit(':') + pl.col('grade').cast(pl.Utf8))
    df = df.join(pl.DataFrame([(p['key'], *p['boundaries']) for p in cat], schema=['key', 'b3', 'b4', 'b5'], orient='row'), on='key')
    cols = []
    for j in MARKS:
        cols += [(pl.col('journal_mark') == j).cast(pl.Int32).alias(f'N{j}'),
                 ((pl.col('journal_mark') == j) & (pl.col('mark') < j)).cast(pl.Int32).alias(f'L{j}'),
                 ((pl.col('journal_mark') == j) & (pl.col('mark') == j) & (pl.col('score') <= pl.col(f'b{j}') + 1)).cast(pl.Int32).alias(f'B{j}')]
    cells = df.with_columns(cols).group_by(['school_id', 'year', 'key']).agg(
        mean=pl.col('score').mean(), *[pl.col(f'{x}{j}').sum() for j in MARKS for x in 'NLB'])
    cells = cells.with_columns(z=(pl.col('mean') - pl.col('mean').mean().over(['year', 'key'])) / pl.col('mean').std().over(['year', 'key']))
    cells = cells.sort(['school_id', 'year', 'key']).with_row_index('i')
    for j in MARKS:
        for x in 'LB':
            arr = np.zeros(len(cells))
            for _, g in cells.group_by(['year', 'key']):
                z = g['z'].to_numpy(); n = g[f'N{j}'].to_numpy(); y = g[f'{x}{j}'].to_numpy(); m = n > 0
                X = np.column_stack([np.ones_like(z), z, z * z])
                arr[g['i'].to_numpy()] = sm.GLM(np.column_stack([y[m], n[m] - y[m]]), X[m], family=sm.families.Binomial()).fit().predict(X)
            cells = cells.with_columns(pl.Series(f'p{x}{j}', np.clip(arr, 1e-4, 1)))
    return cells


def arrays(cells):
    n = np.column_stack([cells[f'N{j}'].to_numpy() for j in MARKS]).astype(float)
    L = np.column_stack([cells[f'L{j}'].to_numpy() for j in MARKS]).astype(float)
    B = np.column_stack([cells[f'B{j}'].to_numpy() for j in MARKS]).astype(float)
    pL = np.column_stack([cells[f'pL{j}'].to_numpy() for j in MARKS])
    pB = np.minimum(np.maximum(np.column_stack([cells[f'pB{j}'].to_numpy() for j in MARKS]), 0.02), 1 - pL - 1e-9)
    return n, L, B, pL, pB


def mixture_term(L, B, bj):
    """log(1 − ½ + ½·BF) of cells with counts L, B (..., 3) and weights bj (..., 3, θ)."""
    llr = L.sum(-1)[..., None] * np.log(1 - THETAS) + np.einsum('...j,...jt->...t', B, bj)
    return np.logaddexp(math.log(1 - SHARE), math.log(SHARE) + logsumexp(llr, axis=-1) - math.log(len(THETAS)))


def weights(pL, pB):
    return np.log1p(THETAS[None, None, :] * (pL / pB)[..., None])


def truth(d, seed):
    t = pl.read_csv(f'{d}/s{seed}/truth/truth.csv', schema_overrides={'school_id': pl.Utf8, 'detail': pl.Utf8, 'procedure': pl.Utf8})
    planted = set(t.filter((pl.col('category') == 'non_objective') & (pl.col('year') == 2025))['school_id'].to_list())
    mech = {r['id']: r['mech'] for r in json.load(open(f'{d}/s{seed}/hidden.json'))}
    return planted, mech


def over_years(per_year, analysis=2025):
    return sum(v if y == analysis else float(np.logaddexp(math.log(0.5), math.log(0.5) + v)) for y, v in per_year.items())


def fisher_years(ps):
    return -math.log(max(chi2.sf(-2 * sum(math.log(max(p, 1e-300)) for p in ps), 2 * len(ps)), 1e-300))


def truncated_product(ps, tau):
    """Zaykin et al. (2002): P(W ≤ w) for W the product of the p-values ≤ τ among L."""
    below = ps[ps <= tau]
    if len(below) == 0:
        return 1.0
    lw = np.log(below).sum()
    total = 0.0
    for k in range(1, len(ps) + 1):
        x = k * math.log(tau) - lw
        total += binom_dist.pmf(k, len(ps), tau) * (1.0 if x <= 0 else gamma.sf(x, k))
    return min(1.0, total)


def report(rows, columns, k_seeds):
    d = pl.DataFrame(rows)
    unplanted = d.filter(pl.col('mechanism') == '')
    jr = d.filter((pl.col('mechanism') == 'journal_raise') & pl.col('planted'))
    for c in columns:
        u = np.sort(unplanted[c].to_numpy())
        print(c, ' '.join(f'{k}:{int((jr[c] > u[-k - 1]).sum())}/{jr.height}' for k in sorted({max(1, k_seeds // 6), k_seeds, 2 * k_seeds})))


def combine(a):
    rows = []
    for seed in a.seeds:
        cells = cells_for(a.dir, seed, (2023, 2024, 2025))
        n, L, B, pL, pB = arrays(cells)
        r = pL / pB
        U = ((n * pL - L) + r * (B - n * pB)).sum(1); V = (n * pL * (1 + r)).sum(1)
        p = np.where(V > 0, norm.sf(U / np.sqrt(np.maximum(V, 1e-12))), np.nan)
        mix = mixture_term(L, B, weights(pL, pB))
        t = cells.select(['school_id', 'year']).with_columns(U=pl.Series(U), V=pl.Series(V), p=pl.Series(p), mix=pl.Series(mix))
        planted, mech = truth(a.dir, seed)
        per = {}
        for (sid, year), g in t.group_by(['school_id', 'year']):
            ps = g['p'].drop_nans().to_numpy()
            per.setdefault(sid, {})[year] = dict(
                pooled=norm.sf(g['U'].sum() / math.sqrt(g['V'].sum())) if g['V'].sum() > 0 else 1.0,
                fisher=chi2.sf(-2 * np.log(np.maximum(ps, 1e-300)).sum(), 2 * len(ps)) if len(ps) else 1.0,
                tpm10=truncated_product(ps, 0.1), tpm20=truncated_product(ps, 0.2), mix=g['mix'].sum())
        for sid, ys in per.items():
            if 2025 not in ys:
                continue
            row = dict(seed=seed, school_id=sid, mechanism=mech[sid], planted=sid in planted)
            for key in ('pooled', 'fisher', 'tpm10', 'tpm20'):
                row[key] = fisher_years([ys[y][key] for y in ys])
            row['T'] = over_years({y: ys[y]['mix'] for y in ys})
            rows.append(row)
    report(rows, ['pooled', 'fisher', 'tpm10', 'tpm20', 'T'], len(a.seeds))


def wilson_hilferty_sf(w, g):
    if abs(g) < 1e-6:
        return norm.sf(w)
    inner = 1 + g * w / 2
    return norm.sf((6 / g) * (np.cbrt(inner) - 1 + g * g / 36) if inner > 0 else -8.0)


def calibrate(a):
    rng = np.random.default_rng(1)
    rows = []
    for seed in a.seeds:
        cells = cells_for(a.dir, seed, (2025,))
        n, L, B, pL, pB = arrays(cells)
        bj = weights(pL, pB)
        obs = mixture_term(L, B, bj)
        planted, mech = truth(a.dir, seed)
        ids = cells['school_id'].to_numpy()
        recs = []
        for sid in np.unique(ids):
            idx = np.where((ids == sid) & (n.sum(1) > 0))[0]
            if len(idx) == 0:
                continue
            Ls = rng.binomial(n[idx][None].astype(int), pL[idx][None], size=(a.draws, len(idx), 3))
            Bs = rng.binomial(n[idx][None].astype(int) - Ls, np.minimum(1, pB[idx] / (1 - pL[idx]))[None])
            sims = mixture_term(Ls.astype(float), Bs.astype(float), bj[idx][None]).sum(1)
            T = obs[idx].sum(); m, s = sims.mean(), sims.std()
            skew = ((sims - m) ** 3).mean() / s ** 3 if s > 0 else 0.0
            recs.append(dict(seed=seed, school_id=sid, mechanism=mech[sid], planted=sid in planted, T=T,
                             p_simulated=wilson_hilferty_sf((T - m) / s, skew) if s > 0 else 1.0,
                             info=float((n[idx] * pL[idx]).sum()), K=len(idx)))
        # the empirical null across the seed's schools, in six bins of information
        x = np.log1p(np.array([r['T'] - r['K'] * math.log(1 - SHARE) for r in recs]))
        order = np.argsort([r['info'] for r in recs]); z = np.zeros(len(recs))
        for b in range(6):
            i = order[b * len(recs) // 6:(b + 1) * len(recs) // 6]
            med = np.median(x[i]); mad = 1.4826 * np.median(np.abs(x[i] - med)); z[i] = (x[i] - med) / max(mad, 1e-9)
        for r, zz in zip(recs, z):
            r['z_empirical'] = zz
            r['neglog_p_simulated'] = -math.log(max(r['p_simulated'], 1e-300))
        # e-BH at 0.05 on the Bayes factor as an e-value
        e = np.sort(np.exp(np.minimum([r['T'] for r in recs], 700)))[::-1]; m = len(recs)
        k = max([k for k in range(1, m + 1) if e[k - 1] >= m / (0.05 * k)], default=0)
        bar = e[k - 1] if k else math.inf
        for r in recs:
            r['e_bh'] = float(math.exp(min(r['T'], 700)) >= bar)
        rows += recs
    d = pl.DataFrame(rows)
    un = d.filter(pl.col('mechanism') == '')
    print('unplanted share with simulated p < 0.05 / 0.01 / 0.001:', ' / '.join(f'{float((un["p_simulated"] < x).mean()):.4f}' for x in (.05, .01, .001)))
    report(rows, ['T', 'neglog_p_simulated', 'z_empirical'], len(a.seeds))
    jr = d.filter((pl.col('mechanism') == 'journal_raise') & pl.col('planted'))
    print(f'e-BH q=0.05: journal_raise {int(jr["e_bh"].sum())}/{jr.height}, unplanted {int(un["e_bh"].sum())}')
    for bar in (2.3, 3.0):
        print(f'T >= {bar}: journal_raise {int((jr["T"] >= bar).sum())}/{jr.height}, unplanted {int((un["T"] >= bar).sum())}')


def decide(a):
    for q in a.q:
        TP = FP = FN = eTP = eFP = eFN = 0
        for seed in a.seeds:
            cells = cells_for(a.dir, seed, (2023, 2024, 2025))
            n, L, B, pL, pB = arrays(cells)
            t = cells.select(['school_id', 'year']).with_columns(mix=pl.Series(mixture_term(L, B, weights(pL, pB))))
            per = {}
            for (sid, year), g in t.group_by(['school_id', 'year']):
                per.setdefault(sid, {})[year] = g['mix'].sum()
            ids = [s for s in per if 2025 in per[s]]
            T = np.array([over_years(per[s]) for s in ids]); bf = np.exp(np.minimum(T, 700))
            share = minimize_scalar(lambda p: -np.sum(np.log(1 - p + p * bf)), bounds=(1e-4, 0.5), method='bounded').x
            lfdr = (1 - share) / (1 - share + share * bf)
            order = np.argsort(lfdr); mean = np.cumsum(lfdr[order]) / np.arange(1, len(ids) + 1)
            k = int(np.max(np.where(mean <= q)[0]) + 1) if (mean <= q).any() else 0
            chosen = {ids[i] for i in order[:k]}
            out = subprocess.run([a.opora, 'identify', '--data', f'{a.dir}/s{seed}', '--year', '2025', '--format', 'json'],
                                 capture_output=True, check=True).stdout
            engine = {s['school_id'] for s in json.loads(out)['schools'] if 'non_objective' in s['categories']}
            planted, _ = truth(a.dir, seed)
            both = engine | chosen
            TP += len(both & planted); FP += len(both - planted); FN += len(planted - both)
            eTP += len(engine & planted); eFP += len(engine - planted); eFN += len(planted - engine)
        print(f'q={q}: engine {eTP}/{eFP}/{eFN} (found/false/missed), recall {eTP / (eTP + eFN):.3f}; '
              f'with the empirical-Bayes decision {TP}/{FP}/{FN}, precision {TP / (TP + FP):.3f}, recall {TP / (TP + FN):.3f}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('what', choices=['combine', 'calibrate', 'decide'])
    ap.add_argument('--dir', default='bench/out/ideal')
    ap.add_argument('--seeds', required=True, type=lambda s: [int(x) for x in s.split(',')])
    ap.add_argument('--draws', type=int, default=200)
    ap.add_argument('--q', type=lambda s: [float(x) for x in s.split(',')], default=[0.02, 0.05, 0.1])
    ap.add_argument('--opora', default='.build-plain/release/opora')
    a = ap.parse_args()
    {'combine': combine, 'calibrate': calibrate, 'decide': decide}[a.what](a)


if __name__ == '__main__':
    main()
