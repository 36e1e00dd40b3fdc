/// <reference types="svelte" />
import type { TrackingRow, TrackingRowsDto } from '$contract/tracking.js';
import type { SeriesKey } from './api.js';
import type { PlanRowLike } from './overrides.svelte.js';
import type { ClientError } from './result.js';
import type { ChartSeries } from './series.svelte.js';
import type { TrackingApi } from './tracking-api.js';

/** The actual demand of one series after the origin: `values[i]` is the period starting `periods[i]`. */
export interface SeriesActual {
  periods: string[];
  values: number[];
}

/** The tracking row of exactly this part and site (the rows' search is a substring match); null: none. */
export function pickTrackingRow(rows: readonly TrackingRow[], key: SeriesKey): TrackingRow | null {
  return rows.find((r) => r.partnumber === key.partnumber && r.site_code === key.site_code) ?? null;
}

/** The chosen series' actuals out of a …/tracking/rows answer; null when the series has none. */
export function seriesActual(dto: TrackingRowsDto, key: SeriesKey): SeriesActual | null {
  if (dto.state !== 'ready') return null;
  const row = pickTrackingRow(dto.rows, key);
  if (!row) return null;
  const n = Math.min(dto.periods.length, row.actual.length);
  return n ? { periods: dto.periods.slice(0, n), values: row.actual.slice(0, n) } : null;
}

type Column = (number | null)[];
const sec = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 1000;

/**
 * Adds the actuals as one more column to the chart's columns (x, history, forecast, lo, hi): null where no
 * actual; a period the other columns lack is added to x (null in every other column).
 */
export function withActualColumn(
  cols: readonly [number[], Column, Column, Column, Column],
  actual: SeriesActual | null,
): [number[], Column, Column, Column, Column, Column] {
  const byT = new Map<number, number>();
  for (let i = 0; i < (actual?.periods.length ?? 0); i++) {
    const t = sec(actual!.periods[i]);
    if (Number.isFinite(t)) byT.set(t, actual!.values[i]);
  }
  const [xs, ...rest] = cols;
  const have = new Set(xs);
  const extra = [...byT.keys()].filter((t) => !have.has(t));
  if (!extra.length)
    return [xs, ...rest, xs.map((t) => byT.get(t) ?? null)] as [number[], Column, Column, Column, Column, Column];
  const all = [...xs, ...extra].sort((a, b) => a - b);
  const at = new Map(xs.map((t, i) => [t, i]));
  const pick = (c: Column) => all.map((t) => (at.has(t) ? c[at.get(t)!] : null));
  return [all, pick(rest[0]), pick(rest[1]), pick(rest[2]), pick(rest[3]), all.map((t) => byT.get(t) ?? null)];
}

/**
 * The chart's actual line for the chosen series: asks …/tracking/rows only when the job has actuals, keeps
 * the latest answer only. An error leaves the chart without the line (the Actuals view says why).
 */
export class ChartActuals {
  data = $state<SeriesActual | null>(null);
  /** the series `data` belongs to */
  key = $state<SeriesKey | null>(null);
  error = $state<ClientError | null>(null);
  private seq = 0;

  constructor(
    private readonly api: Pick<TrackingApi, 'rows'>,
    private readonly jobId: string,
  ) {}

  /** `ready`: the job has actuals and its tracking is ready. */
  async load(key: SeriesKey | null, ready: boolean): Promise<void> {
    const mine = ++this.seq;
    if (!key || !ready) {
      this.data = null;
      this.key = null;
      this.error = null;
      return;
    }
    const r = await this.api.rows(this.jobId, { q: key.partnumber, site_code: key.site_code, page_size: 500 });
    if (mine !== this.seq) return;
    this.data = r.ok ? seriesActual(r.data, key) : null;
    this.key = key;
    this.error = r.ok ? null : r.error;
  }
}

/**
 * What the override dialog starts from when opened on the chart: the part's plan row when the Inventory view
 * has it, else the series' mean forecast per period (order-up-to and service level then start empty).
 */
export function chartOverrideRow(
  s: Pick<ChartSeries, 'partnumber' | 'site_code' | 'forecast'>,
  planRow: PlanRowLike | null,
): PlanRowLike {
  if (planRow && planRow.partnumber === s.partnumber && planRow.site_code === s.site_code) return planRow;
  const qty = s.forecast.map((f) => f.qty).filter((q) => Number.isFinite(q));
  const mean = qty.length ? qty.reduce((a, b) => a + b, 0) / qty.length : 0;
  return {
    partnumber: s.partnumber,
    site_code: s.site_code,
    order_up_to: null,
    ltd_mean: Math.round(mean * 100) / 100,
    lead_time_periods: 1,
    review_periods: 0,
    service_level: null,
  };
}
