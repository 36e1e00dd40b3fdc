/**
 * The series of a finished job read the slow, obvious way, to check the series index's answers against:
 * scan the output CSV for a series' lines, and load the upload with the job's settings for its history.
 * (The server once fell back to this path; it now lives only here, as the tests' independent reference.)
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import type { ForecastPointDto, HistoryPointDto, JobConfig, SeriesKeyDto } from '../../server/contract/dto.js';
import { loadDemand, readText, type OutputRecord } from '../../server/forecast/index.js';
import { periodLabel } from '../../server/forecast/series/periods.js';

async function* outputRecords(file: string): AsyncGenerator<OutputRecord> {
  const parser = parse({ columns: true, skip_empty_lines: true, relax_column_count: true });
  pipeline(createReadStream(file), parser, () => undefined);
  for await (const rec of parser as AsyncIterable<OutputRecord>) {
    yield { ...rec, partnumber: readText(rec.partnumber), site_code: readText(rec.site_code) };
  }
}

const numOrNull = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));

/** Every key of the output matching the lower-cased needle, sorted by part then site. */
export async function oracleKeys(outputFile: string, needle: string): Promise<SeriesKeyDto[]> {
  const all: SeriesKeyDto[] = [];
  let last = '';
  for await (const r of outputRecords(outputFile)) {
    const k = `${r.partnumber}\u0000${r.site_code}`;
    if (k === last) continue;
    last = k;
    if (needle && !k.toLowerCase().includes(needle)) continue;
    const key = { partnumber: r.partnumber, site_code: r.site_code };
    all.push({ ...key, method: r.method ?? '', demand_class: r.demand_class ?? '', volume: null });
  }
  return all.sort((a, b) =>
    a.partnumber < b.partnumber ? -1 : a.partnumber > b.partnumber ? 1 : a.site_code < b.site_code ? -1 : 1,
  );
}

/** One series' forecast points, by scanning the output. */
export async function oracleForecast(outputFile: string, partnumber: string, site: string) {
  const points: ForecastPointDto[] = [];
  let key: Omit<SeriesKeyDto, 'volume'> | null = null;
  for await (const r of outputRecords(outputFile)) {
    if (r.partnumber !== partnumber || r.site_code !== site) continue;
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

/** One series' history, every period from the file's first to the last training period, zeros included. */
export async function oracleHistory(
  src: { uploadFile: string; originalName: string; config: JobConfig },
  partnumber: string,
  site: string,
): Promise<HistoryPointDto[]> {
  const config = { ...src.config, forecast_site_codes: [site] };
  const prepared = await loadDemand(src.uploadFile, src.originalName, config, undefined, null, { plan: false });
  const ctx = prepared.context;
  const data = prepared.partitions.at(0)?.data;
  const i = data ? data.parts.indexOf(partnumber) : -1;
  if (!data || i < 0) return [];
  const cal = { freq: ctx.freq, anchor: ctx.anchor };
  const byPeriod = new Map<number, number>();
  for (let k = data.off[i]; k < data.off[i + 1]; k++) byPeriod.set(data.per[k], data.qty[k]);
  const out: HistoryPointDto[] = [];
  for (let p = ctx.fileStart; p <= ctx.trainEnd; p++)
    out.push({ date: periodLabel(cal, p), qty: byPeriod.get(p) ?? 0 });
  return out;
}
