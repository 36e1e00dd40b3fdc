/**
 * Command-line forecast: same engine as the server, all cores.
 *   node --import tsx server/cli/forecast.ts --input F --output O [--horizon N] [--freq D|W|M]
 *     [--start-date YYYY-MM-DD] [--sites A,B] [--date-format auto|DMY|MDY|YMD] [--method auto|NAME]
 *     [--zero-threshold X] [--rounding half_up|half_even|ceil|floor] [--threads N]
 * Progress on stderr, summary on stdout; exit 1 on bad input (with the planner-readable reason), 2 on bad usage.
 */
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { jobConfigSchema } from '../contract/schemas.js';
import { combineMetrics, InputError, loadDemand, METHOD_NAMES, OUTPUT_HEADER } from '../forecast/index.js';
import { runPartitions } from '../forecast/pool.js';
import { OrderedOutput } from '../jobs/output-writer.js';

const USAGE = 'usage: forecast --input FILE --output FILE [--horizon N] [--freq D|W|M] [--start-date YYYY-MM-DD] [--sites A,B] [--date-format auto|DMY|MDY|YMD] [--method auto|' + METHOD_NAMES.join('|') + '] [--zero-threshold X] [--rounding half_up|half_even|ceil|floor] [--threads N]';
const FLAGS: Record<string, string> = {
  input: 'input', output: 'output', horizon: 'forecast_horizon', freq: 'frequency', 'start-date': 'forecast_start_date',
  sites: 'forecast_site_codes', 'date-format': 'date_format', method: 'method', 'zero-threshold': 'zero_threshold', rounding: 'rounding_mode', threads: 'threads',
};

function usage(msg: string): never {
  process.stderr.write(`forecast: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in FLAGS)) usage(`unknown option ${a}`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) usage(`--${m[1]} needs a value`);
    out[FLAGS[m[1]]] = v;
  }
  return out;
}

function bar(fraction: number, stage: string): void {
  if (!process.stderr.isTTY) return;
  const w = 30, f = Math.max(0, Math.min(1, fraction));
  process.stderr.write(`\r[${'#'.repeat(Math.round(f * w)).padEnd(w, '.')}] ${(f * 100).toFixed(0).padStart(3)}% ${stage.padEnd(12)}`);
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (!a.input) usage('--input is required');
  if (!a.output) usage('--output is required');
  const { input, output, threads, ...raw } = a;
  const parsed = jobConfigSchema.safeParse(raw);
  if (!parsed.success) usage(parsed.error.issues.map((i) => i.message).join('; '));
  const config = parsed.data;
  const t0 = performance.now();
  const prep = await loadDemand(input, basename(input), config, (f) => bar(f, 'reading'));
  // chunks are written as soon as every chunk before them is, to a temp file renamed only on success
  const tmp = join(dirname(output), `.${basename(output)}.${process.pid}.tmp`);
  const out = new OrderedOutput(tmp, OUTPUT_HEADER);
  let results;
  try {
    results = await runPartitions(prep.partitions, prep.context, config, {
      threads: threads ? Math.max(1, Number(threads)) : undefined,
      onProgress: (f, stage) => bar(f, stage),
      onChunk: (k, r) => out.push(k, r),
    });
    await out.finish();
    await rename(tmp, output);
  } catch (e) {
    await out.abandon();
    await rm(tmp, { force: true });
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const m = combineMetrics(results, prep.context, config, seconds);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const rows = results.reduce((s, r) => s + r.rows, 0);
  const fmt = (e: { rmsse: number | null; mase: number | null; mae: number | null; rmse: number | null; bias_pct: number | null }) =>
    `RMSSE ${e.rmsse ?? '–'}  MASE ${e.mase ?? '–'}  MAE ${e.mae ?? '–'}  RMSE ${e.rmse ?? '–'}  bias ${e.bias_pct ?? '–'} %`;
  const lines = [
    `wrote ${output}: ${rows} rows, ${m.series} series, ${prep.partitions.length} site(s), frequency ${m.frequency}, horizon ${m.horizon}`,
    `input rows ${prep.rows}; classes ${JSON.stringify(m.classes)}`,
    `methods ${JSON.stringify(m.methods)}`,
    `holdout (last ${m.horizon} periods, ${m.scored_series} series scored):`,
    `  chosen  ${fmt(m.chosen)}`,
    `  naive   ${fmt(m.naive)}`,
    `  sba     ${fmt(m.sba)}`,
    ...prep.notes.map((n) => `note: ${n}`),
    ...m.warnings.map((w) => `warning: ${w}`),
    `seconds ${seconds.toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (e instanceof InputError) {
    process.stderr.write(`forecast: ${e.code}: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`forecast: internal error: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(3);
});
