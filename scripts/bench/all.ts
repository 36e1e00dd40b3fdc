/**
 * Runs every bench of issue 6, one process each (so no bench inherits another's heap or threads), then
 * prints one summary table and writes storage/bench/all.json and storage/bench/summary.md (the
 * README's Performance table).
 *
 *   npm run bench -- [--only stop,job,upload,upload-compiled,loop,clients] [--quick]
 *
 * --quick: fewer trials and a smaller upload, for a smoke run (the figures are not the README's).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, ROOT, formatValue, gitRevision, machine, verdict, type BenchResult } from './lib.js';

const BENCHES: { key: string; file: string; result: string; args?: string[]; quick: string[] }[] = [
  { key: 'stop', file: 'stop-latency.ts', result: 'stop-latency', quick: ['--trials', '5', '--clients', '20'] },
  { key: 'job', file: 'job.ts', result: 'job', quick: ['--trials', '2'] },
  { key: 'upload', file: 'upload.ts', result: 'upload', quick: ['--scale', '10', '--observe', '0'] },
  // The same upload against the compiled server, as `npm start` runs it.
  {
    key: 'upload-compiled',
    file: 'upload.ts',
    result: 'upload-compiled',
    args: ['--server', 'compiled'],
    quick: ['--scale', '10', '--observe', '0'],
  },
  { key: 'loop', file: 'event-loop.ts', result: 'event-loop', quick: ['--scale', '2', '--clients', '50'] },
  { key: 'clients', file: 'clients.ts', result: 'clients', quick: ['--clients', '200', '--trials', '5'] },
];

const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
const unknown = [...(only ?? [])].filter((k) => !BENCHES.some((b) => b.key === k));
if (unknown.length)
  throw new Error(`unknown bench(es): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.key).join(', ')}`);

const ran: { key: string; ok: boolean; seconds: number; result: BenchResult | null }[] = [];
for (const b of BENCHES) {
  if (only && !only.has(b.key)) continue;
  const args = [...(b.args ?? []), ...(values.quick ? b.quick : [])];
  console.log(`\n=== ${b.key}: scripts/bench/${b.file} ${args.join(' ')}`);
  const file = path.join(BENCH_DIR, `${b.result}.json`);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const t = performance.now();
  // Bounded: no bench may run longer than 15 minutes.
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench', b.file), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: 15 * 60_000,
    killSignal: 'SIGKILL',
  });
  const seconds = (performance.now() - t) / 1000;
  const after = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const ok = r.status === 0 && after !== null && after !== before;
  ran.push({ key: b.key, ok, seconds, result: ok ? (JSON.parse(after) as BenchResult) : null });
  if (!ok) console.error(`!!! ${b.key} failed (exit ${r.status ?? r.signal}${r.error ? `, ${r.error.message}` : ''})`);
}

// One table: every figure that has a goal, plus the headline extras.
const m = machine();
const rows: string[][] = [];
for (const r of ran) {
  if (!r.result) {
    rows.push([r.key, 'did not finish', '', 'MISS']);
    continue;
  }
  const label =
    r.result.title.split(' — ')[0] +
    (r.key === 'upload-compiled' ? ' (compiled server)' : r.key === 'upload' ? ' (tsx server)' : '');
  for (const f of r.result.figures) {
    if (f.goal === undefined && !f.headline) continue;
    const measure = f.measure.startsWith('  ') ? `  ↳ ${f.measure.trim()}` : f.measure;
    rows.push([
      `${label}: ${measure}`,
      formatValue(f.value, f.unit, f.goal),
      f.goal === undefined ? '' : `≤ ${formatValue(f.goal, f.unit)}`,
      verdict(f),
    ]);
  }
}
const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
console.log(
  `\nSummary — ${m.cores} cores (${m.cpu}), ${m.memory_gb} GB, Node ${m.node}, load ${m.load_avg.join(' / ')}, rev ${gitRevision()}${values.quick ? ', QUICK' : ''}`,
);
for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padStart(w[2])}  ${r[3]}`);

const md = [
  '| figure | measured | goal | |',
  '|---|---:|---:|---|',
  ...rows.map((r) => `| ${r[0].replace('  ↳', '&nbsp;&nbsp;↳')} | ${r[1]} | ${r[2]} | ${r[3]} |`),
  '',
  `Machine: ${m.cores} cores (${m.cpu}), ${m.memory_gb} GB RAM, Node ${m.node}, ${m.platform}; load average ${m.load_avg.join(' / ')} when the summary was written.`,
].join('\n');
writeFileSync(path.join(BENCH_DIR, 'summary.md'), `${md}\n`);
writeFileSync(
  path.join(BENCH_DIR, 'all.json'),
  `${JSON.stringify({ at: new Date().toISOString(), machine: m, revision: gitRevision(), quick: values.quick, runs: ran.map((r) => ({ key: r.key, ok: r.ok, seconds: r.seconds, figures: r.result?.figures ?? null })) }, null, 2)}\n`,
);
console.log(`\n→ storage/bench/all.json, storage/bench/summary.md`);
process.exitCode = ran.every((r) => r.ok) ? 0 : 1;
