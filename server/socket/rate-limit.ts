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

/**
 * Refusals within one minute after which the connection is closed: no page sends that many, and
 * answering a flood one ack at a time is itself work for the event loop.
 */
export const DROP_AFTER_REFUSED = 500;
const REFUSAL_WINDOW_MS = 60_000;

export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  /** Commands refused in the current window (a token earned meanwhile does not reset it). */
  refused = 0;
  private windowStart = performance.now();

  constructor(private readonly opts: BucketOptions = SOCKET_COMMANDS) {
    this.tokens = opts.burst;
  }

  /** Takes one token; false when there is none left. */
  take(): boolean {
    const t = performance.now();
    this.tokens = Math.min(this.opts.burst, this.tokens + ((t - this.last) / 1000) * this.opts.perSecond);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    if (t - this.windowStart > REFUSAL_WINDOW_MS) {
      this.windowStart = t;
      this.refused = 0;
    }
    this.refused++;
    return false;
  }
}
