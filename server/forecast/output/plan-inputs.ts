/**
 * A job's re-plan inputs (next to the plan CSV; storage/job-files.ts names it): what the plan was computed
 * from, so that the plan can be made again at another service level, lead time or review period without the forecast.
 * The forecast CSV is not enough: it rounds the model's mean to 4 decimals and leaves out the periods
 * between the training end and the start date, so a plan made from it would differ from the job's own.
 *
 * Text, one JSON value per line: line 1 the header (PlanInputsHeader: the job's pooled fit, its settings
 * in periods, the frequency), then one line per series in the plan's order:
 *   [partnumber, site_code, demand_class, history length, [non-zero offsets], [their qty], "forecast mean"]
 * JSON keeps every double exact (shortest round-trip form) and part numbers as data; the forecast mean, a
 * double per period that is rarely short in decimal, is its Float64 bytes in base64 (exact, and about half
 * the text: 101 MB → 58 MB of inputs on the 1M-row job).
 */
import type { Frequency } from '../../contract/dto.js';
import type { PooledParams } from '../inventory/fit.js';
import type { InventoryContext } from '../inventory/job-fit.js';
import type { PlanSettings } from '../inventory/settings.js';

const PLAN_INPUTS_KIND = 'sparecast-plan-inputs';

export interface PlanInputsHeader {
  kind: typeof PLAN_INPUTS_KIND;
  v: 1;
  freq: Frequency;
  pooled: PooledParams;
  settings: PlanSettings;
}

/** The header line (no trailing newline), from the job's inventory fit. */
export function planInputsHeader(freq: Frequency, inv: InventoryContext): string {
  const h: PlanInputsHeader = { kind: PLAN_INPUTS_KIND, v: 1, freq, pooled: inv.pooled, settings: inv.settings };
  return JSON.stringify(h);
}

/** One series' line, ending in '\n': its history (sparse) and the engine's per-period forecast mean. */
export function planInputsLine(
  key: { partnumber: string; site: string; demandClass: string },
  history: ArrayLike<number>,
  forecast: ArrayLike<number>,
): string {
  const at: number[] = [];
  const qty: number[] = [];
  for (let k = 0; k < history.length; k++)
    if (history[k] !== 0) {
      at.push(k);
      qty.push(history[k]);
    }
  const fc = Buffer.from(Float64Array.from(forecast).buffer).toString('base64');
  return `${JSON.stringify([key.partnumber, key.site, key.demandClass, history.length, at, qty, fc])}\n`;
}

export interface PlanInputsSeries {
  partnumber: string;
  site: string;
  demandClass: string;
  history: Float64Array;
  forecast: Float64Array;
}

const isNums = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number');

/** Parses the header line; throws a readable Error on anything this version did not write. */
export function parsePlanInputsHeader(line: string): PlanInputsHeader {
  let h: Partial<PlanInputsHeader> | null = null;
  try {
    h = JSON.parse(line) as Partial<PlanInputsHeader>;
  } catch {
    throw new Error(`its header is not JSON (${line.length} characters)`);
  }
  if (!h || h.kind !== PLAN_INPUTS_KIND || h.v !== 1 || !h.pooled || !h.settings?.defaults || !h.freq)
    throw new Error('not a plan inputs file of this version');
  return h as PlanInputsHeader;
}

/** Parses one series line (its history dense again, zeros included); throws on a damaged line. */
export function parsePlanInputsLine(line: string): PlanInputsSeries {
  const r = JSON.parse(line) as unknown;
  if (!Array.isArray(r) || r.length !== 7) throw new Error('damaged plan inputs line');
  const [partnumber, site, demandClass, n, at, qty, fc] = r as unknown[];
  if (typeof partnumber !== 'string' || typeof site !== 'string' || typeof demandClass !== 'string')
    throw new Error('damaged plan inputs line');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || !isNums(at) || !isNums(qty) || typeof fc !== 'string')
    throw new Error('damaged plan inputs line');
  const bytes = Buffer.from(fc, 'base64');
  if (bytes.length % 8 !== 0) throw new Error('damaged plan inputs line');
  if (at.length !== qty.length || at.some((k) => !(k >= 0 && k < n))) throw new Error('damaged plan inputs line');
  const history = new Float64Array(n);
  at.forEach((k, j) => (history[k] = qty[j]));
  // copied out: the decoded bytes need not sit on an 8-byte boundary
  const forecast = new Float64Array(bytes.length / 8);
  new Uint8Array(forecast.buffer).set(bytes);
  return { partnumber, site, demandClass, history, forecast };
}
