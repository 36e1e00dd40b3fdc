/// <reference types="svelte" />
import type { ClientError } from './result.js';
import type { ForecastPointDto } from '$contract/dto.js';
import type { Api, SeriesDto, SeriesKey } from './api.js';

export const KEY_LIMIT = 30;
export const keyLabel = (k: SeriesKey): string => `${k.partnumber} @ ${k.site_code}`;

/** The job page's chart: search forecast series by part/site, load one and keep the latest answer only. */
export class SeriesStore {
  q = $state('');
  keys = $state<SeriesKey[]>([]);
  selected = $state<SeriesKey | null>(null);
  data = $state<SeriesDto | null>(null);
  searching = $state(false);
  loading = $state(false);
  error = $state<ClientError | null>(null);
  private searchSeq = 0;
  private loadSeq = 0;

  constructor(
    private readonly api: Api,
    private readonly jobId: string,
  ) {}

  async search(q: string): Promise<void> {
    this.q = q;
    const mine = ++this.searchSeq;
    this.searching = true;
    const r = await this.api.seriesKeys(this.jobId, q.trim(), KEY_LIMIT);
    if (mine !== this.searchSeq) return;
    this.searching = false;
    if (r.ok) {
      this.keys = r.data.keys;
      this.error = null;
    } else this.error = r.error;
  }

  /** Loads the first series when nothing is chosen yet, so the chart is never empty without reason. */
  async init(): Promise<void> {
    await this.search('');
    const first = this.keys[0];
    if (first && !this.selected) await this.select(first);
  }

  async select(key: SeriesKey): Promise<void> {
    this.selected = key;
    const mine = ++this.loadSeq;
    this.loading = true;
    const r = await this.api.series(this.jobId, key);
    if (mine !== this.loadSeq) return;
    this.loading = false;
    if (r.ok) {
      this.data = r.data;
      this.error = null;
    } else {
      this.data = null;
      this.error = r.error;
    }
  }
}

/** What the chart draws of a series. */
export type ChartSeries = Pick<SeriesDto, 'partnumber' | 'site_code' | 'history'> & {
  forecast: Pick<ForecastPointDto, 'date' | 'qty' | 'raw' | 'lo' | 'hi'>[];
};
type Column = (number | null)[];

/** Columns for uPlot: x in seconds, then history, forecast, lo, hi (null where a series has no point). */
export function toChartColumns(s: ChartSeries): [number[], Column, Column, Column, Column] {
  const byT = new Map<number, [number | null, number | null, number | null, number | null]>();
  const row = (t: number) => {
    let r = byT.get(t);
    if (!r) byT.set(t, (r = [null, null, null, null]));
    return r;
  };
  const sec = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 1000;
  for (const h of s.history) row(sec(h.date))[0] = h.qty;
  for (const f of s.forecast) {
    const r = row(sec(f.date));
    r[1] = f.qty;
    r[2] = f.lo;
    r[3] = f.hi;
  }
  // Join the forecast line to the last actual so the two read as one story.
  const lastHist = s.history[s.history.length - 1];
  if (lastHist && s.forecast.length) {
    const r = row(sec(lastHist.date));
    if (r[1] == null) r[1] = lastHist.qty;
  }
  const xs = [...byT.keys()].filter(Number.isFinite).sort((a, b) => a - b);
  return [
    xs,
    xs.map((t) => byT.get(t)![0]),
    xs.map((t) => byT.get(t)![1]),
    xs.map((t) => byT.get(t)![2]),
    xs.map((t) => byT.get(t)![3]),
  ];
}
