/**
 * Speed benchmark: 10,000 daily series × 730 days (spare-part-like: mostly intermittent, some smooth, some
 * dying out), auto selection, all cores. Goal: ≤ 10 s for forecasting (reading the file is timed apart).
 *   node --import tsx scripts/bench-engine.ts [--series N] [--days D] [--threads T]
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobConfig } from '../server/contract/dto.js';
import { combineMetrics, loadDemand } from '../server/forecast/index.js';
import { runPartitions } from '../server/forecast/pool.js';
import { isoOfDay } from '../server/forecast/parse/dates.js';

const args = process.argv.slice(2);
const opt = (k: string, d: number) => { const i = args.indexOf(`--${k}`); return i >= 0 ? Number(args[i + 1]) : d; };
const SERIES = opt('series', 10_000), DAYS = opt('days', 730), THREADS = opt('threads', availableParallelism());
const GOAL = 10;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
try {
  const file = join(dir, 'demand.csv');
  const r = rng(42);
  const ws = createWriteStream(file);
  ws.write('demand_qty,date,partnumber,site_code\n');
  const day0 = Date.UTC(2023, 0, 1) / 86400000;
  const dates = Array.from({ length: DAYS }, (_, d) => isoOfDay(day0 + d));
  let rows = 0;
  for (let s = 0; s < SERIES; s++) {
    const kind = r();
    const p = kind < 0.15 ? 0.6 + 0.4 * r() : 0.005 + 0.15 * r(); // smooth vs intermittent occurrence
    const size = 1 + Math.floor(r() * 8);
    const death = r() < 0.1 ? Math.floor(DAYS * (0.5 + 0.5 * r())) : DAYS; // 10 % become obsolete
    const part = `P${String(s).padStart(6, '0')}`, site = `S${s % 4}`;
    let buf = '';
    for (let d = 0; d < death; d++) {
      const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * d) / 7);
      if (r() < p * weekly) { buf += `${1 + Math.floor(r() * size)},${dates[d]},${part},${site}\n`; rows++; }
    }
    if (!ws.write(buf)) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  const config: JobConfig = { forecast_horizon: 28, forecast_start_date: null, forecast_site_codes: [], date_format: 'auto', zero_threshold: 0.5, rounding_mode: 'half_up', frequency: null, method: 'auto' };
  const t0 = performance.now();
  const prep = await loadDemand(file, 'demand.csv', config);
  const t1 = performance.now();
  const results = await runPartitions(prep.partitions, prep.context, config, { threads: THREADS });
  const t2 = performance.now();
  const m = combineMetrics(results, prep.context, config, (t2 - t0) / 1000);
  const read = (t1 - t0) / 1000, fc = (t2 - t1) / 1000;
  console.log(`${SERIES} daily series × ${DAYS} days (${rows} demand rows), horizon 28, auto, ${THREADS} threads`);
  console.log(`  read + validate  ${read.toFixed(2)} s`);
  console.log(`  forecast         ${fc.toFixed(2)} s  (${results.reduce((s, x) => s + x.rows, 0)} output rows; classes ${JSON.stringify(m.classes)})`);
  console.log(`  total            ${(read + fc).toFixed(2)} s`);
  console.log(`  holdout RMSSE chosen ${m.chosen.rmsse} / naive ${m.naive.rmsse} / sba ${m.sba.rmsse}; methods ${JSON.stringify(m.methods)}`);
  console.log(`${fc <= GOAL ? 'PASS' : 'MISS'}: forecasting ${fc.toFixed(2)} s (goal ≤ ${GOAL} s); end to end ${(read + fc).toFixed(2)} s ${read + fc <= GOAL ? 'PASS' : 'MISS'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
