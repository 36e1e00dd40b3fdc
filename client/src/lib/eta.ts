/**
 * Time left for a running job from its measured throughput: progress points per second over the
 * recent window (the sites phase's progress is the weight of series done, so this is the partitions'
 * throughput), not elapsed time over the fraction done, which a fast read phase throws far off.
 * The shown value counts down between samples and moves toward each new measurement gradually, so it
 * does not jump.
 */
export interface Eta {
  /** Remaining milliseconds as of `at`. */
  ms: number;
  at: number;
}

/** Throughput is measured over the last WINDOW_MS of samples. */
const WINDOW_MS = 15_000;
/** Fewer progress points than this in the window say too little to estimate from. */
const MIN_POINTS = 2;
const MIN_SPAN_MS = 2_000;
/** Share of a new measurement in the shown value (the rest is the previous value counted down). */
const BLEND = 0.3;

export class EtaEstimator {
  private samples: { t: number; p: number }[] = [];
  private last: Eta | null = null;

  /** Feeds one progress reading (0–100) at time t (ms); returns the estimate, or null while unknown. */
  observe(t: number, progress: number): Eta | null {
    const prev = this.samples.at(-1);
    if (progress >= 100) return (this.last = null);
    if (prev && progress < prev.p) this.samples = []; // restarted (requeued): measure anew
    if (!prev || progress !== prev.p || t - prev.t > 1000) this.samples.push({ t, p: progress });
    while (this.samples.length > 2 && t - this.samples[1].t > WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const span = t - first.t;
    const gained = progress - first.p;
    if (span < MIN_SPAN_MS || gained < MIN_POINTS) return this.last ? this.countdown(t) : null;
    const measured = ((100 - progress) / gained) * span;
    const counted = this.last ? this.countdown(t).ms : measured;
    this.last = { ms: Math.max(0, counted + BLEND * (measured - counted)), at: t };
    return this.last;
  }

  /** The last estimate counted down to `now`. */
  private countdown(now: number): Eta {
    const l = this.last!;
    return { ms: Math.max(0, l.ms - (now - l.at)), at: now };
  }

  reset(): void {
    this.samples = [];
    this.last = null;
  }
}

/** What to show at `now` for an estimate made earlier: counted down, never below zero. */
export const etaLeft = (eta: Eta | null, now: number): number | null =>
  eta ? Math.max(0, eta.ms - (now - eta.at)) : null;
