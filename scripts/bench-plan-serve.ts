/**
 * What serving a big inventory plan costs the server's event loop: reading the plan CSV once (the per-job
 * cache), one /inventory/rows page and one /summary over every row, and the XLSX download, on a synthetic
 * plan of N series (default 50,000: the 1M-row demand file has about that many). Prints figures and
 * PASS/MISS against the goals below (per request on the event loop; the read and the workbook happen once).
 * The XLSX twice, with the event loop's delay (p99, monitorEventLoopDelay, beyond its 5 ms timer) while it is
 * made: the old way (the workbook written on the main thread from the cached rows) and the server's (a worker
 * of the interactive pool writes it next to the plan, jobs/results/plan-workbooks.ts), then a cached second download.
 *   node --import tsx scripts/bench-plan-serve.ts [N]
 */
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inventoryRowsQuerySchema } from '../server/contract/inventory.js';
import { PLAN_HEADER } from '../server/forecast/index.js';
import { readPlan, writePlanXlsx } from '../server/forecast/index.js';
import { queryRows, summarize } from '../server/jobs/results/plan-query.js';
import { PlanWorkbooks } from '../server/jobs/results/plan-workbooks.js';
import { WorkerPool } from '../server/jobs/worker-pool.js';
import { storagePaths } from '../server/storage/paths.js';

const N = Number(process.argv[2] ?? 50_000);
const GOALS = { readMs: 2000, pageMs: 50, summaryMs: 50, xlsxMs: 15_000, heapMB: 150, loopP99Ms: 20 };
const LOOP_RESOLUTION_MS = 5;

/** Runs `f` while sampling the event loop; its delay p99 and max beyond the timer's own interval, in ms. */
async function loopDelay<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  h.enable();
  const t = performance.now();
  const value = await f();
  const ms = performance.now() - t;
  h.disable();
  const beyond = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return { value, ms, p99: beyond(h.percentile(99)), max: beyond(h.max) };
}
/** What the route does with the workbook once it has it: stream it out. */
const send = (file: string) =>
  new Promise<void>((resolve, reject) =>
    createReadStream(file)
      .on('data', () => undefined)
      .on('end', resolve)
      .on('error', reject),
  );
const dir = mkdtempSync(path.join(tmpdir(), 'sparecast-plan-bench-'));
try {
  const lines = [PLAN_HEADER];
  for (let i = 0; i < N; i++) {
    const q = [1, 2, 3, 4, 6].map((x) => x + (i % 7));
    const cost = i % 3 === 0 ? '' : String(1 + (i % 50));
    const value = cost ? String(q[3] * Number(cost)) : '';
    lines.push(
      [`P${i}`, `S${i % 13}`, ['smooth', 'intermittent', 'lumpy'][i % 3], 30, 1, 0.95, 2.5, ...q, q[3], q[3] - 2.5]
        .concat([cost, value, cost ? '1' : '', cost ? '0' : '', cost ? String(q[3] - 1) : ''])
        .join(','),
    );
  }
  const csv = path.join(dir, 'plan.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  const rows = await readPlan(csv);
  const readMs = performance.now() - t;
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  const q = inventoryRowsQuerySchema.parse({ q: 'P1', site_code: 'S3', sort: 'stock_value', page: 2 });
  t = performance.now();
  for (let i = 0; i < 10; i++) queryRows(rows, q);
  const pageMs = (performance.now() - t) / 10;
  const all = inventoryRowsQuerySchema.parse({ sort: 'partnumber', dir: 'asc' });
  t = performance.now();
  queryRows(rows, all);
  const sortAllMs = performance.now() - t;
  t = performance.now();
  summarize(rows, 0.95, true);
  const summaryMs = performance.now() - t;
  // the server's way: the plan CSV in outputs/, the workbook built by a pool worker and renamed next to it
  const paths = storagePaths(path.join(dir, 'storage'));
  mkdirSync(paths.outputs, { recursive: true });
  mkdirSync(paths.tmp, { recursive: true });
  writeFileSync(paths.output('job.plan.csv'), `${lines.join('\n')}\n`);
  const pool = new WorkerPool({ threads: 1, minThreads: 0 });
  const books = new PlanWorkbooks(pool, paths);
  const job = {
    id: 'job',
    upload_name: 'job.csv',
    parts: null,
    output_name: 'job.csv',
    plan_name: 'job.plan.csv',
    actuals: null,
    actuals_job: null,
  };
  let after, cached;
  try {
    await pool
      .run({ kind: 'series-index', request: null as never }, new AbortController().signal, () => undefined)
      .result.catch(() => undefined); // start the thread (and tsx in it) outside the measured download
    after = await loopDelay(async () => send(await books.file(job)));
    cached = await loopDelay(async () => send(await books.file(job)));
  } finally {
    await pool.destroy();
  }
  // after the server's way, so that its figures carry none of this one's garbage
  const xlsx = path.join(dir, 'plan.xlsx');
  const before = await loopDelay(async () => {
    await writePlanXlsx(xlsx, rows);
    await send(xlsx);
  });
  const mark = (v: number, goal: number) => `${v <= goal ? 'PASS' : 'MISS'} (goal ≤ ${goal})`;
  console.log(`plan of ${N} series, ${(statSync(csv).size / 1e6).toFixed(1)} MB CSV`);
  console.log(`  read once        ${readMs.toFixed(0)} ms  ${mark(readMs, GOALS.readMs)}`);
  console.log(`  cached rows      ${heapMB.toFixed(0)} MB heap  ${mark(heapMB, GOALS.heapMB)}`);
  console.log(`  filtered page    ${pageMs.toFixed(1)} ms  ${mark(pageMs, GOALS.pageMs)}`);
  console.log(`  whole-plan sort  ${sortAllMs.toFixed(1)} ms  ${mark(sortAllMs, GOALS.pageMs)}`);
  console.log(`  summary          ${summaryMs.toFixed(1)} ms  ${mark(summaryMs, GOALS.summaryMs)}`);
  const size = (f: string) => `${(statSync(f).size / 1e6).toFixed(1)} MB`;
  const loop = (r: { ms: number; p99: number; max: number }, file: string, judge = true) =>
    `${r.ms.toFixed(0)} ms, ${size(file)}; event-loop delay p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms` +
    (judge ? `  ${mark(r.p99, GOALS.loopP99Ms)}` : '');
  const book = paths.output('job.plan.xlsx');
  console.log(`  XLSX on the main thread (before)   ${loop(before, xlsx, false)}`);
  console.log(`  XLSX built in a worker (now)       ${loop(after, book)}  time ${mark(after.ms, GOALS.xlsxMs)}`);
  console.log(`  XLSX again, kept next to the plan  ${loop(cached, book)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
