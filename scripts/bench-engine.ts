/**
 * Speed benchmark: 10,000 daily series × 730 days (spare-part-like: mostly intermittent, some smooth, some
 * dying out), auto selection, all cores. Goal: ≤ 10 s end to end (read + validate + forecast). When Rscript
 * with the forecast package is installed, R's ets is timed on a sample of the same series and the per-series
 * CPU time compared with the engine's (CPU time: the machine is shared, wall times vary with its load).
 *   node --import tsx scripts/bench-engine.ts [--series N] [--days D] [--threads T] [--r-sample K (0: skip)]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobConfig } from '../server/contract/dto.js';
import { isoOfDay, loadDemand, type Prepared } from '../server/forecast/index.js';
import { JobRunner, type RunHooks } from '../server/jobs/job.runner.js';
import { WorkerPool } from '../server/jobs/worker-pool.js';
import { rng } from './generate-demand.js';

const args = process.argv.slice(2);
const opt = (k: string, d: number) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const SERIES = opt('series', 10_000),
  DAYS = opt('days', 730),
  THREADS = opt('threads', availableParallelism());
const R_SAMPLE = opt('r-sample', 100);
const GOAL = 10;

function hasR(): boolean {
  try {
    execFileSync('Rscript', ['-e', 'suppressMessages(library(forecast))'], { stdio: 'ignore' });
    return true;
  } catch {
    console.log(
      'R comparison skipped: Rscript with the forecast package is not installed (apt-get install -y r-cran-forecast).',
    );
    return false;
  }
}

/** Times R's forecast::ets (automatic model, one core) on an evenly spaced sample of the series. */
function compareR(prep: Prepared, oursPerSeries: number): void {
  const ctx = prep.context;
  const sites = prep.partitions.map((p) => p.data);
  const all: string[] = [];
  for (const d of sites)
    for (let i = 0; i < d.parts.length; i++) {
      const from = d.off[i],
        to = d.off[i + 1];
      if (to <= from) continue;
      const y = new Float64Array(ctx.trainEnd - d.per[from] + 1);
      for (let j = from; j < to; j++) y[d.per[j] - d.per[from]] += d.qty[j];
      all.push(Array.from(y).join(','));
    }
  const k = Math.min(R_SAMPLE, all.length);
  const sample = Array.from({ length: k }, (_, i) => all[Math.floor((i * all.length) / k)]);
  const f = join(dir, 'r-sample.txt');
  writeFileSync(f, sample.join('\n') + '\n');
  const script = `suppressMessages(library(forecast)); L <- readLines("${f}"); t <- system.time(for (l in L) { y <- as.numeric(strsplit(l, ",")[[1]]); fc <- forecast(ets(ts(y)), h = 28)$mean }); cat(t[["user.self"]] + t[["sys.self"]])`;
  let rSec: number;
  try {
    rSec = Number(
      execFileSync('Rscript', ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(),
    );
  } catch (e) {
    console.log(`R comparison failed: ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  const total = all.length;
  const rPer = rSec / k;
  console.log(
    `R forecast::ets on ${k} of the same series: ${rSec.toFixed(2)} s CPU = ${(rPer * 1000).toFixed(1)} ms/series; Sparecast auto (all members, backtests, learned combination): ${(oursPerSeries * 1000).toFixed(2)} ms/series CPU → R ets is ${(rPer / oursPerSeries).toFixed(0)}× slower per series (≈ ${((rPer * total) / 60).toFixed(1)} min for all ${total} series on one core)`,
  );
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
    const part = `P${String(s).padStart(6, '0')}`,
      site = `S${s % 4}`;
    let buf = '';
    for (let d = 0; d < death; d++) {
      const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * d) / 7);
      if (r() < p * weekly) {
        buf += `${1 + Math.floor(r() * size)},${dates[d]},${part},${site}\n`;
        rows++;
      }
    }
    if (!ws.write(buf)) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  const config: JobConfig = {
    forecast_horizon: 28,
    forecast_start_date: null,
    forecast_site_codes: [],
    date_format: 'auto',
    zero_threshold: 0.5,
    rounding_mode: 'half_up',
    frequency: null,
    method: 'auto',
  };
  // every thread of this process
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  // The server's scheduler: the file is read in a worker task, then the sites run as the planner splits them.
  const pool = new WorkerPool({ threads: THREADS });
  const runner = new JobRunner(pool, 0);
  const load0 = loadavg()[0];
  const c0 = cpu();
  const t0 = performance.now();
  let c1 = c0;
  let t1 = t0;
  const hooks: RunHooks = {
    progress: () => undefined,
    log: () => undefined,
    prepared: () => {
      c1 = cpu();
      t1 = performance.now();
    },
    heartbeat: () => undefined,
  };
  const tmpFile = join(dir, 'out.csv');
  const outcome = await runner
    .run(
      {
        id: 'bench',
        filePath: file,
        originalName: 'demand.csv',
        config,
        tmpFile,
        parts: null,
        planTmpFile: `${tmpFile}.plan`,
      },
      hooks,
    )
    .finally(() => pool.destroy());
  const c2 = cpu();
  const t2 = performance.now();
  if (outcome.kind !== 'completed') throw new Error(`bench job ended ${outcome.kind}: ${JSON.stringify(outcome)}`);
  const m = outcome.metrics;
  const read = (t1 - t0) / 1000;
  const fc = (t2 - t1) / 1000;
  const used = Math.min(THREADS, availableParallelism());
  const idle = c1 - c0 + (c2 - c1) / used;
  console.log(`${SERIES} daily series × ${DAYS} days (${rows} demand rows), horizon 28, auto, ${THREADS} threads`);
  console.log(
    `  (load average ${load0.toFixed(1)} on ${availableParallelism()} cores when the timing started: ` +
      'wall times include waiting for other processes)',
  );
  console.log(`  read + validate  ${read.toFixed(2)} s wall, ${(c1 - c0).toFixed(2)} s CPU`);
  console.log(
    `  forecast         ${fc.toFixed(2)} s wall, ${(c2 - c1).toFixed(2)} s CPU ` +
      `(all threads; ${outcome.outputRows} output rows; classes ${JSON.stringify(m.classes)})`,
  );
  console.log(
    `  total            ${(read + fc).toFixed(2)} s wall; on idle cores ≈ ${idle.toFixed(2)} s ` +
      `(read CPU + forecast CPU / ${used} threads)`,
  );
  console.log(
    `  holdout RMSSE chosen ${m.chosen.rmsse} / naive ${m.naive.rmsse} / sba ${m.sba.rmsse}; ` +
      `methods ${JSON.stringify(m.methods)}`,
  );
  console.log(
    `${read + fc <= GOAL ? 'PASS' : 'MISS'}: end to end ${(read + fc).toFixed(2)} s wall (goal ≤ ${GOAL} s; ` +
      `forecasting alone ${fc.toFixed(2)} s); CPU-based estimate on idle cores ${idle.toFixed(2)} s ` +
      `${idle <= GOAL ? 'PASS' : 'MISS'}`,
  );
  if (R_SAMPLE > 0 && hasR()) {
    // the series themselves, read once more on this thread (outside the timings)
    const prep = await loadDemand(file, 'demand.csv', config);
    compareR(prep, (c2 - c1) / m.series);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
