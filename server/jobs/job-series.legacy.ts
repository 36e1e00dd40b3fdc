/**
 * The series read without an index (the path every request took before indexes, now only a fallback
 * when an index cannot be built): scan the output CSV, read one series' history from the upload in a
 * worker thread. Also what the tests compare the index's answers with.
 */
import type { ForecastPointDto, HistoryPointDto, SeriesKeyDto } from '../contract/dto.js';
import { AppError } from '../contract/errors.js';
import { readOutput, type OutputRecord } from '../forecast/index.js';
import type { SeriesSource } from './job-series.js';
import type { WorkerPool } from './worker-pool.js';

const HISTORY_TIMEOUT_MS = 60_000;

const numOrNull = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));

export function toForecastPoint(r: OutputRecord): ForecastPointDto {
  return {
    date: r.date,
    qty: Number(r.forecast_qty),
    raw: Number(r.forecast_qty_raw),
    model: Number(r.forecast_qty_raw_model),
    lo: numOrNull(r.forecast_lo),
    hi: numOrNull(r.forecast_hi),
  };
}

/** Every key of the output matching the lower-cased needle, sorted by part then site. */
export async function legacyKeys(outputFile: string, needle: string): Promise<SeriesKeyDto[]> {
  const all: SeriesKeyDto[] = [];
  let last = '';
  for await (const r of readOutput(outputFile)) {
    const k = `${r.partnumber}\u0000${r.site_code}`;
    if (k === last) continue;
    last = k;
    if (needle && !k.toLowerCase().includes(needle)) continue;
    all.push({
      partnumber: r.partnumber,
      site_code: r.site_code,
      method: r.method ?? '',
      demand_class: r.demand_class ?? '',
      volume: null,
    });
  }
  return all.sort((a, b) =>
    a.partnumber < b.partnumber ? -1 : a.partnumber > b.partnumber ? 1 : a.site_code < b.site_code ? -1 : 1,
  );
}

/** One series' output lines, by scanning the output (a series' lines are contiguous). */
export async function legacyForecast(
  outputFile: string,
  partnumber: string,
  site: string,
): Promise<{ key: Omit<SeriesKeyDto, 'volume'> | null; points: ForecastPointDto[] }> {
  const points: ForecastPointDto[] = [];
  let key: Omit<SeriesKeyDto, 'volume'> | null = null;
  for await (const r of readOutput(outputFile)) {
    if (r.partnumber !== partnumber || r.site_code !== site) {
      if (key) break;
      continue;
    }
    key ??= { partnumber, site_code: site, method: r.method ?? '', demand_class: r.demand_class ?? '' };
    points.push(toForecastPoint(r));
  }
  return { key, points };
}

/** One series' history, read from the upload with the job's settings in a worker thread. */
export async function legacyHistory(
  pool: WorkerPool,
  src: SeriesSource,
  partnumber: string,
  site: string,
): Promise<HistoryPointDto[]> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), HISTORY_TIMEOUT_MS);
  try {
    const { result } = pool.run(
      {
        kind: 'history',
        filePath: src.uploadFile,
        originalName: src.originalName,
        config: src.config,
        partnumber,
        site,
      },
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
