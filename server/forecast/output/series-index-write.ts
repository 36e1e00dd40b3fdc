/**
 * Builds a finished job's series index (series-index.ts) from its upload, read with the job's own
 * settings, and its output CSV, scanned once for each series' byte range. Runs in a worker thread.
 */
import { stat, writeFile } from 'node:fs/promises';
import type { JobConfig } from '../../contract/dto.js';
import { loadDemand } from '../prepare.js';
import type { SiteSeries } from '../series/group.js';
import type { EngineContext } from '../context.js';
import type { PartitionInput } from '../types.js';
import { readCsvRecords } from './csv-records.js';
import { encodeSeriesIndex, type IndexHeader, type IndexRow } from './series-index.js';

/** Where the histories come from: the job's upload read again, or the series the run already holds. */
export type HistorySource =
  | { from: 'upload'; uploadFile: string; originalName: string; config: JobConfig }
  | { from: 'prepared'; partitions: PartitionInput[]; context: EngineContext };

export interface SeriesIndexRequest {
  history: HistorySource;
  outputFile: string;
  /** Where to write (a temp file: the caller renames it next to the output). */
  indexFile: string;
}

interface Found {
  row: IndexRow;
  block: Buffer;
}

const EMPTY_BLOCK = Buffer.from('[]');

/** Writes the index; returns how many series it holds. Throws InputError when the upload no longer reads. */
export async function writeSeriesIndex(req: SeriesIndexRequest): Promise<{ series: number }> {
  const h0 = req.history;
  const { partitions, context: ctx } =
    h0.from === 'prepared' ? h0 : await loadDemand(h0.uploadFile, h0.originalName, h0.config);
  const bySite = new Map<string, { data: SiteSeries; at: Map<string, number> }[]>();
  for (const p of partitions) {
    const at = new Map<string, number>();
    p.data.parts.forEach((part, i) => at.set(part, i));
    const list = bySite.get(p.site) ?? [];
    list.push({ data: p.data, at });
    bySite.set(p.site, list);
  }
  const history = (part: string, site: string): { block: Buffer; volume: number } => {
    const s = bySite.get(site)?.find((c) => c.at.has(part));
    const i = s?.at.get(part);
    if (!s || i === undefined) return { block: EMPTY_BLOCK, volume: 0 };
    const flat: number[] = [];
    let volume = 0;
    for (let k = s.data.off[i]; k < s.data.off[i + 1]; k++) {
      const p = s.data.per[k];
      const q = s.data.qty[k];
      if (p < ctx.fileStart || p > ctx.trainEnd || q === 0) continue;
      flat.push(p, q);
      volume += q;
    }
    return { block: Buffer.from(JSON.stringify(flat)), volume };
  };

  let columns: string[] | null = null;
  let col = { part: 1, site: 2, method: 6, cls: 7 };
  const found: Found[] = [];
  let cur: Found | null = null;
  for await (const r of readCsvRecords(req.outputFile)) {
    if (!columns) {
      columns = r.fields.map((f) => f.replace(/^\uFEFF/, ''));
      const c = (name: string) => columns!.indexOf(name);
      col = { part: c('partnumber'), site: c('site_code'), method: c('method'), cls: c('demand_class') };
      if (col.part < 0 || col.site < 0) throw new Error('the output has no partnumber/site_code columns');
      continue;
    }
    const part = r.fields[col.part] ?? '';
    const site = r.fields[col.site] ?? '';
    if (cur && cur.row[0] === part && cur.row[1] === site) {
      cur.row[6] = r.end; // a series' lines are contiguous
      continue;
    }
    const h = history(part, site);
    const method = r.fields[col.method] ?? '';
    const cls = r.fields[col.cls] ?? '';
    cur = { row: [part, site, method, cls, h.volume, r.start, r.end, 0, h.block.length], block: h.block };
    found.push(cur);
  }
  // Biggest first: the picker's first screen is the parts that matter most.
  found.sort((a, b) => b.row[4] - a.row[4] || cmp(a.row[0], b.row[0]) || cmp(a.row[1], b.row[1]));
  let offset = 0;
  for (const f of found) {
    f.row[7] = offset;
    offset += f.block.length;
  }
  const header: IndexHeader = {
    v: 1,
    outputSize: (await stat(req.outputFile)).size,
    columns: columns ?? [],
    freq: ctx.freq,
    anchor: ctx.anchor,
    fileStart: ctx.fileStart,
    trainEnd: ctx.trainEnd,
    series: found.map((f) => f.row),
  };
  await writeFile(
    req.indexFile,
    encodeSeriesIndex(
      header,
      found.map((f) => f.block),
    ),
    { flag: 'wx' },
  );
  return { series: found.length };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
