/**
 * Failed sign-ins counted per (user name, address) pair, whether or not the name exists: the answer
 * (401, then 423) is the same for every name, so it tells nobody which accounts exist, and someone at
 * another address cannot lock a person out. Each further lock of a pair lasts twice as long (at most
 * 64× LOCKOUT_FOR); a good sign-in from that address clears it. Kept in memory, bounded.
 */
export interface LockoutOptions {
  /** Failures in a row that lock the pair. */
  threshold: number;
  /** The first lock's length. */
  lockMs: number;
  /** Pairs remembered at most (the oldest go first). */
  maxPairs?: number;
}

interface Pair {
  failures: number;
  /** Locks so far; the next lasts lockMs × 2^locks. */
  locks: number;
  until: number;
}

const MAX_DOUBLINGS = 6;

export class Lockout {
  private readonly pairs = new Map<string, Pair>();

  constructor(private readonly opts: LockoutOptions) {}

  private key(username: string, ip: string | null): string {
    return JSON.stringify([username, ip ?? '']);
  }

  /** Until when (ms epoch) the pair is locked, or null. */
  lockedUntil(username: string, ip: string | null, now = Date.now()): number | null {
    const p = this.pairs.get(this.key(username, ip));
    return p && p.until > now ? p.until : null;
  }

  /** Records a failure; returns the lock's end when this failure locked the pair. */
  fail(username: string, ip: string | null, now = Date.now()): number | null {
    const k = this.key(username, ip);
    const p = this.pairs.get(k) ?? { failures: 0, locks: 0, until: 0 };
    this.pairs.delete(k); // re-inserted last: the Map's order is the eviction order
    p.failures++;
    let locked: number | null = null;
    if (p.failures >= this.opts.threshold) {
      p.until = now + this.opts.lockMs * 2 ** Math.min(p.locks, MAX_DOUBLINGS);
      p.locks++;
      p.failures = 0;
      locked = p.until;
    }
    this.pairs.set(k, p);
    this.evict(now);
    return locked;
  }

  /** A good sign-in from this address. */
  clear(username: string, ip: string | null): void {
    this.pairs.delete(this.key(username, ip));
  }

  /** A password reset: every address may try again. */
  clearUser(username: string): void {
    for (const k of this.pairs.keys()) if ((JSON.parse(k) as string[])[0] === username) this.pairs.delete(k);
  }

  private evict(now: number): void {
    const max = this.opts.maxPairs ?? 10_000;
    if (this.pairs.size <= max) return;
    for (const [k, p] of this.pairs) if (p.until <= now && this.pairs.size > max) this.pairs.delete(k);
    for (const k of this.pairs.keys()) if (this.pairs.size > max) this.pairs.delete(k);
  }
}
