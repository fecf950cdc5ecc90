#!/usr/bin/env python3
"""How many planted non-objective schools could any test find? An ideal observer on the demo region.

It knows the generator's model: every ВПР task's difficulty, the mark boundaries, the spread of
pupils' abilities, how journal marks are given (the journal mark is the honest ВПР mark −1, 0, +1,
+2 with probabilities .07, .68, .22, .03), how each mechanism changes results (journal_raise:
85 % of the pupils whose journal mark is above their honest mark are raised to its boundary or one
point above; boundary_push: 80 % of the scores one or two points below a boundary are pushed onto it;
hard_task_help: +2.2 logits on advanced and high tasks), that a planted school works in a random
60 % of its ВПР cells in the analysis year and in each earlier year with probability 1/2. It does
not know which schools are planted, nor their mechanism or cells: it scores every school by the
Bayes factor of "planted" against "honest", averaging over the three mechanisms and over the
cells (the most powerful ranking there is, by Neyman-Pearson). `--ability true` gives it each
school-year's true ability (from hidden.json); `--ability est` the maximum-likelihood ability from
the school's own ВПР scores. Per pupil it reads (score, journal mark), not the task scores, so
hard_task_help is judged by the score alone (with --ability est it cannot be seen at all: help
that raises every score looks like a stronger school). `--eps` gives the honest journal mark a
small chance of being 2 below or 3 above the ВПР mark, which the generator never does (without
it, one pupil pushed two marks above the journal is proof).

A second statistic is one an engine could compute from its per-cell counts: for journal_raise,
per cell and journal mark j the «понизили» L_j and the confirmed pupils at the boundary b_j or
b_j + 1, B_j, against chances p_L, p_B fitted across the region's cells as logistic quadratics
in the cell's standardised mean score (as journal_mismatch does); per cell the Bayes factor of
"a share θ of the lowered pupils was raised to the boundary" averaged over θ in {.2, .4, .6, .8,
.95}; per school the mixture over cells (each raised with chance 1/2) and over years (1/2). The same
for boundary_push (`counts_boundary_push`, what score_heaping's Bayes factor computes since engine
7): per cell and boundary the scores of the window b-2 .. b at b, and the «повысили» among them (a
pushed pupil keeps the journal mark of the mark below); `counts_boundary_push_scores_only` leaves
the «повысили» out, which is most of its power.

Output: per school a CSV row (bf-*.csv in --dir) and, for each statistic, how many planted schools
score above the k-th highest unplanted school (k unplanted schools over the threshold).
Usage: bench/ideal_observer.sh (writes the regions and runs this).
"""
import argparse, json, math, os, sys
import numpy as np, polars as pl
import statsmodels.api as sm
from scipy.special import expit, logsumexp
from scipy.stats import binom

GRID = np.arange(-7, 7.001, 0.05)                   # pupil ability grid (logits)
PUPIL_SD = math.sqrt(0.85**2 + 0.4**2 + 0.25**2)     # Model.studentAbility
HELP = 2.2                                           # Model.hardTaskHelp
MECHANISMS = ['journal_raise', 'boundary_push', 'hard_task_help']


def score_pmf(proc, boost):
    """P(score | pupil ability) on GRID: the tasks' binomials convolved."""
    out = np.zeros((len(GRID), sum(proc['max']) + 1))
    for gi, th in enumerate(GRID):
        dist = np.array([1.0])
        for m, d, lv in zip(proc['max'], proc['difficulty'], proc['level']):
            p = expit(th + (0 if lv == 'basic' else boost) - d)
            dist = np.convolve(dist, binom.pmf(np.arange(m + 1), m, p))
        out[gi] = dist
    return out


class Procedures:
    def __init__(self, catalogue, eps):
        delta = {-1: .07, 0: .68, 1: .22, 2: .03}
        if eps > 0:
            delta = {-2: eps, -1: .07, 0: .68 - 2 * eps, 1: .22, 2: .03, 3: eps}
        self.p = {}
        for proc in catalogue:
            S = sum(proc['max']) + 1
            b = proc['boundaries']
            mark = np.array([5 if s >= b[2] else 4 if s >= b[1] else 3 if s >= b[0] else 2 for s in range(S)])
            journal = np.array([[sum(q for d, q in delta.items() if min(max(mark[s] + d, 2), 5) == j) for j in range(6)]
                                for s in range(S)])
            self.p[proc['key']] = dict(S=S, b=b, mark=mark, journal=journal,
                                       honest=score_pmf(proc, 0), helped=score_pmf(proc, HELP))

    def weights(self, ability):
        w = np.exp(-0.5 * ((GRID - ability) / PUPIL_SD) ** 2)
        return w / w.sum()

    def cell_llr(self, key, ability, scores, journals):
        """log likelihood ratio of a cell's pupils under each mechanism (all of the cell) vs honest."""
        P = self.p[key]; S, b, mark = P['S'], P['b'], P['mark']
        w = self.weights(ability)
        ps = w @ P['honest']
        honest = ps[:, None] * P['journal']
        raised = honest.copy()
        for j in (3, 4, 5):
            lower = mark < j
            moved = 0.85 * honest[lower, j].sum()
            raised[lower, j] *= 0.15
            for r in (0, 1):
                raised[min(b[j - 3] + r, S - 1), j] += 0.5 * moved
        pushed = honest.copy()
        for bb in b:
            for s0 in (bb - 2, bb - 1):
                pushed[bb, :] += 0.8 * honest[s0, :]
                pushed[s0, :] *= 0.2
        helped = (w @ P['helped'])[:, None] * P['journal']
        with np.errstate(divide='ignore', invalid='ignore'):
            base = np.log(honest[scores, journals])
            out = []
            for alt in (raised, pushed, helped):
                la = np.log(alt[scores, journals])
                d = np.where(np.isneginf(base) & np.isneginf(la), -50.0, np.where(np.isneginf(base), 50.0, la - base))
                out.append(float(np.maximum(d, -50).sum()))
        return out

    def ml_ability(self, cells):
        """Maximum-likelihood school-year ability from its cells' scores under the honest model."""
        grid = np.arange(-3, 3.001, 0.02)
        W = np.exp(-0.5 * ((GRID[None, :] - grid[:, None]) / PUPIL_SD) ** 2)
        W /= W.sum(1, keepdims=True)
        ll = np.zeros(len(grid))
        for key, scores in cells:
            ps = W @ self.p[key]['honest']
            ll += np.log(ps + 1e-300) @ np.bincount(scores, minlength=self.p[key]['S'])
        return grid[int(np.argmax(ll))]


POOLED = False   # --pooled: every cell of an active year assumed to work (no mixture over cells)


def mixture(cell_llrs, analysis_year, share=0.6, earlier=0.5):
    """log Bayes factor over cells (each worked with chance `share`) and years (earlier ones with chance `earlier`)."""
    total = 0.0
    for year, llrs in cell_llrs.items():
        if POOLED:
            inner = sum(llrs)
        else:
            inner = sum(float(np.logaddexp(math.log(1 - share), math.log(share) + x)) for x in llrs)
        total += inner if year == analysis_year else float(np.logaddexp(math.log(1 - earlier), math.log(earlier) + inner))
    return total


def read(seed_dir, years):
    df = pl.read_csv(f'{seed_dir}/results.csv', columns=['year', 'assessment', 'subject', 'grade', 'school_id', 'score', 'mark', 'journal_mark'],
                     schema_overrides={'school_id': pl.Utf8})
    df = df.filter((pl.col('assessment') == 'vpr') & pl.col('year').is_in(years))
    return df.with_columns(key=pl.lit('vpr:') + pl.col('subject') + pl.lit(':') + pl.col('grade').cast(pl.Utf8))


def truth_changed(seed_dir, year):
    t = pl.read_csv(f'{seed_dir}/truth/truth.csv', schema_overrides={'school_id': pl.Utf8, 'detail': pl.Utf8, 'procedure': pl.Utf8})
    changed = {}
    for r in t.filter((pl.col('category') == 'non_objective') & (pl.col('year') == year)).iter_rows(named=True):
        changed[r['school_id']] = changed.get(r['school_id'], 0) + int(r['detail'].split(';')[0].split('=')[1])
    return changed


def ideal_observer(procs, df, hidden, ability, analysis_year, first_year):
    est = {}
    if ability == 'est':
        by = {}
        for (sid, year, key), g in df.group_by(['school_id', 'year', 'key']):
            by.setdefault((sid, year), []).append((key, g['score'].to_numpy()))
        est = {k: procs.ml_ability(v) for k, v in by.items()}
    llrs = {}
    for (sid, year, key), g in df.group_by(['school_id', 'year', 'key']):
        a = est[(sid, year)] if ability == 'est' else hidden[sid]['ability'][year - first_year]
        llr = procs.cell_llr(key, a, g['score'].to_numpy(), g['journal_mark'].to_numpy())
        llrs.setdefault(sid, {}).setdefault(year, []).append(llr)
    out = {}
    for sid, cells in llrs.items():
        per = [mixture({y: [c[k] for c in v] for y, v in cells.items()}, analysis_year) for k in range(3)]
        out[sid] = dict(ideal=float(logsumexp(per) - math.log(3)), **{f'ideal_{m}': x for m, x in zip(MECHANISMS, per)})
    return out


def journal_raise_counts(df, catalogue, analysis_year):
    """The engine-feasible journal_raise Bayes factor (see the module's docstring)."""
    bounds = pl.DataFrame([(p['key'], *p['boundaries']) for p in catalogue], schema=['key', 'b3', 'b4', 'b5'], orient='row')
    df = df.join(bounds, on='key')
    cols = []
    for j in (3, 4, 5):
        cols.append(((pl.col('journal_mark') == j) & (pl.col('mark') < j)).cast(pl.Int32).alias(f'L{j}'))
        cols.append(((pl.col('journal_mark') == j) & (pl.col('mark') == j) & (pl.col('score') <= pl.col(f'b{j}') + 1)).cast(pl.Int32).alias(f'B{j}'))
    cells = df.with_columns(cols).group_by(['school_id', 'year', 'key']).agg(
        n=pl.len(), mean=pl.col('score').mean(), *[pl.col(f'{x}{j}').sum() for j in (3, 4, 5) for x in 'LB'])
    cells = cells.with_columns(z=(pl.col('mean') - pl.col('mean').mean().over(['year', 'key'])) / pl.col('mean').std().over(['year', 'key']))
    cells = cells.with_row_index('i')
    thetas = np.array([0.2, 0.4, 0.6, 0.8, 0.95])
    llr = np.zeros((len(cells), len(thetas)))
    for j in (3, 4, 5):
        chance = {}
        for x in 'LB':
            arr = np.zeros(len(cells))
            for _, g in cells.group_by(['year', 'key']):
                z = g['z'].to_numpy(); n = g['n'].to_numpy(); y = g[f'{x}{j}'].to_numpy()
                X = np.column_stack([np.ones_like(z), z, z * z])
                arr[g['i'].to_numpy()] = sm.GLM(np.column_stack([y, n - y]), X, family=sm.families.Binomial()).fit().predict(X)
            chance[x] = np.maximum(arr, 0.02)   # journal_mismatch keeps p_B >= 0.02 too
        L = cells[f'L{j}'].to_numpy()[:, None]; B = cells[f'B{j}'].to_numpy()[:, None]
        llr += L * np.log(1 - thetas)[None, :] + B * np.log1p(thetas[None, :] * (chance['L'] / chance['B'])[:, None])
    cells = cells.with_columns(lbf=pl.Series(logsumexp(llr, axis=1) - math.log(len(thetas))))
    by = {}
    for r in cells.iter_rows(named=True):
        by.setdefault(r['school_id'], {}).setdefault(r['year'], []).append(r['lbf'])
    return {sid: mixture(v, analysis_year, share=0.5) for sid, v in by.items()}


def boundary_push_counts(df, catalogue, analysis_year, journal=True):
    """The engine-feasible boundary_push Bayes factor (score_heaping's, OporaStats.BoundaryPushBayesFactor):
    per cell and boundary b of mark m the window b-2 .. b, its scores at b and the «повысили» among
    them; chances q (at b in the window), u («повысил» at b) and v (a pupil of mark m-1 with a journal
    mark at most m-1) fitted across the region's cells as logistic quadratics in the cell's level."""
    bounds = pl.DataFrame([(p['key'], *p['boundaries']) for p in catalogue], schema=['key', 'b3', 'b4', 'b5'], orient='row')
    df = df.join(bounds, on='key')
    cols = []
    for m in (3, 4, 5):
        b = pl.col(f'b{m}')
        cols += [((pl.col('score') >= b - 2) & (pl.col('score') < b)).cast(pl.Int32).alias(f'lo{m}'),
                 (pl.col('score') == b).cast(pl.Int32).alias(f'at{m}'),
                 ((pl.col('score') == b) & (pl.col('journal_mark') < m)).cast(pl.Int32).alias(f'ra{m}'),
                 ((pl.col('mark') == m - 1) & (pl.col('journal_mark') < m)).cast(pl.Int32).alias(f'kept{m}'),
                 ((pl.col('mark') == m - 1) & pl.col('journal_mark').is_not_null()).cast(pl.Int32).alias(f'lower{m}')]
    cells = df.with_columns(cols).group_by(['school_id', 'year', 'key']).agg(
        mean=pl.col('score').mean(), *[pl.col(f'{x}{m}').sum() for m in (3, 4, 5) for x in ('lo', 'at', 'ra', 'kept', 'lower')])
    cells = cells.with_columns(z=(pl.col('mean') - pl.col('mean').mean().over(['year', 'key'])) / pl.col('mean').std().over(['year', 'key']))
    cells = cells.with_row_index('i')

    def fit(y, n):
        arr = np.zeros(len(cells))
        for _, g in cells.group_by(['year', 'key']):
            z = g['z'].to_numpy(); nn = g[n].to_numpy(); yy = g[y].to_numpy(); k = nn > 0
            X = np.column_stack([np.ones_like(z), z, z * z])
            arr[g['i'].to_numpy()] = sm.GLM(np.column_stack([yy[k], nn[k] - yy[k]]), X[k], family=sm.families.Binomial()).fit().predict(X)
        return np.clip(arr, 1e-3, 1 - 1e-3)[:, None]

    t = np.array([0.2, 0.4, 0.6, 0.8, 0.95])[None, :]
    llr = np.zeros((len(cells), t.shape[1]))
    for m in (3, 4, 5):
        cells = cells.with_columns(w=pl.col(f'lo{m}') + pl.col(f'at{m}'))
        q, u, v = fit(f'at{m}', 'w'), fit(f'ra{m}', f'at{m}'), fit(f'kept{m}', f'lower{m}')
        lo, at, ra = (cells[f'{x}{m}'].to_numpy()[:, None] for x in ('lo', 'at', 'ra'))
        moved = t * (1 - q)
        llr += lo * np.log(1 - t) + at * np.log1p(moved / q)
        if journal:
            u2 = (q * u + moved * v) / (q + moved)
            llr += ra * np.log(u2 / u) + (at - ra) * np.log((1 - u2) / (1 - u))
    cells = cells.with_columns(lbf=pl.Series(logsumexp(llr, axis=1) - math.log(t.shape[1])))
    by = {}
    for r in cells.iter_rows(named=True):
        by.setdefault(r['school_id'], {}).setdefault(r['year'], []).append(r['lbf'])
    return {sid: mixture(v, analysis_year, share=0.5) for sid, v in by.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--seeds', required=True)
    ap.add_argument('--ability', choices=['true', 'est'], default='true')
    ap.add_argument('--years', type=int, default=3)
    ap.add_argument('--eps', type=float, default=0.005)
    ap.add_argument('--analysis-year', type=int, default=2025)
    ap.add_argument('--pooled', action='store_true', help='no mixture over cells: every cell of an active year worked')
    a = ap.parse_args()
    global POOLED
    POOLED = a.pooled
    catalogue = json.load(open(f'{a.dir}/catalogue.json'))
    procs = Procedures(catalogue, a.eps)
    first = a.analysis_year - 2   # the bench regions hold three years
    years = list(range(a.analysis_year - a.years + 1, a.analysis_year + 1))
    rows = []
    for seed in [int(s) for s in a.seeds.split(',')]:
        sd = f'{a.dir}/s{seed}'
        hidden = {r['id']: r for r in json.load(open(f'{sd}/hidden.json'))}
        df = read(sd, years)
        changed = truth_changed(sd, a.analysis_year)
        ideal = ideal_observer(procs, df, hidden, a.ability, a.analysis_year, first)
        counts = journal_raise_counts(df, catalogue, a.analysis_year)
        push = boundary_push_counts(df, catalogue, a.analysis_year)
        push_scores = boundary_push_counts(df, catalogue, a.analysis_year, journal=False)
        for sid, v in ideal.items():
            rows.append(dict(seed=seed, school_id=sid, mechanism=hidden[sid]['mech'], planted=sid in changed,
                             changed=changed.get(sid, 0), **v, counts_journal_raise=counts.get(sid, 0.0),
                             counts_boundary_push=push.get(sid, 0.0), counts_boundary_push_scores_only=push_scores.get(sid, 0.0)))
        print(f'seed {seed} done', file=sys.stderr)
    d = pl.DataFrame(rows)
    name = f'{a.dir}/bf-{a.ability}-y{a.years}-eps{a.eps}{"-pooled" if a.pooled else ""}-{a.seeds.split(",")[0]}.csv'
    d.write_csv(name)
    print(f'# {name}: {len(a.seeds.split(","))} seeds, ability {a.ability}, {a.years} years, eps {a.eps}{", pooled" if a.pooled else ""}')
    print('statistic,unplanted_over,planted_found,planted,changed<5_found,changed<5,' + ','.join(f'{m}_found,{m}' for m in MECHANISMS))
    truth = d.filter(pl.col('planted'))
    for stat in ['ideal', 'ideal_journal_raise', 'ideal_boundary_push', 'counts_journal_raise', 'counts_boundary_push',
                 'counts_boundary_push_scores_only']:
        unplanted = np.sort(d.filter(pl.col('mechanism') == '')[stat].to_numpy())
        n = len(a.seeds.split(','))
        for k in sorted({max(1, round(n * x)) for x in (1 / 6, 1 / 3, 1, 2)}):
            thr = unplanted[-k - 1]
            found = truth.filter(pl.col(stat) > thr)
            faint = truth.filter(pl.col('changed') < 5)
            per = [f'{found.filter(pl.col("mechanism") == m).height},{truth.filter(pl.col("mechanism") == m).height}' for m in MECHANISMS]
            print(f'{stat},{k},{found.height},{truth.height},{faint.filter(pl.col(stat) > thr).height},{faint.height},' + ','.join(per))


if __name__ == '__main__':
    main()
