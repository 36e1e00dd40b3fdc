/// <reference types="svelte" />
import { isFinal, type JobDto } from '$contract/dto.js';
import type { TrackingDto } from '$contract/tracking.js';
import type { UploadFile } from './api.js';
import type { LiveBus } from './live.js';
import type { ClientError } from './result.js';
import type { TrackingApi } from './tracking-api.js';

/**
 * waiting: the job still runs (actuals are for a completed forecast); unavailable: it ended without completing;
 * none: completed, no actuals yet; ready: the tracking is in `data`; error: it could not be read.
 */
export type TrackingPhase = 'waiting' | 'unavailable' | 'deleted' | 'loading' | 'none' | 'ready' | 'error';
export type TrackingReady = Extract<TrackingDto, { state: 'ready' }>;
/** The job as this view reads it. */
export type TrackJob = Pick<JobDto, 'status'> & { has_actuals?: boolean };

/** Timers, so tests drive the polling without waiting. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * When to ask again after something that may bring actuals without telling this page: a later job completing
 * (the server finds it as the source by itself, within seconds), or an upload answered before its tracking.
 * No socket event says "tracking ready", so the view asks a few times, then stops.
 */
export const POLL_DELAYS_MS: readonly number[] = [1_500, 4_000, 8_000, 15_000];

/** A key that changes when the tracking does (another source, another upload). */
const stamp = (d: TrackingDto | null): string =>
  !d || d.state !== 'ready' ? 'none' : JSON.stringify([d.source, d.periods, d.series.total, d.accuracy.rmsse]);

/** The job page's Actuals view: the tracking, sending and removing the actuals file. */
export class TrackingStore {
  phase = $state<TrackingPhase>('waiting');
  data = $state<TrackingReady | null>(null);
  error = $state<ClientError | null>(null);
  /** the file being sent (null: none) */
  sending = $state<string | null>(null);
  sendError = $state<ClientError | null>(null);
  /** the name of the file the server refused (with sendError) */
  refused = $state<string | null>(null);
  removing = $state(false);
  removeError = $state<ClientError | null>(null);
  /** asking again until a tracking shows up (after a later job completed) */
  polling = $state(false);
  private started = false;
  private seq = 0;
  private hasActuals: boolean | undefined;
  private pollTimer: unknown = null;

  constructor(
    private readonly api: TrackingApi,
    private readonly jobId: string,
    private readonly timers: Timers = realTimers,
    private readonly delays: readonly number[] = POLL_DELAYS_MS,
  ) {}

  /** Follows the job: loads once it is COMPLETED; again when the job says its actuals came or went. */
  sync(job: TrackJob, deleted = false): void {
    if (deleted) {
      this.phase = 'deleted';
      this.stopPolling();
      return;
    }
    if (job.status !== 'COMPLETED') {
      this.phase = isFinal(job.status) ? 'unavailable' : 'waiting';
      return;
    }
    const changed = this.hasActuals !== undefined && job.has_actuals !== this.hasActuals;
    this.hasActuals = job.has_actuals;
    if (!this.started || (changed && (this.phase === 'none' || this.phase === 'ready'))) void this.load();
  }

  async load(): Promise<void> {
    this.started = true;
    const mine = ++this.seq;
    if (this.phase !== 'ready' && this.phase !== 'none') this.phase = 'loading';
    this.error = null;
    const r = await this.api.get(this.jobId);
    if (mine !== this.seq || this.gone) return;
    if (r.ok) this.take(r.data);
    else if (r.error.code === 'JOB_NOT_COMPLETED') {
      this.started = false;
      this.phase = 'waiting';
    } else {
      this.started = false; // Try again (or the next push) asks again
      this.error = r.error;
      this.phase = 'error';
    }
  }

  /** Sends an actuals file; true when the tracking came back (or is on its way). */
  async send(file: UploadFile): Promise<boolean> {
    if (this.sending || this.removing) return false;
    this.sending = file.name;
    this.sendError = null;
    this.removeError = null;
    const mine = ++this.seq;
    const r = await this.api.send(this.jobId, file);
    this.sending = null;
    if (this.phase === 'deleted') return false;
    if (!r.ok) {
      this.sendError = r.error;
      this.refused = file.name;
      return false;
    }
    this.refused = null;
    if (mine === this.seq) this.take(r.data);
    // an answer without the tracking yet: ask until it is there
    if (r.data.state !== 'ready') this.poll(stamp(null));
    return true;
  }

  /** Removes the actuals (and so the tracking). */
  async remove(): Promise<boolean> {
    if (this.sending || this.removing) return false;
    this.removing = true;
    this.removeError = null;
    this.sendError = null;
    const mine = ++this.seq;
    const r = await this.api.remove(this.jobId);
    this.removing = false;
    if (!r.ok) {
      this.removeError = r.error;
      return false;
    }
    if (mine === this.seq && this.phase !== 'deleted') {
      this.data = null;
      this.phase = 'none';
    }
    return true;
  }

  /**
   * Another job completing may be the later job that judges this one (the server finds it by itself): ask
   * again a few times. Returns the unsubscribe function.
   */
  follow(bus: LiveBus): () => void {
    const off = bus.on('job:updated', (job) => {
      if (job.id === this.jobId || job.status !== 'COMPLETED') return;
      if (this.phase === 'none' || this.phase === 'ready') this.poll(stamp(this.data));
    });
    return () => {
      off();
      this.stopPolling();
    };
  }

  /** Asks at each of the delays until the tracking differs from `from`. */
  private poll(from: string): void {
    this.stopPolling();
    this.polling = true;
    const step = (i: number) => {
      if (i >= this.delays.length) {
        this.polling = false;
        this.pollTimer = null;
        return;
      }
      this.pollTimer = this.timers.set(() => void this.pollOnce(from, i, step), this.delays[i]);
    };
    step(0);
  }

  private async pollOnce(from: string, i: number, next: (i: number) => void): Promise<void> {
    if (this.sending || this.removing) return next(i + 1);
    const mine = ++this.seq;
    const r = await this.api.get(this.jobId);
    if (!this.polling || this.phase === 'deleted') return;
    if (r.ok && mine === this.seq && stamp(r.data) !== from) {
      this.take(r.data);
      this.stopPolling();
      return;
    }
    next(i + 1);
  }

  /** the job was deleted while a request ran (a getter: TypeScript narrows `phase` across an await) */
  private get gone(): boolean {
    return this.phase === 'deleted';
  }

  stopPolling(): void {
    if (this.pollTimer !== null) this.timers.clear(this.pollTimer);
    this.pollTimer = null;
    this.polling = false;
  }

  private take(d: TrackingDto): void {
    this.error = null;
    if (d.state === 'ready') {
      this.data = d;
      this.phase = 'ready';
    } else {
      this.data = null;
      this.phase = 'none';
    }
  }
}
