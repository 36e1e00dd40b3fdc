/**
 * What the pooled model conditions on, computed from a history prefix only (so the same code serves the
 * backtest origins and the final origin): demand class (Syntetos-Boylan-Croston cut-offs), how long the
 * part has been silent relative to its usual interval, and a reference per-period mean.
 */

/** SBC cut-offs: mean inter-demand interval 1.32, squared CV of the non-zero sizes 0.49. */
const ADI_CUT = 1.32;
const CV2_CUT = 0.49;
/** Fewer non-zero periods than this and neither the class nor the interval can be estimated. */
const NEW_DEMANDS = 3;
/** SES smoothing of the reference mean; the first SES_INIT periods use the plain mean instead. */
const SES_ALPHA = 0.1;
const SES_INIT = 10;

export type DemandClass = 'new' | 'smooth' | 'erratic' | 'intermittent' | 'lumpy';
export type Staleness = 'active' | 'quiet' | 'silent';

/** Running statistics of a history, updated one period at a time (O(1) per backtest origin). */
export class RunningStats {
  n = 0;
  nonzero = 0;
  sum = 0;
  sumSq = 0;
  trailingZeros = 0;
  level = 0;

  push(v: number): void {
    this.n++;
    if (v !== 0) {
      this.nonzero++;
      this.sum += v;
      this.sumSq += v * v;
      this.trailingZeros = 0;
    } else this.trailingZeros++;
    // plain mean while SES would still lean on its (arbitrary) start, SES after
    this.level = this.n <= SES_INIT ? this.sum / this.n : this.level + SES_ALPHA * (v - this.level);
  }

  demandClass(): DemandClass {
    if (this.nonzero < NEW_DEMANDS) return 'new';
    const adi = this.n / this.nonzero;
    const m = this.sum / this.nonzero;
    const cv2 = Math.max(0, this.sumSq / this.nonzero - m * m) / (m * m);
    if (adi < ADI_CUT) return cv2 < CV2_CUT ? 'smooth' : 'erratic';
    return cv2 < CV2_CUT ? 'intermittent' : 'lumpy';
  }

  /**
   * Silence measured in the part's own inter-demand intervals: a slow mover that sells every 6 months is
   * not stale after 5 quiet months, a weekly seller is. The interval is measured before the silence began,
   * or a long silence would hide itself by stretching the interval.
   */
  staleness(): Staleness {
    const interval = this.nonzero > 0 ? (this.n - this.trailingZeros) / this.nonzero : this.n;
    const s = this.trailingZeros / Math.max(1, interval);
    if (s <= 1.5) return 'active';
    return s <= 4 ? 'quiet' : 'silent';
  }

  /**
   * E[X^2] / E[X] of the non-zero sizes: the variance-to-mean ratio of a compound Poisson demand with these
   * sizes (1 for unit sales, about the size for lumpy ones). It gives each series its own dispersion.
   */
  sizeIndex(): number {
    return this.sum > 0 ? this.sumSq / this.sum : 1;
  }

  group(): string {
    return `${this.demandClass()}/${this.staleness()}`;
  }
}

/** The statistics of a whole history. */
export function statsOf(history: ArrayLike<number>): RunningStats {
  const s = new RunningStats();
  for (let t = 0; t < history.length; t++) s.push(history[t]);
  return s;
}

/** Groups and their fallbacks, most specific first: class x staleness, then the class, then everything. */
export function fallbacks(group: string): string[] {
  return [group, group.split('/')[0], '*'];
}
