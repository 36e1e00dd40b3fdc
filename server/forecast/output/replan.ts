/**
 * A finished job's inventory plan made again from its re-plan inputs (plan-inputs.ts) with new job-wide
 * defaults: the same planRow and planLine as the run, the same series in the same order, so the same
 * settings give the same bytes. The parts file's own values (lead time, review period, service level,
 * costs, stock per part) still win over the defaults, exactly as in a run with these settings: a re-plan is
 * what a rerun with the edited config would plan, except that it keeps the job's fitted model. Runs in a
 * worker thread; the caller renames the written file over the plan.
 */
import { createReadStream } from 'node:fs';
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { InputError } from '../errors.js';
import type { PooledParams } from '../inventory/fit.js';
import { daysToPeriods } from '../inventory/periods.js';
import { allocateBySite, NoCostsError, TailSet, type PlanSpec, type SiteAllocation } from '../inventory/allocate.js';
import {
  addToTotals,
  newTotals,
  planSeries,
  setExpected,
  setOrderUpTo,
  setReorderPoint,
  type PlannedSeries,
  type PlanRow,
  type PlanTotals,
} from '../inventory/plan-row.js';
import { settingsFor, type PlanSettings } from '../inventory/settings.js';
import { overridesFor, planSeriesWith, type PlanOverrides } from '../inventory/overrides.js';
import { planTransfers, transferTotals, type TransferTotals } from '../inventory/transfers.js';
import { transfersCsv } from './transfers-write.js';
import { PLAN_HEADER, planLine } from './plan-write.js';
import { parsePlanInputsHeader, parsePlanInputsLine } from './plan-inputs.js';
import { BufferedFile } from '../../storage/buffered-file.js';

export interface ReplanRequest {
  inputsFile: string;
  /** Where to write the new plan (a temp file, created here); null: only the figures (no plan written). */
  planFile: string | null;
  /** The new job-wide defaults, as in the job config (validated by the caller). */
  defaults: { service_level: number; lead_time_days: number; review_periods: number };
  /** How the stock is set (absent: the service level of each part, today's plan). */
  spec?: PlanSpec;
  /** The planners' overrides to apply (a job's snapshot, or those in force for a re-plan); absent: none. */
  overrides?: PlanOverrides;
  /**
   * Move stock between sites before buying (inventory/transfers.ts), the receiving sites' orders reduced;
   * absent or false: none. The transfers CSV goes to transfersFile (created here) when given.
   */
  transfers?: boolean;
  transfersFile?: string | null;
}

/** What the allocation says about the plan (contract: InventoryMetrics' plan fields): all but its levels. */
export type ReplanAllocation = Omit<SiteAllocation, 'S' | 'unknownSites'> & { unknownSites?: string[] };

export interface ReplanResult {
  rows: number;
  /** the new defaults in periods of the job's frequency */
  defaults: PlanSettings['defaults'];
  /** series planned with at least one override (absent: none) */
  overridden?: number;
  overall: PlanTotals;
  bySite: Record<string, PlanTotals>;
  allocation: ReplanAllocation;
  /** the transfers' count, units and value; null when transfers were off */
  transfers?: TransferTotals | null;
}

/**
 * Makes the plan again: every series' row and honest tail first (allocate.ts), then the allocation the spec
 * asks for over all of them at once (a budget is the job's; with stock_budget_by_site, each site's), then
 * the rows in the same order.
 */
export async function replanFromInputs(req: ReplanRequest): Promise<ReplanResult> {
  const spec: PlanSpec = req.spec ?? { mode: 'service_level' };
  const lines = fileLines(req.inputsFile);
  let fh: FileHandle | null = null;
  try {
    let job: { settings: PlanSettings; pooled: PooledParams } | null = null;
    const rows: PlanRow[] = [];
    // per row, its lead-time distribution: an allocation's level moves the reorder point with it
    const leads: Pick<PlannedSeries, 'lead' | 'cal'>[] = [];
    const set = new TailSet();
    // levels an order_up_to override fixes stay out of the allocation; their money is taken off a budget
    let fixedValue = 0;
    let fixedCosted = 0;
    // the money fixed levels (order_up_to overrides) hold, by site: it comes off the budget they fall under
    const fixedBySite = new Map<string, number>();
    let overridden = 0;
    for await (const line of lines.lines) {
      if (!job) {
        job = jobOf(line, req.defaults);
        continue;
      }
      if (!line) continue;
      const s = damagedAs(() => parsePlanInputsLine(line));
      const st = settingsFor(job.settings, s.partnumber, s.site);
      const key = { partnumber: s.partnumber, site: s.site, demandClass: s.demandClass };
      const ov = overridesFor(req.overrides, s.partnumber, s.site);
      const w = ov ? planSeriesWith(key, s.history, s.forecast, st, job.pooled, ov) : null;
      const p = w ? w.p : planSeries(key, s.history, s.forecast, st, job.pooled);
      const own = w ? w.st : st;
      const floor = spec.mode === 'service_level' ? null : floorOf([own.ownTarget, own.ownMin, spec.minServiceLevel]);
      const fixed = spec.mode !== 'service_level' && w !== null && w.fixed !== null;
      if (w) overridden++;
      if (fixed && st.unitCost !== null && st.unitCost > 0) {
        const v = p.row.orderUpTo * st.unitCost;
        fixedValue += v;
        fixedCosted++;
        fixedBySite.set(s.site, (fixedBySite.get(s.site) ?? 0) + v);
      }
      set.add(p.dist, p.cal, fixed ? null : st.unitCost, p.row.orderUpTo, floor, s.site);
      rows.push(p.row);
      leads.push({ lead: p.lead, cal: p.cal });
    }
    if (!job) throw new InputError('INVALID_INPUT', 'The re-plan inputs of this job are empty.');
    let a: SiteAllocation;
    try {
      a = allocateBySite(set, lessFixed(spec, fixedBySite));
    } catch (err) {
      if (err instanceof NoCostsError) throw new InputError('NO_COSTS', err.message);
      throw err;
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (spec.mode !== 'service_level' && set.costed(i)) {
        setOrderUpTo(row, a.S[i], set.levelAt(i, a.S[i]));
        setReorderPoint(row, leads[i].lead, leads[i].cal, row.target);
      }
      setExpected(row, set.short(i, row.orderUpTo), set.mean[i]);
    }
    // stock moved between sites before buying: the receiving rows' orders shrink (before the totals)
    const moved = req.transfers ? planTransfers(rows) : null;
    const overall = newTotals();
    const bySite: Record<string, PlanTotals> = {};
    for (const row of rows) {
      addToTotals(overall, row);
      addToTotals((bySite[row.site] ??= newTotals()), row);
    }
    if (moved && req.transfersFile) await writeFile(req.transfersFile, transfersCsv(moved), { flag: 'wx' });
    if (req.planFile) {
      fh = await open(req.planFile, 'wx');
      const out = new BufferedFile(fh, 'the inventory plan');
      await out.write(Buffer.from(`${PLAN_HEADER}\n`));
      // a few hundred rows per write: one Buffer per row cost a 1M-row job's re-plan a second
      let chunk = '';
      for (let i = 0; i < rows.length; i++) {
        chunk += planLine(rows[i]);
        if (chunk.length > 1 << 16) {
          await out.write(Buffer.from(chunk));
          chunk = '';
        }
      }
      if (chunk) await out.write(Buffer.from(chunk));
      await out.finish();
    }
    const { S: _S, ...said } = a;
    if (fixedValue > 0 || fixedCosted > 0) {
      said.stockValue += fixedValue;
      said.costless = Math.max(0, said.costless - fixedCosted);
    }
    const transfers = moved ? transferTotals(moved) : null;
    return {
      rows: rows.length,
      defaults: job.settings.defaults,
      overridden,
      overall,
      bySite,
      allocation: said,
      transfers,
    };
  } finally {
    lines.close();
    await fh?.close();
  }
}

/**
 * The floor of a part in an allocation: the highest of its own service level, its own minimum service level
 * (both from the parts file) and the job's minimum; null when none is set.
 */
export function floorOf(levels: readonly (number | null | undefined)[]): number | null {
  let f: number | null = null;
  for (const x of levels) if (x !== null && x !== undefined && (f === null || x > f)) f = x;
  return f;
}

/**
 * A file's lines, kept from the moment of the call: readline emits lines as soon as the file is read and
 * drops those emitted before its async iterator exists, so one made after an await (here: opening the plan
 * file) lost the header now and then under load. The iterator is made at once, which buffers them.
 */
export function fileLines(file: string): { lines: AsyncIterableIterator<string>; close(): void } {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  return { lines: rl[Symbol.asyncIterator](), close: () => rl.close() };
}

/** The job's fit and its settings with the new defaults (the parts file's rows unchanged). */
function jobOf(line: string, d: ReplanRequest['defaults']): { settings: PlanSettings; pooled: PooledParams } {
  const h = damagedAs(() => parsePlanInputsHeader(line));
  const defaults = { L: daysToPeriods(d.lead_time_days, h.freq), R: d.review_periods, target: d.service_level };
  return { settings: { defaults, parts: h.settings.parts }, pooled: h.pooled };
}

function damagedAs<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new InputError(
      'INVALID_INPUT',
      `The re-plan inputs of this job are damaged (${(err as Error).message}); run the job again to re-plan it.`,
    );
  }
}

/**
 * A budget less the money that fixed levels (order_up_to overrides, outside the allocation) already hold: off
 * a site's own budget where stock_budget_by_site names the site, else off the shared stock_budget.
 */
export function lessFixed(spec: PlanSpec, fixedBySite: ReadonlyMap<string, number>): PlanSpec {
  if (spec.mode !== 'budget' || fixedBySite.size === 0) return spec;
  const map = spec.stockBudgetBySite ? { ...spec.stockBudgetBySite } : null;
  let shared = 0;
  for (const [site, v] of fixedBySite) {
    if (map && Object.hasOwn(map, site)) map[site] = Math.max(0, map[site] - v);
    else shared += v;
  }
  const out: PlanSpec = { ...spec };
  if (map) out.stockBudgetBySite = map;
  if (spec.stockBudget !== undefined) out.stockBudget = Math.max(0, spec.stockBudget - shared);
  return out;
}
