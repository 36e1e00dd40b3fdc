/**
 * Inventory-plan benchmark on the shared holdout sets: the plan exactly as production writes it (the CLI's
 * --inventory with the set's parts file: the server's pool, chunking and job-level fit), scored by
 * ../shared/tools/inventory/score.mjs next to the peers of peers.mjs, PASS/MISS against the goals. Then the
 * plan's extra time and memory over the forecast alone, on carparts, on a generated original-shape daily file
 * and on the 1M-row file (the generator at scale 84, as bench:upload makes it): the forecast alone is the same
 * CLI with --plan off (no fit in the read phase, no plan rows), on the same file and threads; wall time = the
 * CLI's own "seconds" (best of --repeat runs, alone and with the plan interleaved), peak RSS = the CLI
 * process's (worker threads included; the highest of the runs). Reports; always exits 0.
 *   node --import tsx scripts/bench-inventory.ts [--only carparts] [--validate [--earlier [K]]] [--repeat 2]
 *        [--no-time] [--keep] [--big-scale 84 | --no-big]
 * After the scores, issue 20's one-mean checks (meanChecks): ltd_mean = the forecast CSV's mean over P, and
 * the bias of ltd_mean against the holdout, overall and by periods since the last demand.
 * --validate: the last max(P) periods of each training file become the test (an in-history holdout); the real
 * test files are then not read at all. --earlier (with --validate): the max(P) periods before those, the last
 * max(P) dropped (a second in-history origin, so that a setting is not chosen on one window of time).
 * --keep: leave the plans and holdout files in the temp folder (printed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeDemandFile } from './generate-demand.js';
import { holdout } from './in-history.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.SHARED_DATA ?? resolve(root, '../shared/data');
const tools = resolve(shared, '../tools/inventory');
const args = process.argv.slice(2);
const opt = (k: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const validate = args.includes('--validate');
/**
 * --earlier [K]: with --validate, the in-history origin K max(P) earlier (the last K × max(P) periods dropped
 * first; K = 1 when not given), so that a setting is checked at more than one window of time.
 */
const earlier = validate && args.includes('--earlier');
const back = earlier ? Math.max(1, Math.floor(Number(opt('earlier'))) || 1) : 0;
const REPEAT = Math.max(1, Number(opt('repeat') ?? 2));
const SETS = [
  { name: 'carparts', h: 12, best: 0.283 },
  { name: 'auto-sb', h: 6, best: 0.146 },
].filter((s) => !opt('only') || s.name === opt('only'));
const TAUS = [0.5, 0.8, 0.9, 0.95, 0.99];
if (!existsSync(join(shared, 'carparts-train.csv')) || !existsSync(join(tools, 'score.mjs'))) {
  console.error(`Shared data or tools not found in ${shared}: set SHARED_DATA to the folder with carparts-train.csv.`);
  process.exit(0);
}
// the scorer's own calendar code, so the holdout follows its conventions exactly
const lib = await import(pathToFileURL(join(tools, 'lib.mjs')).href);
const node = (script: string, a: string[], tsx = false, cwd = root) =>
  execFileSync('node', [...(tsx ? ['--import', 'tsx'] : []), script, ...a], {
    encoding: 'utf8',
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** One CLI run; its own "seconds" figure (the run, without node's start-up) and its peak RSS. */
function cli(a: string[]): { seconds: number; rssMb: number; stdout: string } {
  const stdout = node(join(root, 'server/cli/forecast.ts'), a, true);
  const seconds = Number(/^seconds ([\d.]+)/m.exec(stdout)?.[1] ?? NaN);
  return { seconds, rssMb: Number(/^peak RSS (\d+) MB/m.exec(stdout)?.[1] ?? NaN), stdout };
}

interface Score {
  plan: string;
  spl_mean: number;
  coverage: Record<string, number>;
  stock95: number;
  bias_pct: number;
  n_evaluated: number;
}
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

interface FrontierOut {
  uniform: { tau: number; value: number; fill: number }[];
  budget: { at_value_of_tau: number; value: number; fill: number }[];
  budget_value_for_u95_fill: number;
  plans: { plan: string; value: number; fill: number; budget_fill_at_value: number; uniform_fill_at_value: number }[];
}

/**
 * Issue 22's frontier on a set (../shared/tools/inventory/frontier.mjs, realized on the holdout): at the
 * best peer's uniform-95 % stock value, our budget plan's realized fill rate next to marginal analysis over
 * nbd-sba (goal: no lower than it minus 0.5 point); in fill-rate mode at the uniform 95 % plan's fill rate,
 * the realized fill (within 2 points) and the stock value next to what marginal analysis needs (≤ 1.05×);
 * and the honest promise: each plan's expected fill rate within 2 points of the realized one.
 */
function frontierChecks(o: {
  train: string;
  test: string;
  parts: string;
  dir: string;
  h: string;
  plan: string;
  summary: string;
  bestStock95: number;
}): void {
  const io = ['--input', o.train, '--output', join(o.dir, 'forecast-alloc.csv'), '--horizon', o.h];
  const inv = ['--parts', o.parts, '--service-level', '0.95', '--review-periods', '1'];
  // the plan's own promise over its costed series (an allocation's plan point), else the service-level
  // plan's expected fill rate (every series of the bench's parts files has a cost)
  const promise = (stdout: string) =>
    Number(
      (/costed series: value [\d.]+, fill ([\d.]+) %/.exec(stdout) ??
        /expected fill rate ([\d.]+) %/.exec(stdout))?.[1] ?? NaN,
    ) / 100;
  const frontier = (plans: string[]) =>
    JSON.parse(
      node(join(tools, 'frontier.mjs'), [
        ...['--train', o.train, '--test', o.test, '--parts', o.parts, '--json'],
        ...plans.flatMap((p) => ['--plan', p]),
      ]),
    ) as FrontierOut;
  const base = frontier([]);
  const u95 = base.uniform.find((u) => u.tau === 0.95)!;
  const budgetPlan = join(o.dir, 'budget.csv');
  const b = cli([...io, '--inventory', budgetPlan, ...inv, '--stock-budget', String(Math.round(o.bestStock95))]);
  const fillPlan = join(o.dir, 'fill.csv');
  const f = cli([...io, '--inventory', fillPlan, ...inv, '--target-fill-rate', u95.fill.toFixed(4)]);
  const fr = frontier([o.plan, budgetPlan, fillPlan]);
  const [sl, bp, fp] = fr.plans;
  const maValue = base.budget_value_for_u95_fill * u95.value;
  const pt = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`  frontier (issue 22; realized on the holdout, frontier.mjs; nbd-sba = the peer's NB around SBA):`);
  console.log(
    `    nbd-sba uniform 95 %: value ${u95.value}, fill ${pt(u95.fill)}; marginal analysis over nbd-sba reaches ` +
      `that fill with ${base.budget_value_for_u95_fill}× (${Math.round(maValue)})`,
  );
  const rows: [
    string,
    { value: number; fill: number; budget_fill_at_value: number; uniform_fill_at_value: number },
    number,
  ][] = [
    ['service level 95 %', sl, promise(o.summary)],
    [`budget ${Math.round(o.bestStock95)}`, bp, promise(b.stdout)],
    [`fill-rate ${u95.fill.toFixed(4)}`, fp, promise(f.stdout)],
  ];
  for (const [name, p, e] of rows)
    console.log(
      `    ${name.padEnd(22)} value ${String(p.value).padStart(10)}  realized fill ${pt(p.fill)}  expected ` +
        `${pt(e)} (${((p.fill - e) * 100).toFixed(1)} pt)  | at that value: nbd-sba marginal ${pt(p.budget_fill_at_value)}, ` +
        `nbd-sba uniform ${pt(p.uniform_fill_at_value)}`,
    );
  console.log(
    `  ${verdict(bp.value <= o.bestStock95 + 1 && bp.fill >= bp.budget_fill_at_value - 0.005)} budget at the best ` +
      `peer's uniform-95 % value: realized fill ${pt(bp.fill)} ≥ nbd-sba marginal ${pt(bp.budget_fill_at_value)} − 0.5 pt`,
  );
  console.log(
    `  ${verdict(Math.abs(fp.fill - u95.fill) <= 0.02 && fp.value <= 1.05 * maValue)} fill-rate mode: realized ` +
      `${pt(fp.fill)} within 2 pt of ${pt(u95.fill)}, value ${fp.value} = ${(fp.value / maValue).toFixed(3)}× ` +
      `marginal analysis's (≤ 1.05×)`,
  );
  const worst = Math.max(...rows.map(([, p, e]) => Math.abs(p.fill - e)));
  console.log(
    `  ${verdict(worst <= 0.02)} honest promise: |realized − expected fill| ≤ 2 pt (worst ${(100 * worst).toFixed(1)} pt)`,
  );
}

/** Periods-since-last-demand groups of issue 20 (0 = demand in the last training period). */
const STALE = [
  { name: '≤1', max: 1 },
  { name: '≤6', max: 6 },
  { name: '≤12', max: 12 },
  { name: '>12', max: Infinity },
];
const pct = (mean: number, d: number) => (d > 0 ? (100 * (mean - d)) / d : NaN);

/**
 * Issue 20's one-mean checks: (1) the plan's ltd_mean against the forecast CSV's forecast_qty_raw_model summed
 * over the first P periods (past the horizon at its mean over the horizon, as the plan extends it), on every
 * plan row: |diff| ≤ 0.02 · max + 0.05 on ≥ 99 %; (2) the bias of ltd_mean against the holdout's demand over P,
 * on the series the scorer evaluates (parts row, P ≤ test periods, demand in training), overall (±15 %) and by
 * periods since the last training demand (±50 % in each group holding ≥ 300 units).
 */
function meanChecks(train: string, test: string, partsFile: string, planFile: string, forecastFile: string): void {
  const parts = lib.readParts(partsFile) as Map<string, { L: number; R?: number }>;
  const fc = new Map<string, { date: string; v: number }[]>();
  for (const { v } of lib.readCsv(forecastFile, ['partnumber', 'site_code', 'date', 'forecast_qty_raw_model']).rows as {
    v: string[];
  }[]) {
    const k = lib.keyOf(v[0], v[1]) as string;
    let a = fc.get(k);
    if (!a) fc.set(k, (a = []));
    a.push({ date: v[2], v: Number(v[3]) });
  }
  const plan = new Map<string, { mean: number; P: number }>();
  const cols = ['partnumber', 'site_code', 'ltd_mean', 'lead_time_periods', 'review_periods'];
  for (const { v } of lib.readCsv(planFile, cols).rows as { v: string[] }[])
    plan.set(lib.keyOf(v[0], v[1]) as string, { mean: Number(v[2]), P: Number(v[3]) + Number(v[4]) });
  const fcOverP = new Map<string, number>();
  let agree = 0,
    n = 0;
  const worst: string[] = [];
  for (const [k, p] of plan) {
    const f = (fc.get(k) ?? []).sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)).map((x) => x.v);
    let sum = 0,
      all = 0;
    f.forEach((x, t) => {
      all += x;
      if (t < p.P) sum += x;
    });
    if (p.P > f.length && f.length > 0) sum += ((p.P - f.length) * all) / f.length;
    fcOverP.set(k, sum);
    n++;
    const ok = Math.abs(p.mean - sum) <= 0.02 * Math.max(p.mean, sum) + 0.05;
    if (ok) agree++;
    else if (worst.length < 3) worst.push(`${lib.splitKey(k).join('/')}: ${p.mean} vs ${sum.toFixed(4)}`);
  }
  const share = n ? agree / n : 0;
  console.log(
    `  ${verdict(share >= 0.99)} one mean: ltd_mean = Σ forecast_qty_raw_model over P on ${agree} of ${n} ` +
      `series (${(100 * share).toFixed(1)} %, goal ≥ 99 %)${worst.length ? `; e.g. ${worst.join('; ')}` : ''}`,
  );
  // the holdout's demand over P, with the scorer's calendar (its own lib)
  const te = lib.readDemand(test, 'test');
  const tr = lib.loadTrain(train, { extraDays: (te.rows as { day: number }[]).map((r) => r.day) });
  const { map } = lib.groupByPeriod(te.rows, tr.per) as { map: Map<string, Map<number, number>> };
  let h = 0;
  for (const m of map.values()) for (const p of m.keys()) h = Math.max(h, p - tr.tEnd);
  const g = STALE.map(() => ({ series: 0, mean: 0, fc: 0, d: 0 }));
  const all = { series: 0, mean: 0, fc: 0, d: 0 };
  for (const [k, y] of tr.spans as Map<string, Float64Array>) {
    const pr = parts.get(k);
    const pl = plan.get(k);
    if (!pr || !pl) continue;
    const P = pr.L + (pr.R ?? 1);
    let scale = 0;
    for (const v of y) scale += Math.abs(v);
    if (P > h || !(scale > 0)) continue;
    let D = 0;
    for (let p = tr.tEnd + 1; p <= tr.tEnd + P; p++) D += map.get(k)?.get(p) ?? 0;
    let last = y.length - 1;
    while (last > 0 && y[last] === 0) last--;
    const since = y.length - 1 - last;
    for (const a of [all, g[STALE.findIndex((s) => since <= s.max)]]) {
      a.series++;
      a.mean += pl.mean;
      a.fc += fcOverP.get(k) ?? 0;
      a.d += D;
    }
  }
  const b = pct(all.mean, all.d);
  console.log(
    `  ${verdict(Math.abs(b) <= 15)} bias of ltd_mean vs the holdout over P: ${b.toFixed(1)} % ` +
      `(Σ ltd_mean ${all.mean.toFixed(0)}, Σ demand ${all.d.toFixed(0)}, ${all.series} series; goal ±15 %); ` +
      `the forecast's over P: ${pct(all.fc, all.d).toFixed(1)} %`,
  );
  STALE.forEach((s, j) => {
    const a = g[j];
    const bj = pct(a.mean, a.d);
    const judged = a.d >= 300;
    const mark = judged ? verdict(Math.abs(bj) <= 50) : '----';
    console.log(
      `  ${mark} since last demand ${s.name.padEnd(3)}: bias ${Number.isFinite(bj) ? bj.toFixed(1).padStart(7) : '    n/a'} %, ` +
        `${String(a.series).padStart(5)} series, Σ ltd_mean ${a.mean.toFixed(0).padStart(6)}, ` +
        `Σ demand ${a.d.toFixed(0).padStart(6)} units${judged ? ' (goal ±50 %)' : ' (< 300 units: not judged)'}; ` +
        `forecast's bias ${Number.isFinite(bj) ? pct(a.fc, a.d).toFixed(1) : 'n/a'} %`,
    );
  });
}
const tmp = mkdtempSync(join(tmpdir(), 'bench-inv-'));
const timings: { name: string; file: string; extra: string[] }[] = [];
try {
  for (const set of SETS) {
    const dir = join(tmp, set.name);
    mkdirSync(join(dir, 'ours'), { recursive: true });
    const partsFile = join(shared, `${set.name}-parts.csv`);
    const parts = lib.readParts(partsFile) as Map<string, { L: number; cost: number }>;
    const maxP = Math.max(...[...parts.values()].map((p) => p.L + 1));
    const files = validate
      ? holdout(lib, join(shared, `${set.name}-train.csv`), maxP, dir, back * maxP)
      : { train: join(shared, `${set.name}-train.csv`), test: join(shared, `${set.name}-test.csv`) };
    const h = String(validate ? maxP : set.h);
    const plan = join(dir, 'ours', 'sparecast.csv');
    const run = cli([
      ...['--input', files.train, '--output', join(dir, 'forecast.csv'), '--horizon', h],
      ...['--inventory', plan, '--parts', partsFile, '--service-level', '0.95', '--review-periods', '1'],
    ]);
    const summary = /^inventory .*$/m.exec(run.stdout)?.[0] ?? '(no inventory line)';
    timings.push({ name: set.name, file: files.train, extra: ['--horizon', h, '--parts', partsFile] });
    node(join(tools, 'peers.mjs'), ['--train', files.train, '--parts', partsFile, '--out', join(dir, 'peers')]);
    const js = node(join(tools, 'score.mjs'), [
      ...['--train', files.train, '--test', files.test, '--parts', partsFile],
      ...['--plan', join(dir, 'peers'), '--plan', join(dir, 'ours'), '--json'],
    ]);
    const scores = js
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Score);
    const peers = scores.filter((s) => !s.plan.startsWith('sparecast') && s.plan !== 'zero');
    const bestPeer = peers.reduce((a, b) => (b.spl_mean < a.spl_mean ? b : a));
    const holdoutNote = validate
      ? ` (IN-HISTORY HOLDOUT: ${earlier ? `the ${maxP} training periods before the last ${back * maxP}` : `last ${maxP} training periods`})`
      : '';
    console.log(`\n${set.name}${holdoutNote}: ${scores[0].n_evaluated} series scored, P = L + 1, CLI ${run.seconds} s`);
    console.log(`  ${summary}`);
    const cols = TAUS.map((t) => `cov${t}`.padStart(8)).join('');
    console.log(
      `  ${'plan'.padEnd(24)} ${'SPL'.padStart(6)} ${cols} ${'stock95 rel'.padStart(12)} ${'bias %'.padStart(8)}`,
    );
    for (const s of scores) {
      const cov = TAUS.map((t) => s.coverage[t].toFixed(3).padStart(8)).join('');
      const rel = (s.stock95 / bestPeer.stock95).toFixed(3).padStart(12);
      console.log(
        `  ${s.plan.padEnd(24)} ${s.spl_mean.toFixed(3).padStart(6)} ${cov} ${rel} ${s.bias_pct.toFixed(1).padStart(8)}`,
      );
    }
    console.log(`  stock95 rel = stock value at 95 % / best peer's (${bestPeer.plan})`);
    const ours = scores.find((s) => s.plan.startsWith('sparecast'))!;
    const goal = validate ? bestPeer.spl_mean : set.best;
    const c = ours.coverage;
    console.log(
      `  ${verdict(ours.spl_mean <= 0.95 * goal)} SPL ${ours.spl_mean.toFixed(3)} ≤ 0.95 × best peer ${goal.toFixed(3)}`,
    );
    console.log(
      `  ${verdict(ours.spl_mean <= bestPeer.spl_mean)} floor (issue 20): SPL ${ours.spl_mean.toFixed(3)} ≤ ` +
        `best peer's ${bestPeer.spl_mean.toFixed(3)} (${bestPeer.plan})`,
    );
    console.log(`  ${verdict(c['0.9'] >= 0.89)} coverage at 0.90: ${c['0.9'].toFixed(3)} (≥ 0.890)`);
    console.log(`  ${verdict(c['0.95'] >= 0.94)} coverage at 0.95: ${c['0.95'].toFixed(3)} (≥ 0.940)`);
    console.log(`  ${verdict(c['0.99'] >= 0.98)} coverage at 0.99: ${c['0.99'].toFixed(3)} (≥ 0.980)`);
    const rel = ours.stock95 / bestPeer.stock95;
    console.log(`  ${verdict(rel <= 1)} stock value at 95 %: ${rel.toFixed(3)} × the best peer's (≤ 1)`);
    meanChecks(files.train, files.test, partsFile, plan, join(dir, 'forecast.csv'));
    frontierChecks({ ...files, parts: partsFile, dir, h, plan, summary, bestStock95: bestPeer.stock95 });
  }
  if (!args.includes('--no-time')) {
    const daily = join(tmp, 'original-shape.csv');
    await writeDemandFile(daily, { scale: 1, seed: 42, start: '2024-08-01', days: 365 });
    timings.push({ name: 'original-shape daily', file: daily, extra: ['--horizon', '30'] });
    if (!args.includes('--no-big')) {
      const scale = Number(opt('big-scale') ?? 84);
      const big = join(tmp, 'big.csv');
      const rows = await writeDemandFile(big, { scale, seed: 7, start: '2024-01-01', days: 365 });
      timings.push({
        name: `${(rows / 1e6).toFixed(2)}M-row file (scale ${scale})`,
        file: big,
        extra: ['--horizon', '30'],
      });
    }
    console.log(`\nplan's extra time and memory (forecast alone = the same CLI with --plan off; 2 threads)`);
    console.log(`  wall time = best of ${REPEAT} runs each, interleaved; peak RSS = the highest of the runs`);
    for (const t of timings.filter((x) => x.name !== 'auto-sb')) {
      const io = ['--input', t.file, '--output', join(tmp, 'time-out.csv'), '--threads', '2'];
      const alone: ReturnType<typeof cli>[] = [],
        withPlan: ReturnType<typeof cli>[] = [];
      for (let i = 0; i < REPEAT; i++) {
        alone.push(cli([...io, ...t.extra.slice(0, 2), '--plan', 'off']));
        withPlan.push(cli([...io, ...t.extra, '--inventory', join(tmp, 'time-plan.csv')]));
      }
      const sec = (r: ReturnType<typeof cli>[]) => Math.min(...r.map((x) => x.seconds));
      const rss = (r: ReturnType<typeof cli>[]) => Math.max(...r.map((x) => x.rssMb));
      const extra = (100 * (sec(withPlan) - sec(alone))) / sec(alone);
      console.log(
        `  ${verdict(extra <= 30)} ${t.name}: forecast alone ${sec(alone).toFixed(2)} s, with the plan ` +
          `${sec(withPlan).toFixed(2)} s, +${extra.toFixed(0)} % (goal ≤ 30 %); ` +
          `peak RSS ${rss(alone)} → ${rss(withPlan)} MB (+${rss(withPlan) - rss(alone)} MB)`,
      );
    }
  }
} finally {
  if (args.includes('--keep')) console.log(`\nkept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
