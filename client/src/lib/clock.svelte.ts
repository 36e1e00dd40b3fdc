/// <reference types="svelte" />

/** A one-second clock for elapsed/ETA texts (a UI timer, not polling: nothing is fetched). */
export class Clock {
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | null = null;

  start(): void {
    this.timer ??= setInterval(() => (this.now = Date.now()), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
