/**
 * Tracking from the shell: a forecast and its plan held against actuals, as a job's tracking does
 * (forecast/tracking/). For scripts and benches.
 *   node --import tsx server/cli/track.ts --forecast F --actuals A [--plan P] [--history H] [--parts X]
 *     [--date-format auto|DMY|MDY|YMD] [--start-date YYYY-MM-DD] [--freq D|W|M] [--out T.csv] [--json]
 * --history is the demand file the forecast was made from: without it nothing can be scaled (no RMSSE,
 * MASE or baselines) and the origin is the period before the forecast's first. --parts gives unit costs
 * where the plan has none. --out writes one row per series (totals, error, tracking signal, the plan's
 * level, demand over P, exception codes, then forecast and actual per period). The summary goes to stdout
 * (JSON with --json). Exit 1 on bad input (with the reason), 2 on bad usage, 3 on an internal failure.
 */
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { TrackingRow, TrackingSummary } from '../contract/tracking.js';
import { jobConfigSchema } from '../contract/schemas.js';
import { csvTextLine, InputError, trackJob } from '../forecast/index.js';

const USAGE =
  'usage: track --forecast F --actuals A [--plan P] [--history H] [--parts X] [--date-format auto|DMY|MDY|YMD] ' +
  '[--start-date YYYY-MM-DD] [--freq D|W|M] [--out T.csv] [--json]';
const VALUES = ['forecast', 'actuals', 'plan', 'history', 'parts', 'date-format', 'start-date', 'freq', 'out'];

function usage(msg: string): never {
  process.stderr.write(`track: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { opt: Record<string, string>; json: boolean } {
  const opt: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (a === '--json') {
      json = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !VALUES.includes(m[1])) usage(`unknown option ${a}`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) usage(`--${m[1]} needs a value`);
    opt[m[1]] = v;
  }
  for (const k of ['forecast', 'actuals']) if (!opt[k]) usage(`--${k} is required`);
  return { opt, json };
}

const ROW_COLUMNS = [
  'partnumber',
  'site_code',
  'demand_class',
  'has_history',
  'forecast_total',
  'actual_total',
  'error',
  'rmsse',
  'tracking_signal',
  'protection_periods',
  'order_up_to',
  'actual_over_p',
  'unit_cost',
  'exceptions',
] as const;

const cell = (v: number | null) => (v === null ? '' : String(v));

function rowLine(r: TrackingRow): string {
  const text = csvTextLine([r.partnumber, r.site_code, r.demand_class]);
  const nums = [
    r.has_history ? '1' : '0',
    cell(r.forecast_total),
    cell(r.actual_total),
    cell(r.error),
    cell(r.rmsse),
    cell(r.tracking_signal),
    cell(r.protection_periods),
    cell(r.order_up_to),
    cell(r.actual_over_p),
    cell(r.unit_cost),
    r.exceptions.join('|'),
    ...r.forecast.map(String),
    ...r.actual.map(String),
  ];
  return `${text},${nums.join(',')}\n`;
}

async function writeRows(file: string, rows: TrackingRow[], labels: string[]): Promise<void> {
  const out = createWriteStream(file, { flags: 'w' });
  const header = [...ROW_COLUMNS, ...labels.map((l) => `forecast_${l}`), ...labels.map((l) => `actual_${l}`)];
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${header.join(',')}\n`);
  for (const r of rows) await write(rowLine(r));
  out.end();
  await finished(out);
}

function print(s: TrackingSummary): string {
  const f = (x: number | null, pct = false) => (x === null ? '-' : pct ? `${(x * 100).toFixed(1)} %` : String(x));
  const a = s.accuracy;
  const lines = [
    `periods ${s.periods.first} .. ${s.periods.last} (${s.periods.count} of the forecast's ${s.periods.forecast}), origin ${s.origin}, freq ${s.frequency}`,
    `series ${s.series.total}: ${s.series.scored} scored, ${s.series.in_actuals} in the actuals, ${s.series.excluded_no_history} without history, ${s.series.excluded_zero_scale} zero scale`,
    `accuracy  RMSSE ${f(a.rmsse)}  MASE ${f(a.mase)}  bias ${f(a.bias_pct)} %   naive ${f(a.naive.rmsse)} / ${f(a.naive.bias_pct)} %   SBA ${f(a.sba.rmsse)} / ${f(a.sba.bias_pct)} %`,
    `totals    forecast ${s.totals.forecast}  actual ${s.totals.actual}`,
    `service   ${s.service.evaluated} series: cycle service promised ${f(s.service.promised_cycle_service, true)}, achieved ${f(s.service.achieved_cycle_service, true)}; fill rate promised ${f(s.service.promised_fill_rate, true)}, achieved ${f(s.service.achieved_fill_rate, true)}`,
    `exceptions ${Object.entries(s.exceptions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const { opt, json } = parseArgs(process.argv.slice(2));
  const cfg = jobConfigSchema.safeParse({
    ...(opt['date-format'] ? { date_format: opt['date-format'] } : {}),
    ...(opt['start-date'] ? { forecast_start_date: opt['start-date'] } : {}),
    ...(opt.freq ? { frequency: opt.freq } : {}),
  });
  if (!cfg.success) usage(cfg.error.issues.map((i) => i.message).join('; '));
  const result = await trackJob({
    history: opt.history ? { uploadFile: opt.history, originalName: basename(opt.history), config: cfg.data } : null,
    outputFile: opt.forecast,
    planFile: opt.plan ?? null,
    actualsFile: opt.actuals,
    actualsName: basename(opt.actuals),
    parts: opt.parts ? { filePath: opt.parts, originalName: basename(opt.parts) } : null,
    rows: !!opt.out,
  });
  if (opt.out && result.rows) await writeRows(opt.out, result.rows, result.labels);
  process.stdout.write(json ? `${JSON.stringify(result.summary)}\n` : print(result.summary));
}

main().catch((err: unknown) => {
  if (err instanceof InputError) {
    process.stderr.write(`track: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`track: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(3);
});
