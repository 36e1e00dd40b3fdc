/**
 * The allocation alone (inventory/allocate.ts) on a synthetic job of the big job's size (142,485 series by
 * default, 1M-row shape: mostly slow movers, a few fast ones; seeded unit costs 1 … ~500, skewed), in a worker
 * thread as the job's re-plan runs it: every series' honest tail (TailSet.add), then a budget allocation
 * (70 % of the service-level plan's value) with its frontier, a fill-rate allocation (95 %) and the
 * service-level plan's frontier. Prints each step's time (median of --trials) and PASS/MISS against the
 * issue's 5 s for tails + allocation + frontier.
 *
 *   node --import tsx scripts/bench/allocate.ts [--series 142485] [--trials 3]
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allocate, TailSet } from '../../server/forecast/inventory/allocate.js';
import { mixtureWithMean, quantiles } from '../../server/forecast/inventory/dist.js';

const GOAL_MS = 5000;
const SELF = pathToFileURL(fileURLToPath(import.meta.url)).href;

interface Figures {
  tails: number;
  budget: number;
  fill: number;
  service: number;
  points: number;
  units: number;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(series: number): Figures {
  const r = rng(42);
  const t0 = performance.now();
  const set = new TailSet();
  for (let i = 0; i < series; i++) {
    const fast = r() < 0.1;
    const mean = fast ? 5 + 60 * r() * r() : 0.05 + 3 * r() * r();
    const d = mixtureWithMean(mean, 0.1 + 1.5 * r(), fast ? 0 : 0.5 * r());
    const base = quantiles(d, [0.95])[0];
    set.add(d, null, 1 + 500 * r() ** 3, base, null, `S${i % 13}`);
  }
  const t1 = performance.now();
  const sl = allocate(set, { mode: 'service_level' });
  const t2 = performance.now();
  const b = allocate(set, { mode: 'budget', stockBudget: 0.7 * sl.stockValue });
  const t3 = performance.now();
  allocate(set, { mode: 'fill_rate', targetFillRate: 0.95 });
  const t4 = performance.now();
  let units = 0;
  for (let i = 0; i < set.size; i++) units += set.len[i];
  return { tails: t1 - t0, service: t2 - t1, budget: t3 - t2, fill: t4 - t3, points: b.frontier.length, units };
}

if (!isMainThread) {
  parentPort!.postMessage(run(workerData.series as number));
} else {
  const { values } = parseArgs({ options: { series: { type: 'string' }, trials: { type: 'string' } } });
  const series = Number(values.series ?? 142485);
  const trials = Number(values.trials ?? 3);
  const all: Figures[] = [];
  for (let t = 0; t < trials; t++) {
    const f = await new Promise<Figures>((resolve, reject) => {
      // Node 20 does not apply `--import tsx` to a worker: register it inside the thread
      const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(SELF)}); })`;
      const w = new Worker(boot, { eval: true, workerData: { series } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    all.push(f);
  }
  const med = (k: keyof Figures) => {
    const v = all.map((f) => f[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
  console.log(`${series} series, ${med('units')} tail units, ${trials} trials in a worker (median; min-max)`);
  for (const k of ['tails', 'service', 'budget', 'fill'] as const) {
    const v = all.map((f) => f[k]);
    console.log(`  ${k.padEnd(8)} ${ms(med(k))} (${ms(Math.min(...v))} - ${ms(Math.max(...v))})`);
  }
  console.log(`  frontier points: ${med('points')}`);
  const total = med('tails') + med('budget');
  console.log(
    `tails + budget allocation with its frontier: ${ms(total)} (goal ≤ ${ms(GOAL_MS)}) ${total <= GOAL_MS ? 'PASS' : 'MISS'}`,
  );
}
