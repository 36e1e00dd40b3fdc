/**
 * Series of a finished job for the chart: the (part, site) keys, biggest first, and one series' history
 * and forecast, served from the job's series index (`<output>.idx`, written when the job completed):
 * the table of series is read once per job and kept, each series is two bounded reads. A job completed
 * before indexes existed gets its index built once, on first use, in a worker thread; if that fails the
 * old path (scan the output, read the upload in a worker) still answers.
 */
import { promises as fs } from 'node:fs';
import type { JobConfig, SeriesDto, SeriesKeyDto, SeriesKeysDto } from '../contract/dto.js';
import { readIndexedSeries, openSeriesIndex, type SeriesIndex, type SeriesIndexEntry } from '../forecast/index.js';
import type { Logger } from '../logger.js';
import { removeQuietly } from '../storage/paths.js';
import { legacyHistory, legacyForecast, legacyKeys, toForecastPoint } from './job-series.legacy.js';
import type { WorkerPool } from './worker-pool.js';

/** What the series of one completed job are read from. */
export interface SeriesSource {
  jobId: string;
  outputFile: string;
  uploadFile: string;
  originalName: string;
  config: JobConfig;
  /** A fresh temp path under tmp/ (the lazily built index is written there, then renamed). */
  tmpFile: () => string;
}

/** The index file of an output: next to it, same name plus `.idx` (reconcile keeps it with its job). */
export const indexFileOf = (outputFile: string): string => `${outputFile}.idx`;

const BUILD_TIMEOUT_MS = 5 * 60_000;
const CACHED_JOBS = 8;

interface Loaded {
  index: SeriesIndex;
  byKey: Map<string, SeriesIndexEntry>;
  /** Lower-cased "part\0site" per entry, same order, for search. */
  haystack: string[];
}

const keyOf = (part: string, site: string) => `${part}\u0000${site}`;

/**
 * Builds the index of a finished job's output in a worker (histories re-read from the upload), written
 * to tmp/ and renamed next to the output. Returns the number of series.
 */
export async function buildSeriesIndex(pool: WorkerPool, src: SeriesSource, signal: AbortSignal): Promise<number> {
  const tmp = src.tmpFile();
  try {
    const { result } = pool.run(
      {
        kind: 'series-index',
        request: {
          history: { from: 'upload', uploadFile: src.uploadFile, originalName: src.originalName, config: src.config },
          outputFile: src.outputFile,
          indexFile: tmp,
        },
      },
      signal,
      () => undefined,
    );
    const r = await result;
    if (r.kind === 'input-error') throw new Error(r.message);
    if (r.kind !== 'series-index') throw new Error(`unexpected worker answer ${r.kind}`);
    await fs.rename(tmp, indexFileOf(src.outputFile));
    return r.series;
  } finally {
    await removeQuietly(tmp);
  }
}

export class JobSeries {
  private readonly loaded = new Map<string, Promise<Loaded | null>>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly logger?: Logger,
  ) {}

  /** Keys matching q (part number or site, case-insensitive), biggest history volume first. */
  async keys(src: SeriesSource, q: string, limit: number): Promise<SeriesKeysDto> {
    const needle = q.trim().toLowerCase();
    const l = await this.load(src);
    if (!l) {
      const all = await legacyKeys(src.outputFile, needle);
      return { keys: all.slice(0, limit), total: all.length };
    }
    const keys: SeriesKeyDto[] = [];
    let total = 0;
    const { entries } = l.index;
    for (let i = 0; i < entries.length; i++) {
      if (needle && !l.haystack[i].includes(needle)) continue;
      if (total++ < limit) keys.push(dtoOf(entries[i]));
    }
    return { keys, total };
  }

  /** One series' history and forecast; null when the job has no such series. */
  async series(src: SeriesSource, partnumber: string, site: string): Promise<SeriesDto | null> {
    const l = await this.load(src);
    if (!l) {
      const fc = await legacyForecast(src.outputFile, partnumber, site);
      if (!fc.key) return null;
      const history = await legacyHistory(this.pool, src, partnumber, site);
      return { ...fc.key, volume: null, history, forecast: fc.points };
    }
    const entry = l.byKey.get(keyOf(partnumber, site));
    if (!entry) return null;
    const { history, forecast } = await readIndexedSeries(l.index, src.outputFile, entry);
    return { ...dtoOf(entry), history, forecast: forecast.map(toForecastPoint) };
  }

  /** Drops a deleted job's cached index. */
  forget(jobId: string): void {
    this.loaded.delete(jobId);
  }

  private load(src: SeriesSource): Promise<Loaded | null> {
    let p = this.loaded.get(src.jobId);
    if (!p) {
      p = this.open(src);
      this.loaded.set(src.jobId, p);
      if (this.loaded.size > CACHED_JOBS) this.loaded.delete(this.loaded.keys().next().value!);
      // A failed build is not remembered: the next request may try again (e.g. after a full disk).
      void p.then((l) => l ?? this.loaded.delete(src.jobId));
    }
    return p;
  }

  private async open(src: SeriesSource): Promise<Loaded | null> {
    const file = indexFileOf(src.outputFile);
    try {
      const outputSize = (await fs.stat(src.outputFile)).size;
      let index = await openSeriesIndex(file).catch(() => null);
      if (!index || index.header.outputSize !== outputSize) {
        // No index (a job from before indexes) or not this output's: build it once, in a worker.
        const ctl = new AbortController();
        const timer = setTimeout(() => ctl.abort(), BUILD_TIMEOUT_MS);
        await removeQuietly(file);
        await buildSeriesIndex(this.pool, src, ctl.signal).finally(() => clearTimeout(timer));
        index = await openSeriesIndex(file);
      }
      const byKey = new Map<string, SeriesIndexEntry>();
      const haystack: string[] = [];
      for (const e of index.entries) {
        byKey.set(keyOf(e.partnumber, e.site_code), e);
        haystack.push(keyOf(e.partnumber, e.site_code).toLowerCase());
      }
      return { index, byKey, haystack };
    } catch (err) {
      this.logger?.warn({ err, id: src.jobId }, 'series index unavailable; reading the files directly');
      return null;
    }
  }
}

function dtoOf(e: SeriesIndexEntry): SeriesKeyDto {
  return {
    partnumber: e.partnumber,
    site_code: e.site_code,
    method: e.method,
    demand_class: e.demand_class,
    volume: Math.round(e.volume * 1e4) / 1e4,
  };
}
