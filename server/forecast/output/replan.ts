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
import { allocate, NoCostsError, TailSet, type Allocation, type PlanSpec } from '../inventory/allocate.js';
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
  /**
   * Move stock between sites before buying (inventory/transfers.ts), the receiving sites' orders reduced;
   * absent or false: none. The transfers CSV goes to transfersFile (created here) when given.
   */
  transfers?: boolean;
  transfersFile?: string | null;
}

/** What the allocation says about the plan (contract: InventoryMetrics' plan fields): all but its levels. */
export type ReplanAllocation = Omit<Allocation, 'S'>;

export interface ReplanResult {
  rows: number;
  /** the new defaults in periods of the job's frequency */
  defaults: PlanSettings['defaults'];
  overall: PlanTotals;
  bySite: Record<string, PlanTotals>;
  allocation: ReplanAllocation;
  /** the transfers' count, units and value; null when transfers were off */
  transfers?: TransferTotals | null;
}

/**
 * Makes the plan again: every series' row and honest tail first (allocate.ts), then the allocation the spec
 * asks for over all of them at once (a budget is the job's, not a site's), then the rows in the same order.
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
    for await (const line of lines.lines) {
      if (!job) {
        job = jobOf(line, req.defaults);
        continue;
      }
      if (!line) continue;
      const s = damagedAs(() => parsePlanInputsLine(line));
      const st = settingsFor(job.settings, s.partnumber, s.site);
      const key = { partnumber: s.partnumber, site: s.site, demandClass: s.demandClass };
      const p = planSeries(key, s.history, s.forecast, st, job.pooled);
      const floor = spec.mode === 'service_level' ? null : floorOf(st.ownTarget ?? null, spec.minServiceLevel);
      set.add(p.dist, p.cal, st.unitCost, p.row.orderUpTo, floor, s.site);
      rows.push(p.row);
      leads.push({ lead: p.lead, cal: p.cal });
    }
    if (!job) throw new InputError('INVALID_INPUT', 'The re-plan inputs of this job are empty.');
    let a: Allocation;
    try {
      a = allocate(set, spec);
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
    const transfers = moved ? transferTotals(moved) : null;
    return { rows: rows.length, defaults: job.settings.defaults, overall, bySite, allocation: said, transfers };
  } finally {
    lines.close();
    await fh?.close();
  }
}

/** The floor of a part in an allocation: the higher of its own service level and the job's minimum. */
function floorOf(own: number | null, min: number | undefined): number | null {
  if (own === null) return min ?? null;
  return min === undefined ? own : Math.max(own, min);
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
