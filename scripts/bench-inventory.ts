/**
 * Inventory-plan benchmark on the shared holdout sets: the engine's point forecast (from the CLI, whose
 * interface stays stable), the lead-time-demand model of server/forecast/inventory around it, the plan
 * scored by ../shared/tools/inventory/score.mjs next to the peers of peers.mjs. Reports; always exits 0.
 *   node --import tsx scripts/bench-inventory.ts [--only carparts] [--variants engine,size-zero] [--validate]
 *        [--origins 8] [--origin-step 1]
 * 'engine' variants fit the pooled parameters on the engine's own forecasts at in-history origins: the CLI
 * runs with --start-date at the last --origins origins (every --origin-step periods back from the end of the
 * training file); forecast_start_date drops all demand on/after that date, as a physically truncated file.
 * --validate: the last max(P) periods of each training file become the test (an in-history holdout to
 * choose variants by); the real test files are then not read at all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  alphaAt,
  fitPooled,
  fitWindows,
  meanAt,
  mixtureWithMean,
  paramsFor,
  PLAN_LEVELS,
  planLtd,
  quantiles,
  WindowSet,
  type FitOptions,
  type PooledParams,
  type Windows,
} from '../server/forecast/inventory/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.SHARED_DATA ?? resolve(root, '../shared/data');
const tools = resolve(shared, '../tools/inventory');
const args = process.argv.slice(2);
const opt = (k: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const validate = args.includes('--validate');
const SETS = [
  { name: 'carparts', h: 12, best: 0.283 },
  { name: 'auto-sb', h: 6, best: 0.146 },
].filter((s) => !opt('only') || s.name === opt('only'));
/** Variants of the model; the first is the plan the goals are checked on. */
type Variant = { fit: Partial<FitOptions>; engine?: true } | 'poisson';
const VARIANTS: Record<string, Variant> = {
  engine: { fit: {}, engine: true },
  'engine-period': { fit: { form: 'period' }, engine: true },
  'engine-nozero': { fit: { zeroMass: false }, engine: true },
  'engine-mean': { fit: { meanCorrection: 'full' }, engine: true },
  'engine-revival': { fit: { meanCorrection: 'revival' }, engine: true },
  'engine-mean-cal': { fit: { meanCorrection: 'full', calibrate: true }, engine: true },
  'size-zero': { fit: {} },
  'ref-mean': { fit: { meanCorrection: 'full' } },
  'ref-mean-cal': { fit: { meanCorrection: 'full', calibrate: true } },
  'size-zero-cal': { fit: { calibrate: true } },
  size: { fit: { zeroMass: false } },
  'period-zero': { fit: { form: 'period' } },
  poisson: 'poisson',
};
const ORIGINS = Number(opt('origins') ?? 8);
const ORIGIN_STEP = Number(opt('origin-step') ?? 1);
const variants = opt('variants')?.split(',') ?? ['engine-mean-cal', 'engine-mean', 'engine', 'size-zero'];
for (const v of variants)
  if (!(v in VARIANTS)) throw new Error(`unknown variant ${v} (known: ${Object.keys(VARIANTS).join(', ')})`);
if (!existsSync(join(shared, 'carparts-train.csv')) || !existsSync(join(tools, 'score.mjs'))) {
  console.error(`Shared data or tools not found in ${shared}: set SHARED_DATA to the folder with carparts-train.csv.`);
  process.exit(0);
}
// the scorer's own calendar code, so histories follow its conventions exactly
const lib = await import(pathToFileURL(join(tools, 'lib.mjs')).href);
const KEY = '\u0001';
const TAUS = PLAN_LEVELS as readonly number[];
const r4 = (x: number) => String(Math.round(x * 1e4) / 1e4);
const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const node = (script: string, a: string[], tsx = false) =>
  execFileSync('node', [...(tsx ? ['--import', 'tsx'] : []), script, ...a], {
    encoding: 'utf8',
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const dateOf = (freq: string, p: number) => {
  if (freq === 'M') return `${Math.floor(p / 12)}-${String((p % 12) + 1).padStart(2, '0')}-01`;
  return new Date((freq === 'W' ? 7 * p - 3 : p) * 864e5).toISOString().slice(0, 10);
};

/** In-history holdout: the train file without its last V periods, and those periods as a test file. */
function holdout(trainFile: string, V: number, dir: string): { train: string; test: string } {
  const lines = readFileSync(trainFile, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const rows = lines.slice(1).map((l) => {
    const f = l.split(',');
    return { l, day: lib.dayNumber(f[1]) as number, key: f[2] + ',' + f[3], q: Number(f[0]) };
  });
  const freq = lib.detectFreq(new Set(rows.map((r) => r.day))) as string;
  const per = lib.periodOf[freq] as (d: number) => number;
  let end = -Infinity;
  for (const r of rows) end = Math.max(end, per(r.day));
  const cut = end - V;
  const test = new Map<string, Float64Array>();
  for (const r of rows) {
    if (per(r.day) <= cut) continue;
    let a = test.get(r.key);
    if (!a) test.set(r.key, (a = new Float64Array(V)));
    a[per(r.day) - cut - 1] += r.q;
  }
  const keys = new Set(rows.filter((r) => per(r.day) <= cut).map((r) => r.key));
  let tt = 'date,partnumber,site_code,demand_qty\n';
  for (const k of keys)
    for (let t = 0; t < V; t++) tt += `${dateOf(freq, cut + 1 + t)},${k},${test.get(k)?.[t] ?? 0}\n`;
  const train = join(dir, 'holdout-train.csv'),
    testFile = join(dir, 'holdout-test.csv');
  writeFileSync(train, [lines[0], ...rows.filter((r) => per(r.day) <= cut).map((r) => r.l)].join('\n') + '\n');
  writeFileSync(testFile, tt);
  return { train, test: testFile };
}

/** The engine's per-period raw forecast and demand class per series, from the CLI's output. */
function engineForecast(train: string, h: number, dir: string, tr: { freq: string; tEnd: number }, origin?: number) {
  const out = join(dir, 'forecast.csv');
  const start = origin ?? tr.tEnd + 1;
  const extra = origin === undefined ? [] : ['--start-date', dateOf(tr.freq, origin)];
  const t0 = performance.now();
  const cli = join(root, 'server/cli/forecast.ts');
  const stdout = node(cli, ['--input', train, '--output', out, '--horizon', String(h), ...extra], true);
  const wall = (performance.now() - t0) / 1000;
  const engineSeconds = Number(/seconds ([\d.]+)/.exec(stdout)?.[1] ?? wall);
  const per = lib.periodOf[tr.freq] as (d: number) => number;
  const fc = new Map<string, { f: Float64Array; cls: string }>();
  const lines = readFileSync(out, 'utf8').split('\n');
  const hd = lines[0].split(',');
  const cols = ['date', 'partnumber', 'site_code', 'forecast_qty_raw_model', 'demand_class'];
  const [iD, iP, iS, iF, iC] = cols.map((c) => hd.indexOf(c));
  for (const l of lines.slice(1)) {
    if (!l) continue;
    const f = l.split(',');
    const t = per(lib.dayNumber(f[iD])) - start;
    if (t < 0 || t >= h) continue;
    const k = f[iP] + KEY + f[iS];
    let e = fc.get(k);
    if (!e) fc.set(k, (e = { f: new Float64Array(h), cls: f[iC] }));
    e.f[t] = Number(f[iF]);
  }
  return { fc, engineSeconds, wall };
}

/**
 * The engine's forecasts at in-history origins k = step, 2 step, .. periods before the end of the training
 * file, as backtest windows: the outcome of each is inside the training file, so nothing after it is read.
 */
function engineWindows(train: string, h: number, dir: string, tr: Tr, Ps: number[]) {
  const set = new WindowSet();
  let seconds = 0;
  const ends: number[] = [];
  for (let j = 1; j <= ORIGINS; j++) {
    const k = j * ORIGIN_STEP;
    ends.push(set.size);
    const { fc, engineSeconds } = engineForecast(train, h, dir, tr, tr.tEnd + 1 - k);
    seconds += engineSeconds;
    for (const [key, y] of tr.spans) {
      const e = fc.get(key);
      if (e && y.length - k >= 1) set.addOrigin(y, y.length - k, e.f, Ps);
    }
  }
  ends.push(set.size);
  return { windows: set.windows(), seconds, ends };
}

const poissonPooled: PooledParams = {
  groups: { '*': { a: 0, c: 0, zero: 0, windows: Infinity } },
  calibration: {},
  minWindows: 0,
  form: 'period',
};

function writePlan(
  file: string,
  tr: { spans: Map<string, Float64Array> },
  parts: Map<string, { L: number; cost: number }>,
  fc: Map<string, { f: Float64Array; cls: string }>,
  pooled: PooledParams,
) {
  let text =
    'partnumber,site_code,demand_class,lead_time_periods,review_periods,service_level,ltd_mean,ltd_q50,ltd_q80,ltd_q90,ltd_q95,ltd_q99,order_up_to,safety_stock,unit_cost,stock_value,group\n';
  for (const [key, y] of tr.spans) {
    const pr = parts.get(key);
    if (!pr) continue;
    const e = fc.get(key);
    const p = planLtd({ history: y, forecast: e?.f ?? null, P: pr.L + 1, target: 0.95 }, pooled);
    const [part, site] = key.split(KEY);
    const mean = Number(r4(p.mean));
    text +=
      [
        csvField(part),
        csvField(site),
        e?.cls ?? '',
        pr.L,
        1,
        0.95,
        mean,
        ...p.q,
        p.orderUpTo,
        r4(p.orderUpTo - mean),
        pr.cost,
        r4(p.orderUpTo * pr.cost),
        p.group,
      ].join(',') + '\n';
  }
  writeFileSync(file, text);
}

/** In-sample coverage of the engine windows per origin and per group: drift shows as a trend over origins. */
function diagnose(v: string, eng: { windows: Windows; ends: number[] }, pooled: PooledParams) {
  const w = eng.windows;
  const levels = [0.5, 0.9, 0.95, 0.99];
  const cover = (lo: number, hi: number, pick: (i: number) => boolean) => {
    const hit = levels.map(() => 0);
    let n = 0;
    let sd = 0;
    let sm = 0;
    for (let i = lo; i < hi; i++) {
      if (!(w.mu[i] > 0 || w.rate[i] > 0) || !pick(i)) continue;
      const g = paramsFor(pooled, w.groups[w.gid[i]]);
      const m = meanAt(g, w.mu[i], w.p[i], w.rate[i]);
      const q = quantiles(mixtureWithMean(m, alphaAt(pooled.form, g, w.p[i], m, w.si[i]), g.zero), levels);
      n++;
      sd += w.d[i];
      sm += m;
      for (let j = 0; j < levels.length; j++) hit[j] += +(w.d[i] <= q[j]);
    }
    const cov = hit.map((x) => (x / Math.max(n, 1)).toFixed(3)).join(' ');
    return `${String(n).padStart(6)} ${cov}  sum d / sum mu ${(sd / sm).toFixed(2)}  mean mu ${(sm / n).toFixed(2)}`;
  };
  console.log(`  diag ${v}: in-sample coverage at ${levels.join(' / ')}`);
  for (let j = 0; j + 1 < eng.ends.length; j++) {
    console.log(`    origin k=${(j + 1) * ORIGIN_STEP}: ${cover(eng.ends[j], eng.ends[j + 1], () => true)}`);
  }
  for (const [gi, g] of w.groups.entries())
    console.log(`    ${g.padEnd(20)} ${cover(0, w.size, (i) => w.gid[i] === gi)}`);
}

interface Tr {
  freq: string;
  tEnd: number;
  spans: Map<string, Float64Array>;
}
interface Score {
  plan: string;
  spl_mean: number;
  coverage: Record<string, number>;
  stock95: number;
  bias_pct: number;
  n_evaluated: number;
}
const tmp = mkdtempSync(join(tmpdir(), 'bench-inv-'));
try {
  for (const set of SETS) {
    const dir = join(tmp, set.name);
    mkdirSync(join(dir, 'ours'), { recursive: true });
    const partsFile = join(shared, `${set.name}-parts.csv`);
    const parts = lib.readParts(partsFile) as Map<string, { L: number; cost: number }>;
    const maxP = Math.max(...[...parts.values()].map((p) => p.L + 1));
    const files = validate
      ? holdout(join(shared, `${set.name}-train.csv`), maxP, dir)
      : { train: join(shared, `${set.name}-train.csv`), test: join(shared, `${set.name}-test.csv`) };
    const h = validate ? maxP : set.h;
    const tr = lib.loadTrain(files.train) as Tr;
    const { fc, engineSeconds, wall } = engineForecast(files.train, h, dir, tr);
    const histories = [...tr.spans.values()];
    const Ps = [...new Set([...parts.values()].map((p) => p.L + 1))];
    const times: Record<string, number> = {};
    const eng = variants.some((v) => VARIANTS[v] !== 'poisson' && VARIANTS[v].engine)
      ? engineWindows(files.train, h, dir, tr, Ps)
      : null;
    if (eng) {
      const perOrigin = (eng.seconds / ORIGINS).toFixed(2);
      console.log(
        `\n${set.name}: ${eng.windows.size} engine backtest windows, ${ORIGINS} origins, ${perOrigin} s each`,
      );
    }
    for (const v of variants) {
      const t0 = performance.now();
      const spec = VARIANTS[v];
      let pooled = poissonPooled;
      if (spec !== 'poisson') {
        pooled =
          spec.engine && eng ? fitWindows(eng.windows, spec.fit) : fitPooled(histories, { periods: Ps, ...spec.fit });
      }
      writePlan(join(dir, 'ours', `sparecast-${v}.csv`), tr, parts, fc, pooled);
      times[v] = (performance.now() - t0) / 1000;
      if (args.includes('--params') && spec !== 'poisson') console.log(v, JSON.stringify(pooled.groups));
      if (args.includes('--diag') && eng && spec !== 'poisson') diagnose(v, eng, pooled);
    }
    node(join(tools, 'peers.mjs'), ['--train', files.train, '--parts', partsFile, '--out', join(dir, 'peers')]);
    const js = node(join(tools, 'score.mjs'), [
      '--train',
      files.train,
      '--test',
      files.test,
      '--parts',
      partsFile,
      '--plan',
      join(dir, 'peers'),
      '--plan',
      join(dir, 'ours'),
      '--json',
    ]);
    const scores = js
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Score);
    const peers = scores.filter((s) => !s.plan.startsWith('sparecast') && s.plan !== 'zero');
    const bestPeer = peers.reduce((a, b) => (b.spl_mean < a.spl_mean ? b : a));
    const lowStock = Math.min(...peers.map((p) => p.stock95));
    console.log(
      `\n${set.name}${validate ? ' (IN-HISTORY HOLDOUT: last ' + maxP + ' training periods)' : ''}: ${scores[0].n_evaluated} series scored, P = L + 1, engine forecast ${engineSeconds.toFixed(2)} s (CLI wall ${wall.toFixed(2)} s)`,
    );
    console.log(
      `  ${'plan'.padEnd(24)} ${'SPL'.padStart(6)} ${TAUS.map((t) => `cov${t}`.padStart(8)).join('')} ${'stock95 rel'.padStart(12)} ${'bias %'.padStart(8)}`,
    );
    for (const s of scores) {
      console.log(
        `  ${s.plan.padEnd(24)} ${s.spl_mean.toFixed(3).padStart(6)} ${TAUS.map((t) => s.coverage[t].toFixed(3).padStart(8)).join('')} ${(s.stock95 / bestPeer.stock95).toFixed(3).padStart(12)} ${s.bias_pct.toFixed(1).padStart(8)}`,
      );
    }
    console.log(
      `  stock95 rel = stock value at 95 % / best peer's (${bestPeer.plan}); lowest peer stock95 rel ${(lowStock / bestPeer.stock95).toFixed(3)}`,
    );
    for (const v of variants)
      console.log(
        `  plan time ${v}: ${times[v].toFixed(2)} s = ${((100 * times[v]) / engineSeconds).toFixed(0)} % of the forecast's (goal ≤ 30 %)`,
      );
    const ours = scores.find((s) => s.plan === `sparecast-${variants[0]}`)!;
    const best = validate ? bestPeer.spl_mean : set.best;
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    console.log(
      `  ${verdict(ours.spl_mean <= 0.95 * best)} SPL ${ours.spl_mean.toFixed(3)} ≤ 0.95 × best peer ${best.toFixed(3)} = ${(0.95 * best).toFixed(3)}`,
    );
    console.log(
      `  ${verdict(ours.coverage['0.9'] >= 0.89)} coverage at 0.90: ${ours.coverage['0.9'].toFixed(3)} (≥ 0.890)`,
    );
    console.log(
      `  ${verdict(ours.coverage['0.95'] >= 0.94)} coverage at 0.95: ${ours.coverage['0.95'].toFixed(3)} (≥ 0.940)`,
    );
    console.log(
      `  ${verdict(ours.coverage['0.99'] >= 0.98)} coverage at 0.99: ${ours.coverage['0.99'].toFixed(3)} (≥ 0.980)`,
    );
    console.log(
      `  ${verdict(ours.stock95 <= bestPeer.stock95)} stock value at 95 %: ${(ours.stock95 / bestPeer.stock95).toFixed(3)} × the best peer's (≤ 1)`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
