/**
 * A token bucket per socket: a burst of commands is fine (a page subscribing to the jobs it shows),
 * a flood is answered RATE_LIMITED without touching the database, so one viewer cannot slow others.
 */
export interface BucketOptions {
  /** Commands a socket may send at once. */
  burst: number;
  /** Commands per second it earns back. */
  perSecond: number;
}

export const SOCKET_COMMANDS: BucketOptions = { burst: 60, perSecond: 20 };

export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly opts: BucketOptions = SOCKET_COMMANDS) {
    this.tokens = opts.burst;
  }

  /** Takes one token; false when there is none left. */
  take(): boolean {
    const t = performance.now();
    this.tokens = Math.min(this.opts.burst, this.tokens + ((t - this.last) / 1000) * this.opts.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
