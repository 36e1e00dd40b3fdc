/**
 * Accuracy benchmark on the shared holdout sets (README of the shared data): every method and auto are run on
 * <name>-train.csv, their output scored against <name>-test.csv as shared/tools/score.mjs does, and the auto
 * output is also scored by score.mjs itself as a cross-check.
 *   node --import tsx scripts/bench-accuracy.ts [--only carparts] [--methods auto,sba] [--validate]
 * The peers (every single method) run without the job's hurdle (inventory/hurdle.ts), as a planner would get
 * them from another tool; 'auto-raw' is the automatic choice without it, the engine's own point forecast.
 * --validate: the last h periods of each training file become the test (an in-history holdout, as
 * bench:inventory --validate); the real test files are then not read at all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { JobConfig } from '../server/contract/dto.js';
import {
  dateShape,
  dayOf,
  engine,
  METHOD_NAMES,
  periodOfDay,
  readDemand,
  type EngineContext,
} from '../server/forecast/index.js';
import { holdout, scorerLib } from './in-history.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.SHARED_DATA ?? resolve(root, '../shared/data');
const scoreMjs = resolve(shared, '../tools/score.mjs');
const args = process.argv.slice(2);
const opt = (k: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SETS = [
  { name: 'carparts', h: 12 },
  { name: 'auto-sb', h: 6 },
].filter((s) => !opt('only') || s.name === opt('only'));
const methods = opt('methods')?.split(',') ?? ['auto', 'auto-raw', ...METHOD_NAMES];
const validate = args.includes('--validate');
if (!existsSync(join(shared, 'carparts-train.csv'))) {
  console.error(`Shared data not found in ${shared}: set SHARED_DATA to the folder with carparts-train.csv.`);
  process.exit(2);
}

const KEY = '\u0001';
/** Engine context overrides for experiments, e.g. BENCH_CTX='{"selection":"series"}'. */
const ctxOverride = JSON.parse(process.env.BENCH_CTX ?? '{}') as Partial<EngineContext>;
interface Row {
  method: string;
  rmsse: number;
  wrmsse: number;
  mase: number;
  bias: number;
  seconds: number;
  scored: number;
  zero: number;
  peek: number;
  peekBias: number;
  per: number[];
}

/** Scores an output CSV text like score.mjs: scale over each series' training calendar from its first demand. */
function score(
  train: { y: Map<string, { per: Int32Array; qty: Float64Array }>; end: number },
  test: Map<string, Float64Array>,
  out: string,
  h: number,
  ctx: EngineContext,
): Omit<Row, 'method' | 'seconds'> {
  const fc = new Map<string, Float64Array>();
  const rows = parse(out, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  for (const r of rows) {
    const t = periodOfDay(ctx, dayOf(dateShape(r.date), 'YMD')) - train.end - 1;
    if (t < 0 || t >= h) continue;
    const k = r.partnumber + KEY + r.site_code;
    let a = fc.get(k);
    if (!a) fc.set(k, (a = new Float64Array(h)));
    a[t] = Number(r.forecast_qty_raw_model);
  }
  const keys = new Set([...train.y.keys(), ...test.keys()]);
  let n = 0,
    sr = 0,
    sm = 0,
    sz = 0,
    sf = 0,
    sa = 0,
    sw = 0,
    swr = 0,
    sp = 0,
    spf = 0;
  const per: number[] = [];
  for (const k of keys) {
    const s = train.y.get(k);
    if (!s || s.per.length === 0) continue;
    const s0 = s.per[0],
      L = train.end - s0 + 1;
    const y = new Float64Array(L);
    for (let j = 0; j < s.per.length; j++) y[s.per[j] - s0] += s.qty[j];
    let s1 = 0,
      s2 = 0;
    for (let t = 1; t < L; t++) {
      const d = y[t] - y[t - 1];
      s1 += Math.abs(d);
      s2 += d * d;
    }
    if (L < 2 || s2 === 0) continue;
    s1 /= L - 1;
    s2 /= L - 1;
    const act = test.get(k) ?? new Float64Array(h),
      f = fc.get(k) ?? new Float64Array(h);
    let ae = 0,
      se = 0,
      se0 = 0,
      w = 0;
    for (let t = 0; t < h; t++) {
      const e = act[t] - f[t];
      ae += Math.abs(e);
      se += e * e;
      se0 += act[t] ** 2;
      sf += f[t];
      sa += act[t];
    }
    for (let t = Math.max(0, L - h); t < L; t++) w += y[t];
    // reference that knows the future: the mean over the last 2h training periods and the h test periods
    let ps = 0;
    for (let t = Math.max(0, L - 2 * h); t < L; t++) ps += y[t];
    for (let t = 0; t < h; t++) ps += act[t];
    const fp = ps / (Math.min(2 * h, L) + h);
    let sep = 0;
    for (let t = 0; t < h; t++) sep += (act[t] - fp) ** 2;
    sp += Math.sqrt(sep / h / s2);
    spf += h * fp;
    n++;
    const r = Math.sqrt(se / h / s2);
    per.push(r);
    sr += r;
    sm += ae / h / s1;
    sz += Math.sqrt(se0 / h / s2);
    sw += w;
    swr += w * r;
  }
  return {
    rmsse: sr / n,
    wrmsse: swr / sw,
    mase: sm / n,
    bias: (100 * (sf - sa)) / sa,
    scored: n,
    zero: sz / n,
    peek: sp / n,
    peekBias: (100 * (spf - sa)) / sa,
    per,
  };
}

const tmp = mkdtempSync(join(tmpdir(), 'bench-acc-'));
try {
  for (const set of SETS) {
    let trainFile = join(shared, `${set.name}-train.csv`),
      testFile = join(shared, `${set.name}-test.csv`);
    if (validate) {
      const dir = join(tmp, set.name);
      mkdirSync(dir, { recursive: true });
      ({ train: trainFile, test: testFile } = holdout(await scorerLib(shared), trainFile, set.h, dir));
    }
    const base: JobConfig = {
      forecast_horizon: set.h,
      forecast_start_date: null,
      forecast_site_codes: [],
      date_format: 'auto',
      zero_threshold: 0,
      rounding_mode: 'half_up',
      frequency: null,
      method: 'auto',
    };
    const prep0 = await engine.loadDemand(trainFile, trainFile, base);
    const ctx = prep0.context;
    const train = { y: new Map<string, { per: Int32Array; qty: Float64Array }>(), end: ctx.trainEnd };
    for (const p of prep0.partitions) {
      const d = p.data;
      d.parts.forEach((part, i) =>
        train.y.set(part + KEY + d.site, {
          per: d.per.subarray(d.off[i], d.off[i + 1]),
          qty: d.qty.subarray(d.off[i], d.off[i + 1]),
        }),
      );
    }
    const rawTest = await readDemand(testFile, testFile, 'YMD');
    const test = new Map<string, Float64Array>();
    for (let i = 0; i < rawTest.part.length; i++) {
      const t = periodOfDay(ctx, rawTest.day[i]) - ctx.trainEnd - 1;
      if (t < 0 || t >= set.h) continue;
      const k = rawTest.parts[rawTest.part[i]] + KEY + rawTest.sites[rawTest.site[i]];
      let a = test.get(k);
      if (!a) test.set(k, (a = new Float64Array(set.h)));
      a[t] += rawTest.qty[i];
    }
    const table: Row[] = [];
    let autoFile = '',
      autoMetrics: unknown = null;
    for (const method of methods) {
      const cfg = { ...base, method: method === 'auto-raw' ? 'auto' : method };
      const t0 = performance.now();
      const prep = await engine.loadDemand(trainFile, trainFile, cfg);
      Object.assign(prep.context, ctxOverride);
      // the peers and the engine's own point forecast: without the job's hurdle
      if (method !== 'auto') delete prep.context.hurdle;
      const res = prep.partitions.map((p) =>
        engine.forecastPartition(p, prep.context, cfg, { progress() {}, shouldStop: () => false }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const out = `${engine.OUTPUT_HEADER}\n${res.map((r) => r.csv).join('')}`;
      table.push({ method, seconds, ...score(train, test, out, set.h, ctx) });
      if (method === 'auto') {
        autoFile = join(tmp, `${set.name}-auto.csv`);
        writeFileSync(autoFile, out);
        autoMetrics = engine.combineMetrics(res, prep.context, cfg, seconds);
      }
    }
    const z = table[0]?.zero ?? NaN;
    const note = validate ? ` (IN-HISTORY HOLDOUT: last ${set.h} training periods)` : '';
    console.log(
      `\n${set.name}${note} (h ${set.h}): ${table[0]?.scored} series scored; all-zero forecast RMSSE ${z.toFixed(3)}`,
    );
    console.log(
      `  ${'method'.padEnd(9)} ${'RMSSE'.padStart(7)} ${'wRMSSE'.padStart(7)} ${'MASE'.padStart(7)} ${'bias %'.padStart(8)} ${'seconds'.padStart(8)}`,
    );
    for (const r of table)
      console.log(
        `  ${r.method.padEnd(9)} ${r.rmsse.toFixed(3).padStart(7)} ${r.wrmsse.toFixed(3).padStart(7)} ${r.mase.toFixed(3).padStart(7)} ${r.bias.toFixed(1).padStart(8)} ${r.seconds.toFixed(2).padStart(8)}`,
      );
    const singles = table.filter((r) => !r.method.startsWith('auto'));
    if (singles.length > 1) {
      let best = 0;
      for (let i = 0; i < singles[0].per.length; i++) best += Math.min(...singles.map((r) => r.per[i]));
      console.log(
        `  hindsight ceiling: the best of these ${singles.length} methods for each series, chosen with the actuals: RMSSE ${(best / singles[0].per.length).toFixed(3)} (no selection can reach it)`,
      );
    }
    if (table[0])
      console.log(
        `  reference that knows the test: each series' mean over its last ${2 * set.h} training periods and the ${set.h} test periods: RMSSE ${table[0].peek.toFixed(3)}, bias ${table[0].peekBias.toFixed(1)} %`,
      );
    const goal = set.name === 'carparts' ? 0.532 : 0.778;
    const a = table.find((r) => r.method === 'auto');
    if (a) {
      const met = a.rmsse <= goal && Math.abs(a.bias) <= 15;
      console.log(
        `  goal: auto RMSSE ≤ ${goal} with |bias| ≤ 15 % → ${met ? 'MET' : `NOT MET (RMSSE ${a.rmsse.toFixed(3)}, ${(100 * (a.rmsse / goal - 1)).toFixed(1)} % above)`}`,
      );
      const peers = singles.filter((r) => r.method !== 'zero');
      if (peers.length > 0) {
        const best = peers.reduce((x, y) => (y.rmsse < x.rmsse ? y : x));
        console.log(
          `  ${a.rmsse < best.rmsse ? 'PASS' : 'MISS'} floor (issue 20): auto RMSSE ${a.rmsse.toFixed(3)} < every ` +
            `non-zero peer's (best ${best.method} ${best.rmsse.toFixed(3)}, without the hurdle)`,
        );
      }
      if (autoMetrics) {
        const m = autoMetrics as { chosen: unknown; naive: unknown; sba: unknown };
        console.log(
          `  engine's own holdout metrics (last ${set.h} of the training file): chosen ${JSON.stringify(m.chosen)}`,
        );
      }
      if (existsSync(scoreMjs) && autoFile) {
        const js = JSON.parse(
          execFileSync('node', [scoreMjs, '--train', trainFile, '--test', testFile, '--forecast', autoFile, '--json'], {
            encoding: 'utf8',
          }).trim(),
        );
        console.log(
          `  score.mjs on auto: RMSSE ${js.rmsse} wRMSSE ${js.wrmsse} MASE ${js.mase} bias ${js.bias_pct} % (this script: ${a.rmsse.toFixed(4)} / ${a.wrmsse.toFixed(4)} / ${a.mase.toFixed(4)} / ${a.bias.toFixed(2)} %)`,
        );
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
