/**
 * Calls fn at most once per `ms`, always delivering the latest state on the trailing edge.
 */
export class Throttle {
  private last = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ms: number,
    private readonly fn: () => void,
  ) {}

  call(): void {
    if (this.timer) return;
    const wait = this.last + this.ms - Date.now();
    if (wait <= 0) return this.fire();
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  /** Fires now if a call is pending. */
  flush(): void {
    if (this.timer) this.fire();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.cancel();
    this.last = Date.now();
    this.fn();
  }
}
