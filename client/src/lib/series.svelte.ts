/// <reference types="svelte" />
import type { ClientError } from './result.js';
import type { ForecastPointDto } from '$contract/dto.js';
import type { Api, SeriesDto, SeriesKey } from './api.js';
import type { LiveBus } from './live.js';

/** Parts the picker lists at once: the biggest by volume first; search reaches every other one. */
export const KEY_LIMIT = 100;
export const keyLabel = (k: SeriesKey): string => `${k.partnumber} @ ${k.site_code}`;

/** The job page's chart: search forecast series by part/site, load one and keep the latest answer only. */
export class SeriesStore {
  q = $state('');
  keys = $state<SeriesKey[]>([]);
  /** How many series match the search in all (the picker shows `keys`, the first of them). */
  total = $state(0);
  selected = $state<SeriesKey | null>(null);
  data = $state<SeriesDto | null>(null);
  searching = $state(false);
  loading = $state(false);
  error = $state<ClientError | null>(null);
  private searchSeq = 0;
  private loadSeq = 0;
  private started = false;

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
      this.total = r.data.total ?? r.data.keys.length;
      this.error = null;
    } else this.error = r.error;
  }

  /** Loads the first series when nothing is chosen yet, so the chart is never empty without reason. */
  async init(): Promise<void> {
    await this.search('');
    const first = this.keys[0];
    if (first && !this.selected) await this.select(first);
  }

  /** The job has an output: load the keys once (again later only if that load failed). */
  async ready(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.init();
    if (this.error && !this.keys.length) this.started = false;
  }

  /**
   * Loads the keys the moment a push says the job COMPLETED, so a page opened while the job ran does not
   * stay empty until a reload. Returns the unsubscribe function.
   */
  follow(bus: LiveBus): () => void {
    return bus.on('job:updated', (job) => {
      if (job.id === this.jobId && job.status === 'COMPLETED') void this.ready();
    });
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
