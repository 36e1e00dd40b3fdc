/**
 * Series of a finished job for the chart: the list of (part, site) keys and one series' history
 * (read from the upload in a worker thread, so a big file never blocks the server) and forecast
 * (read from the output CSV).
 */
import type { JobConfig } from '../contract/dto.js';
import { readOutput, type HistoryPoint } from '../forecast/index.js';
import { AppError } from '../contract/errors.js';
import type { WorkerPool } from './worker-pool.js';

export interface SeriesKey {
  partnumber: string;
  site_code: string;
  method: string;
  demand_class: string;
}

export interface ForecastPoint {
  date: string;
  qty: number;
  raw: number;
  model: number;
  lo: number | null;
  hi: number | null;
}

const HISTORY_TIMEOUT_MS = 60_000;

const numOrNull = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));

export class JobSeries {
  private readonly keyCache = new Map<string, SeriesKey[]>();

  constructor(private readonly pool: WorkerPool) {}

  /** Keys matching q (part number or site, case-insensitive), sorted by part then site. */
  async keys(jobId: string, outputFile: string, q: string, limit: number): Promise<SeriesKey[]> {
    let all = this.keyCache.get(jobId);
    if (!all) {
      all = [];
      let last = '';
      for await (const r of readOutput(outputFile)) {
        const k = `${r.partnumber}\u0000${r.site_code}`;
        if (k === last) continue;
        last = k;
        all.push({
          partnumber: r.partnumber,
          site_code: r.site_code,
          method: r.method ?? '',
          demand_class: r.demand_class ?? '',
        });
      }
      all.sort((a, b) =>
        a.partnumber < b.partnumber ? -1 : a.partnumber > b.partnumber ? 1 : a.site_code < b.site_code ? -1 : 1,
      );
      this.keyCache.set(jobId, all);
      if (this.keyCache.size > 8) this.keyCache.delete(this.keyCache.keys().next().value!);
    }
    const needle = q.trim().toLowerCase();
    const hits = needle
      ? all.filter((k) => k.partnumber.toLowerCase().includes(needle) || k.site_code.toLowerCase().includes(needle))
      : all;
    return hits.slice(0, limit);
  }

  async forecast(
    outputFile: string,
    partnumber: string,
    site: string,
  ): Promise<{ key: SeriesKey | null; points: ForecastPoint[] }> {
    const points: ForecastPoint[] = [];
    let key: SeriesKey | null = null;
    for await (const r of readOutput(outputFile)) {
      if (r.partnumber !== partnumber || r.site_code !== site) {
        if (key) break; // a series' rows are contiguous
        continue;
      }
      key ??= { partnumber, site_code: site, method: r.method ?? '', demand_class: r.demand_class ?? '' };
      points.push({
        date: r.date,
        qty: Number(r.forecast_qty),
        raw: Number(r.forecast_qty_raw),
        model: Number(r.forecast_qty_raw_model),
        lo: numOrNull(r.forecast_lo),
        hi: numOrNull(r.forecast_hi),
      });
    }
    return { key, points };
  }

  async history(
    uploadFile: string,
    originalName: string,
    config: JobConfig,
    partnumber: string,
    site: string,
  ): Promise<HistoryPoint[]> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), HISTORY_TIMEOUT_MS);
    try {
      const { result } = this.pool.run(
        { kind: 'history', filePath: uploadFile, originalName, config, partnumber, site },
        ctl.signal,
        () => undefined,
      );
      const r = await result;
      if (r.kind === 'input-error') throw new AppError(409, 'BAD_REQUEST', r.message);
      return r.kind === 'history' ? r.points : [];
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops a deleted job's cached keys. */
  forget(jobId: string): void {
    this.keyCache.delete(jobId);
  }
}
