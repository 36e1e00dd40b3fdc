/**
 * Series of a finished job for the chart: the (part, site) keys, biggest first, and one series' history
 * and forecast, served from the job's series index (next to the output; storage/job-files.ts names it).
 * The index is built in the background right after COMPLETED is announced (from the series the run
 * holds), or on first use for a job that has none (from its upload); requests that arrive meanwhile wait
 * for that one build, which takes seconds, where the old path (scan the output, read the upload; the
 * fallback when a build fails) takes longer on a big job and would queue on the same thread. A failed
 * build is logged and tried again on the next request; Delete and shutdown cancel a build in flight.
 */
import { promises as fs } from 'node:fs';
import type { ForecastPointDto, JobConfig, SeriesDto, SeriesKeyDto, SeriesKeysDto } from '../../contract/dto.js';
import { AppError } from '../../contract/errors.js';
import {
  SeriesIndexReader,
  type HistorySource,
  type OutputRecord,
  type SeriesIndexEntry,
} from '../../forecast/index.js';
import type { Logger } from '../../logger.js';
import { jobFiles, jobTemps } from '../../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../../storage/paths.js';
import type { Job } from '../job.js';
import type { JobFeature } from '../job-feature.js';
import type { WorkerPool } from '../worker-pool.js';

/** What the series of one completed job are read from. */
export interface SeriesSource {
  jobId: string;
  outputFile: string;
  /** Its series index, next to it (storage/job-files.ts) */
  indexFile: string;
  uploadFile: string;
  originalName: string;
  config: JobConfig;
  /** the job's parts file (its replacements merge histories); null without one */
  parts?: { filePath: string; originalName: string } | null;
  /** A fresh temp path under tmp/ (the index is written there, then renamed). */
  tmpFile: () => string;
}

const BUILD_TIMEOUT_MS = 5 * 60_000;
const CACHED_JOBS = 8;
/** Tables kept for lookups and searches, all jobs together (about 5 MB per 1M-row job). */
const CACHED_BYTES = 64 * 1024 * 1024;

/**
 * Builds the index of a finished job's output in a worker, written to tmp/ and renamed next to the
 * output. Returns the number of series. The temp file is removed only once the thread has let go of it.
 */
async function buildSeriesIndex(
  pool: WorkerPool,
  src: SeriesSource,
  signal: AbortSignal,
  history: HistorySource | null = null,
): Promise<number> {
  const tmp = src.tmpFile();
  const { uploadFile, originalName, config, parts } = src;
  const request = {
    history: history ?? { from: 'upload' as const, uploadFile, originalName, config, parts },
    outputFile: src.outputFile,
    indexFile: tmp,
  };
  try {
    const r = await pool.call({ kind: 'series-index', request }, { timeoutMs: BUILD_TIMEOUT_MS, signal });
    signal.throwIfAborted(); // cancelled while it finished: no file for a deleted job
    await fs.rename(tmp, src.indexFile);
    return r.series;
  } finally {
    await removeQuietly(tmp);
  }
}

interface Build {
  ctl: AbortController;
  /** Settles (never rejects) once the build has ended and its temp file is gone. */
  done: Promise<unknown>;
}

export class JobSeries implements JobFeature {
  private readonly readers = new Map<string, Promise<SeriesIndexReader | null>>();
  private readonly builds = new Map<string, Build>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly paths: StoragePaths,
    private readonly logger?: Logger,
  ) {}

  /** Where a completed job's series are read from. */
  source(job: Job): SeriesSource {
    const files = jobFiles(this.paths, job);
    return {
      jobId: job.id,
      outputFile: files.output,
      indexFile: files.seriesIndex,
      uploadFile: files.upload,
      originalName: job.filename,
      config: job.config,
      parts: files.parts && job.parts ? { filePath: files.parts, originalName: job.parts.filename } : null,
      tmpFile: () => jobTemps.seriesIndex(this.paths),
    };
  }

  /** A job just completed: build its index now, in the background, from the series its run holds. */
  completed(job: Job, history: HistorySource | null): void {
    const src = this.source(job);
    this.load(src, history).catch((err: unknown) => this.logger?.error({ err, id: src.jobId }, 'series index failed'));
  }

  /** Keys matching q (part number or site, case-insensitive), biggest history volume first. */
  async keys(src: SeriesSource, q: string, limit: number): Promise<SeriesKeysDto> {
    const needle = q.trim().toLowerCase();
    const r = await this.index(src);
    const { entries, total } = await r.search(needle, limit);
    return { keys: entries.map(dtoOf), total };
  }

  /** One series' history and forecast; null when the job has no such series. */
  async series(src: SeriesSource, partnumber: string, site: string): Promise<SeriesDto | null> {
    const r = await this.index(src);
    const entry = await r.find(partnumber, site);
    if (!entry) return null;
    const { history, forecast } = await r.readSeries(entry, src.outputFile);
    return { ...dtoOf(entry), history, forecast: forecast.map(toForecastPoint) };
  }

  /** Cancels a build in flight and drops the cached index: resolves once no file of it can appear. */
  async forget(jobId: string): Promise<void> {
    const b = this.builds.get(jobId);
    b?.ctl.abort();
    await b?.done;
    this.readers.delete(jobId);
  }

  /** Cancels every build in flight (shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.builds.keys()].map((id) => this.forget(id)));
  }

  /** The job's index, built if need be; 503 SERIES_UNAVAILABLE when it cannot be (the next request tries again). */
  private async index(src: SeriesSource): Promise<SeriesIndexReader> {
    const r = await this.load(src);
    if (!r)
      throw new AppError(503, 'SERIES_UNAVAILABLE', 'The chart data of this job cannot be read right now; try again.');
    return r;
  }

  private load(src: SeriesSource, history: HistorySource | null = null): Promise<SeriesIndexReader | null> {
    let p = this.readers.get(src.jobId);
    if (!p) {
      // Registered before anything awaits, so that a Delete arriving at any point finds it to cancel.
      const ctl = new AbortController();
      p = this.open(src, history, ctl.signal);
      const q = p;
      this.readers.set(src.jobId, q);
      this.builds.set(src.jobId, { ctl, done: q });
      q.then(async (r) => {
        if (this.builds.get(src.jobId)?.ctl === ctl) this.builds.delete(src.jobId);
        // A failed build is not remembered: the next request tries again (e.g. after a full disk).
        if (r) await this.evict();
        else if (this.readers.get(src.jobId) === q) this.readers.delete(src.jobId);
      }).catch((err: unknown) => this.logger?.error({ err, id: src.jobId }, 'series index bookkeeping failed'));
    }
    return p;
  }

  /** Keeps at most CACHED_JOBS indexes and CACHED_BYTES of their tables: the oldest go first. */
  private async evict(): Promise<void> {
    const open = await Promise.all([...this.readers].map(async ([id, p]) => [id, await p] as const));
    let bytes = open.reduce((s, [, r]) => s + (r?.cachedBytes ?? 0), 0);
    for (const [id, r] of open) {
      if (this.readers.size <= 1 || (this.readers.size <= CACHED_JOBS && bytes <= CACHED_BYTES)) break;
      this.readers.delete(id);
      bytes -= r?.cachedBytes ?? 0;
    }
  }

  private async open(
    src: SeriesSource,
    history: HistorySource | null,
    signal: AbortSignal,
  ): Promise<SeriesIndexReader | null> {
    const file = src.indexFile;
    try {
      const outputSize = (await fs.stat(src.outputFile)).size;
      const index = await SeriesIndexReader.open(file).catch(() => null);
      if (index && index.header.outputSize === outputSize) return index;
      // None yet (just completed, or a job from before indexes) or not this output's: build it once.
      signal.throwIfAborted();
      await removeQuietly(file);
      await buildSeriesIndex(this.pool, src, signal, history);
      return await SeriesIndexReader.open(file);
    } catch (err) {
      if (!signal.aborted) this.logger?.warn({ err, id: src.jobId }, 'series index unavailable');
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

const numOrNull = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));

function toForecastPoint(r: OutputRecord): ForecastPointDto {
  return {
    date: r.date,
    qty: Number(r.forecast_qty),
    raw: Number(r.forecast_qty_raw),
    model: Number(r.forecast_qty_raw_model),
    lo: numOrNull(r.forecast_lo),
    hi: numOrNull(r.forecast_hi),
  };
}
