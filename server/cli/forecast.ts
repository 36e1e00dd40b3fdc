/**
 * Command-line forecast on the server's own scheduler (WorkerPool + JobRunner), so the CLI, the benches and
 * a job give the same output for the same file and config.
 *   node --import tsx server/cli/forecast.ts --input F --output O [--horizon N] [--freq D|W|M]
 *     [--start-date YYYY-MM-DD] [--sites A,B] [--date-format auto|DMY|MDY|YMD] [--method auto|NAME]
 *     [--zero-threshold X] [--rounding cumulative|half_up|half_even|ceil|floor] [--threads N]
 *     [--inventory PLAN [--parts PARTS] [--service-level 0.95] [--lead-time-days N] [--review-periods N]
 *       [--stock-budget MONEY | --target-fill-rate F] [--stock-budget-by-site JSON|FILE] [--min-service-level F]
 *       [--plan-mode MODE] [--transfers FILE]]
 * --stock-budget spends a budget where it buys the most expected fill rate (plan_mode budget);
 * --stock-budget-by-site gives each site its own budget (plan_mode budget): a JSON object of site code to
 * money ('{"S1":50000,"S2":20000}'), inline or in a file; sites it does not name share --stock-budget (without
 * one they keep the service-level plan), and a site the file does not have is a notice;
 * --target-fill-rate plans the least stock value that reaches it (plan_mode fill_rate); both need --parts
 * with unit costs.
 * --transfers writes the plan's transfers between sites (partnumber,from_site,to_site,qty,value; a header only
 * when no stock moves): where a part's stock on hand is known at two or more sites, a site's excess above its
 * order-up-to level goes to the short sites first, and their suggested orders are reduced by it.
 * --inventory writes the inventory plan (one row per part and site) through its own temp file; the runner
 * writes a plan for every run, so without --inventory its temp file is simply removed. --plan off skips the
 * plan altogether (no fit in the read phase, no plan rows): the forecast alone, as the benches time it.
 * Progress on stderr, summary on stdout. Exit 1 on bad input (with the planner-readable reason), 2 on bad
 * usage, 3 on an internal failure, 130 on Ctrl-C (threads stopped, temp output removed).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ErrorSummary, InventoryMetrics, PlanAllocationMetrics } from '../contract/dto.js';
import { jobConfigSchema } from '../contract/schemas.js';
import { METHOD_NAMES, TRANSFER_HEADER } from '../forecast/index.js';
import { planInputsOf, planTransfersOf } from '../storage/job-files.js';
import { JobRunner, type RunHooks } from '../jobs/job.runner.js';
import { WorkerPool } from '../jobs/worker-pool.js';

const USAGE =
  'usage: forecast --input FILE --output FILE [--horizon N] [--freq D|W|M] [--start-date YYYY-MM-DD] ' +
  '[--sites A,B] [--date-format auto|DMY|MDY|YMD] [--method auto|' +
  METHOD_NAMES.join('|') +
  '] [--zero-threshold X] [--rounding cumulative|half_up|half_even|ceil|floor] [--threads N] ' +
  '[--inventory FILE [--parts FILE] [--service-level 0.95] [--lead-time-days N] [--review-periods N] ' +
  '[--stock-budget MONEY | --target-fill-rate F] [--stock-budget-by-site JSON|FILE] [--min-service-level F] ' +
  '[--plan-mode service_level|budget|fill_rate] [--transfers FILE]] ' +
  '[--plan on|off]';
const FLAGS: Record<string, string> = {
  input: 'input',
  output: 'output',
  horizon: 'forecast_horizon',
  freq: 'frequency',
  'start-date': 'forecast_start_date',
  sites: 'forecast_site_codes',
  'date-format': 'date_format',
  method: 'method',
  'zero-threshold': 'zero_threshold',
  rounding: 'rounding_mode',
  threads: 'threads',
  inventory: 'inventory',
  parts: 'parts',
  'service-level': 'service_level',
  'lead-time-days': 'lead_time_days',
  'review-periods': 'review_periods',
  'stock-budget': 'stock_budget',
  'stock-budget-by-site': 'stock_budget_by_site',
  'target-fill-rate': 'target_fill_rate',
  'min-service-level': 'min_service_level',
  'plan-mode': 'plan_mode',
  transfers: 'transfers_file',
  plan: 'plan',
};
/** Same grace as the server's default STOP_GRACE_MS: a task gets this long to stop by itself. */
const STOP_GRACE_MS = 300;
const EXIT_INTERRUPTED = 130;

function usage(msg: string): never {
  process.stderr.write(`forecast: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

/** --stock-budget-by-site: a JSON object inline (starting with '{'), else the file holding one. */
function budgetMap(v: string): unknown {
  let text = v.trim();
  if (!text.startsWith('{')) {
    try {
      text = readFileSync(v, 'utf8');
    } catch (e) {
      usage(`--stock-budget-by-site: cannot read ${v} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    usage('--stock-budget-by-site must be a JSON object of site code to money, e.g. {"S1":50000}, or a file with one');
  }
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in FLAGS)) usage(`unknown option ${a}`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) usage(`--${m[1]} needs a value`);
    out[FLAGS[m[1]]] = v;
  }
  return out;
}

function bar(percent: number, stage: string): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const f = Math.max(0, Math.min(1, percent / 100));
  const filled = '#'.repeat(Math.round(f * width)).padEnd(width, '.');
  process.stderr.write(`\r[${filled}] ${(f * 100).toFixed(0).padStart(3)}% ${stage.padEnd(12)}`);
}

const fmt = (e: ErrorSummary) =>
  `RMSSE ${e.rmsse ?? '–'}  MASE ${e.mase ?? '–'}  MAE ${e.mae ?? '–'}  RMSE ${e.rmse ?? '–'}  ` +
  `bias ${e.bias_pct ?? '–'} %`;

function planSummary(file: string, inv: InventoryMetrics): string {
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  const levels = Object.entries(inv.backtest_coverage_by_level).map(([t, c]) => `${t}: ${c}`);
  const cov =
    inv.backtest_coverage === null
      ? 'no holdout windows'
      : `${pct(inv.backtest_coverage)}, by level ${levels.join(' ')}, SPL ${inv.backtest_spl ?? '–'}`;
  return (
    `inventory ${file}: ${inv.series} rows, service level ${pct(inv.service_level)}, ` +
    `stock value ${inv.stock_value} (${inv.costed_series} series with a unit cost), ` +
    `${inv.parts_to_order} parts to order (${inv.units_to_order} units); ` +
    (inv.expected_fill_rate === undefined ? '' : `expected fill rate ${pct(inv.expected_fill_rate)}; `) +
    (inv.allocation ? allocationSummary(inv.allocation) : '') +
    `holdout coverage ${cov} (${inv.backtest_windows} windows at the last backtest origin, ` +
    `fitted on ${inv.backtest_fit_windows} earlier ones)`
  );
}

function allocationSummary(a: PlanAllocationMetrics): string {
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  const mode =
    a.plan_mode === 'budget'
      ? `budget ${a.stock_budget_by_site ? `by site ${JSON.stringify(a.stock_budget_by_site)}${a.stock_budget ? `, the other sites ${a.stock_budget}` : ''}` : a.stock_budget}` +
        (a.below_floors ? ' (below the floors: floors kept)' : '') +
        (a.unknown_budget_sites?.length ? ` (not in the plan: ${a.unknown_budget_sites.join(', ')})` : '')
      : a.plan_mode === 'fill_rate'
        ? `fill-rate target ${a.target_fill_rate}${a.target_unreachable ? ' (out of reach)' : ''}`
        : 'service level';
  const u95 = a.uniform.find((u) => u.service_level === 0.95);
  return (
    `plan mode ${mode}` +
    (a.costless_series ? `, ${a.costless_series} series without a unit cost at their service level` : '') +
    (a.plan_point
      ? `; costed series: value ${a.plan_point.stock_value}, fill ${pct(a.plan_point.expected_fill_rate)}`
      : '') +
    (u95 ? ` (uniform 95 %: value ${u95.stock_value}, fill ${pct(u95.expected_fill_rate)})` : '') +
    `; `
  );
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  if (!a.input) usage('--input is required');
  if (!a.output) usage('--output is required');
  const {
    input,
    output,
    threads,
    inventory,
    parts,
    plan = 'on',
    stock_budget_by_site: bySite,
    transfers_file: transfers,
    ...raw
  } = a;
  if (parts && !inventory) usage('--parts needs --inventory FILE (where to write the plan)');
  if (transfers && !parts) usage('--transfers needs --parts FILE with stock on hand (and --inventory FILE)');
  if (plan !== 'on' && plan !== 'off') usage('--plan must be on or off');
  if (plan === 'off' && inventory) usage('--plan off writes no plan: drop --inventory');
  // a budget or a fill-rate target names its mode (--plan-mode says it outright)
  if (!raw.plan_mode && raw.stock_budget && raw.target_fill_rate)
    usage('--stock-budget and --target-fill-rate are two plan modes: give one');
  if (!raw.plan_mode && (raw.stock_budget || bySite)) raw.plan_mode = 'budget';
  if (!raw.plan_mode && raw.target_fill_rate) raw.plan_mode = 'fill_rate';
  if (raw.plan_mode && raw.plan_mode !== 'service_level' && !parts)
    usage(`--plan-mode ${raw.plan_mode} needs --parts FILE with unit costs`);
  const parsed = jobConfigSchema.safeParse(
    bySite === undefined ? raw : { ...raw, stock_budget_by_site: budgetMap(bySite) },
  );
  if (!parsed.success) usage(parsed.error.issues.map((i) => i.message).join('; '));
  const config = parsed.data;
  const t0 = performance.now();
  // chunks are written as soon as every chunk before them is, to a temp file renamed only on success
  const tmpOf = (f: string) => join(dirname(f), `.${basename(f)}.${process.pid}.tmp`);
  const tmpFile = tmpOf(output);
  const planTmp = inventory ? tmpOf(inventory) : join(dirname(tmpFile), `.plan.${process.pid}.tmp`);
  const pool = new WorkerPool({ threads: threads ? Math.max(1, Number(threads)) : availableParallelism() });
  const partsSource = parts ? { filePath: parts, originalName: basename(parts) } : null;
  const runner = new JobRunner(pool, STOP_GRACE_MS);
  const id = 'cli';
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted) {
      // a second Ctrl-C does not wait for the threads
      rmSync(tmpFile, { force: true });
      rmSync(planTmp, { force: true });
      rmSync(planInputsOf(planTmp), { force: true });
      rmSync(planTransfersOf(planTmp), { force: true });
      process.exit(EXIT_INTERRUPTED);
    }
    interrupted = true;
    runner.stop(id, 'stop').catch((e: unknown) => process.stderr.write(`forecast: could not stop: ${String(e)}\n`));
  });
  let notes: string[] = [];
  let sites = 0;
  const hooks: RunHooks = {
    progress: (p) => bar(p.progress, p.stage),
    // the job log's lines: the summary repeats the warnings and notes, the outcome carries the failure
    log: () => undefined,
    prepared: (info) => {
      notes = info.notes;
      sites = info.partitions.total - info.partitions.skipped;
    },
    heartbeat: () => undefined,
  };
  const outcome = await runner
    .run(
      {
        ...{ id, filePath: input, originalName: basename(input), config, tmpFile, parts: partsSource },
        ...{ planTmpFile: planTmp, plan: plan === 'on' },
      },
      hooks,
    )
    .finally(() => pool.destroy());
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (interrupted || outcome.kind === 'stopped') {
    rmSync(tmpFile, { force: true });
    process.stderr.write('forecast: interrupted\n');
    return EXIT_INTERRUPTED;
  }
  if (outcome.kind === 'input-error') {
    process.stderr.write(`forecast: ${outcome.code}: ${outcome.message}\n`);
    return 1;
  }
  if (outcome.kind === 'failed') {
    process.stderr.write(`forecast: ${outcome.message}\n`);
    // on the command line the operator is the server's log: say what broke
    const cause = outcome.cause instanceof Error ? outcome.cause.message : outcome.cause;
    if (cause !== undefined) process.stderr.write(`forecast: cause: ${String(cause)}\n`);
    return 3;
  }
  // the runner removed both temp files unless it completed; the re-plan inputs serve only the server
  rmSync(planInputsOf(outcome.planTmpFile), { force: true });
  const movedTmp = planTransfersOf(outcome.planTmpFile);
  try {
    if (transfers) {
      // none written when no part is stocked at two sites: the file says so with its header alone
      if (existsSync(movedTmp)) await rename(movedTmp, transfers);
      else writeFileSync(transfers, `${TRANSFER_HEADER}\n`);
    } else rmSync(movedTmp, { force: true });
    if (inventory) await rename(outcome.planTmpFile, inventory);
    else rmSync(outcome.planTmpFile, { force: true });
  } catch (e) {
    rmSync(movedTmp, { force: true });
    rmSync(outcome.planTmpFile, { force: true });
    rmSync(outcome.tmpFile, { force: true });
    throw e;
  }
  await rename(outcome.tmpFile, output);
  const seconds = (performance.now() - t0) / 1000;
  const m = outcome.metrics;
  const lines = [
    `wrote ${output}: ${outcome.outputRows} rows, ${m.series} series, ${sites} site(s), ` +
      `frequency ${m.frequency}, horizon ${m.horizon}`,
    `input rows ${outcome.rows}; classes ${JSON.stringify(m.classes)}`,
    `methods ${JSON.stringify(m.methods)}`,
    `holdout (last ${m.horizon} periods, ${m.scored_series} series scored):`,
    `  chosen  ${fmt(m.chosen)}`,
    `  naive   ${fmt(m.naive)}`,
    `  sba     ${fmt(m.sba)}`,
    ...(inventory && m.inventory ? [planSummary(inventory, m.inventory)] : []),
    ...notes.map((n) => `note: ${n}`),
    ...m.warnings.map((w) => `warning: ${w}`),
    `seconds ${seconds.toFixed(2)}`,
    // the whole process, worker threads included (they share it): what the benches report as memory
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stderr.write(`forecast: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(3);
  },
);
