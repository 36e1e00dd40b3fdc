/**
 * The jobs waiting for a free slot, in order, and who may add one: MAX_QUEUED waiting in all and
 * MAX_QUEUED_PER_USER per owner (null owner = the single AUTH=off user), counting creates still writing
 * their row. The service decides when a job leaves it to run.
 */
import { AppError } from '../contract/errors.js';
import type { JobRepo } from './job.repo.js';

export interface QueueLimits {
  maxQueuedPerUser: number;
  maxQueued: number;
}

export class JobQueue {
  private readonly ids: string[] = [];
  /** Owner id of each waiting job ('' = none), and slots taken by creates still writing their row. */
  private readonly owners = new Map<string, string>();
  private readonly reserved: string[] = [];

  constructor(
    private readonly repo: JobRepo,
    private readonly limits: QueueLimits,
  ) {}

  get length(): number {
    return this.ids.length;
  }

  /** 1-based place in the queue; null when not waiting. */
  position(id: string): number | null {
    const i = this.ids.indexOf(id);
    return i < 0 ? null : i + 1;
  }

  /** The waiting ids, in order. */
  list(): string[] {
    return [...this.ids];
  }

  /**
   * Takes a slot for a new job of `owner`, or QUEUE_FULL; returns its release (call it once the row is
   * written or has failed). Taken synchronously after the check, so creates racing cannot overshoot.
   */
  async reserve(owner: string): Promise<() => void> {
    await this.learnOwners();
    this.checkRoom(owner);
    this.reserved.push(owner);
    return () => this.reserved.splice(this.reserved.indexOf(owner), 1);
  }

  /** A created job joins the end. */
  push(id: string, owner: string): void {
    this.ids.push(id);
    this.owners.set(id, owner);
  }

  /** Jobs queued at boot (their owners are read on the next reserve). */
  enqueue(ids: string[]): void {
    for (const id of ids) if (!this.ids.includes(id)) this.ids.push(id);
  }

  /** The next job to run. */
  shift(): string | undefined {
    const id = this.ids.shift();
    if (id !== undefined) this.owners.delete(id);
    return id;
  }

  remove(id: string): void {
    const i = this.ids.indexOf(id);
    if (i >= 0) this.ids.splice(i, 1);
    this.owners.delete(id);
  }

  clear(): void {
    this.ids.length = 0;
    this.owners.clear();
  }

  /** QUEUE_FULL when a new job of `owner` would pass MAX_QUEUED_PER_USER or MAX_QUEUED. */
  private checkRoom(owner: string): void {
    const total = this.ids.length + this.reserved.length;
    if (total >= this.limits.maxQueued)
      throw new AppError(
        429,
        'QUEUE_FULL',
        `${total} jobs are already waiting in the queue, the most this server takes (MAX_QUEUED=${this.limits.maxQueued}). ` +
          'Try again when some have started.',
      );
    let mine = this.reserved.filter((o) => o === owner).length;
    for (const id of this.ids) if (this.owners.get(id) === owner) mine++;
    if (mine >= this.limits.maxQueuedPerUser)
      throw new AppError(
        429,
        'QUEUE_FULL',
        `You already have ${mine} jobs waiting in the queue, the most one person may have ` +
          `(MAX_QUEUED_PER_USER=${this.limits.maxQueuedPerUser}). Wait for some to start, or stop some.`,
      );
  }

  /** Owners of jobs queued at boot (enqueue gets only ids), read once. */
  private async learnOwners(): Promise<void> {
    const unknown = this.ids.filter((id) => !this.owners.has(id));
    for (const id of unknown) {
      const owner = (await this.repo.find(id))?.owner?.id ?? '';
      if (this.ids.includes(id)) this.owners.set(id, owner);
    }
  }
}
