/**
 * One series' demand history (for the job page's chart), read from the job's upload with the job's
 * own settings, so the chart shows exactly what the forecast was made from.
 */
import type { JobConfig } from '../../contract/dto.js';
import { loadDemand } from '../prepare.js';
import type { HistoryPoint } from '../types.js';
import { periodLabel } from './periods.js';

/** Every period from the file's first to the last training period, zeros included. Empty when the series is unknown. */
export async function readSeriesHistory(
  filePath: string,
  originalName: string,
  config: JobConfig,
  partnumber: string,
  site: string,
): Promise<HistoryPoint[]> {
  const prepared = await loadDemand(filePath, originalName, { ...config, forecast_site_codes: [site] });
  const ctx = prepared.context;
  const data = prepared.partitions.at(0)?.data;
  const i = data ? data.parts.indexOf(partnumber) : -1;
  if (!data || i < 0) return [];
  const cal = { freq: ctx.freq, anchor: ctx.anchor };
  const byPeriod = new Map<number, number>();
  for (let k = data.off[i]; k < data.off[i + 1]; k++) byPeriod.set(data.per[k], data.qty[k]);
  const out: HistoryPoint[] = [];
  for (let p = ctx.fileStart; p <= ctx.trainEnd; p++)
    out.push({ date: periodLabel(cal, p), qty: byPeriod.get(p) ?? 0 });
  return out;
}
