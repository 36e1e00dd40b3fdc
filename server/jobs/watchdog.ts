/**
 * Watches running jobs so nobody has to: flags them stalled (no progress change for STALL_AFTER),
 * slow (running longer than twice the expected time) or silent (no log line for SILENT_AFTER), ends
 * them as FAILED after JOB_TIMEOUT, and once a day removes finished jobs older than RETENTION_DAYS and
 * quarantine folders older than QUARANTINE_DAYS.
 */
import type { JobFlags } from '../contract/dto.js';
import type { Logger } from '../logger.js';
import type { JobService } from './job.service.js';

export interface WatchdogOptions {
  stallAfterMs: number;
  silentAfterMs: number;
  /** 0 = no timeout. */
  timeoutMs: number;
  intervalMs: number;
  /** 0 = keep finished jobs forever. */
  retentionDays: number;
  /** The daily quarantine sweep (storage/quarantine.ts); boot runs it once itself. */
  pruneQuarantine?: (now: number) => Promise<number>;
}

const DAY_MS = 86_400_000;

/** "30 min", "90 s", "2 h": how a planner reads a duration. */
function humanDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

export class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    private readonly jobs: JobService,
    private readonly opts: WatchdogOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    // tick, sweep and daily log their own failures; the catch is for anything they did not foresee
    const logged = (what: string) => (err: unknown) => this.logger.error({ err }, `${what} failed`);
    this.timer = setInterval(() => this.tick().catch(logged('watchdog tick')), this.opts.intervalMs);
    this.timer.unref();
    if (this.opts.retentionDays > 0) this.sweep().catch(logged('retention sweep'));
    if (this.opts.retentionDays > 0 || this.opts.pruneQuarantine) {
      this.retentionTimer = setInterval(() => this.daily().catch(logged('daily sweep')), DAY_MS);
      this.retentionTimer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.timer = this.retentionTimer = null;
  }

  /** One look at every running job. */
  async tick(now = Date.now()): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const id of this.jobs.live.ids()) {
        const s = this.jobs.live.state(id);
        if (!s) continue;
        const elapsed = this.jobs.live.elapsedMs(id, now);
        if (this.opts.timeoutMs > 0 && elapsed > this.opts.timeoutMs) {
          const msg = `Timed out after ${humanDuration(this.opts.timeoutMs)} (JOB_TIMEOUT); the job was stopped.`;
          if (await this.jobs.failRunning(id, msg)) this.logger.warn({ id }, 'job timed out');
          continue;
        }
        const flags: JobFlags = {
          stalled: now - s.lastProgressAt > this.opts.stallAfterMs,
          slow: s.expectedSeconds !== null && elapsed > 2 * s.expectedSeconds * 1000,
          silent: now - s.lastLogAt > this.opts.silentAfterMs,
        };
        this.jobs.live.setFlags(id, flags);
      }
    } catch (err) {
      this.logger.error({ err }, 'watchdog tick failed');
    } finally {
      this.ticking = false;
    }
  }

  /** The daily sweeps: old finished jobs, old quarantine folders. */
  async daily(now = Date.now()): Promise<void> {
    await this.sweep(now);
    try {
      await this.opts.pruneQuarantine?.(now);
    } catch (err) {
      this.logger.error({ err }, 'quarantine sweep failed');
    }
  }

  /** Removes finished jobs older than RETENTION_DAYS. */
  async sweep(now = Date.now()): Promise<number> {
    if (this.opts.retentionDays <= 0) return 0;
    try {
      const n = await this.jobs.removeFinishedBefore(new Date(now - this.opts.retentionDays * DAY_MS).toISOString());
      if (n) this.logger.info({ removed: n, days: this.opts.retentionDays }, 'retention: removed old finished jobs');
      return n;
    } catch (err) {
      this.logger.error({ err }, 'retention sweep failed');
      return 0;
    }
  }
}
