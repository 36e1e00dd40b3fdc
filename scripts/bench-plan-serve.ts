/**
 * What serving a big inventory plan costs the server's event loop: reading the plan CSV once (the per-job
 * cache), one /inventory/rows page and one /summary over every row, and the XLSX download, on a synthetic
 * plan of N series (default 50,000: the 1M-row demand file has about that many). Prints figures and
 * PASS/MISS against the goals below (per request on the event loop; the read and the workbook happen once).
 *   node --import tsx scripts/bench-plan-serve.ts [N]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inventoryRowsQuerySchema } from '../server/contract/inventory.js';
import { PLAN_HEADER } from '../server/forecast/index.js';
import { writePlanXlsx } from '../server/http/plan-xlsx.js';
import { readPlan } from '../server/jobs/job-inventory.js';
import { queryRows, summarize } from '../server/jobs/plan-query.js';

const N = Number(process.argv[2] ?? 50_000);
const GOALS = { readMs: 2000, pageMs: 50, summaryMs: 50, xlsxMs: 15_000, heapMB: 150 };
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
  const xlsx = path.join(dir, 'plan.xlsx');
  t = performance.now();
  await writePlanXlsx(xlsx, rows);
  const xlsxMs = performance.now() - t;
  const mark = (v: number, goal: number) => `${v <= goal ? 'PASS' : 'MISS'} (goal ≤ ${goal})`;
  console.log(`plan of ${N} series, ${(statSync(csv).size / 1e6).toFixed(1)} MB CSV`);
  console.log(`  read once        ${readMs.toFixed(0)} ms  ${mark(readMs, GOALS.readMs)}`);
  console.log(`  cached rows      ${heapMB.toFixed(0)} MB heap  ${mark(heapMB, GOALS.heapMB)}`);
  console.log(`  filtered page    ${pageMs.toFixed(1)} ms  ${mark(pageMs, GOALS.pageMs)}`);
  console.log(`  whole-plan sort  ${sortAllMs.toFixed(1)} ms  ${mark(sortAllMs, GOALS.pageMs)}`);
  console.log(`  summary          ${summaryMs.toFixed(1)} ms  ${mark(summaryMs, GOALS.summaryMs)}`);
  console.log(
    `  XLSX download    ${xlsxMs.toFixed(0)} ms, ${(statSync(xlsx).size / 1e6).toFixed(1)} MB  ${mark(xlsxMs, GOALS.xlsxMs)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
