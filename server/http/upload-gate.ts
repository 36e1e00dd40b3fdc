/**
 * At most a few uploads are checked at once: each check inflates a workbook and reads its head, and six
 * hostile workbooks checked together used to take gigabytes and stall the event loop. Others wait a
 * little for a slot, then get a 429 that says to try again; a request abandoned while waiting or while
 * being checked gives its slot back at once.
 */
import { AppError } from '../contract/errors.js';

export interface UploadGate {
  /** Waits for a slot (throws AppError 429 after `waitMs`, or when `signal` aborts); returns its release. */
  acquire(signal: AbortSignal): Promise<() => void>;
  readonly active: number;
}

export function createUploadGate(slots: number, waitMs: number): UploadGate {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    get active() {
      return active;
    },
    async acquire(signal) {
      if (signal.aborted) throw abandoned();
      if (active < slots) {
        active++;
        return once(release);
      }
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const drop = (err: AppError) => {
          waiting.splice(waiting.indexOf(grant), 1);
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          reject(err);
        };
        const onAbort = () => drop(abandoned());
        const timer = setTimeout(
          () =>
            drop(
              new AppError(
                429,
                'RATE_LIMITED',
                `The server is checking ${slots} other uploads right now. Wait a few seconds and upload the file again.`,
              ),
            ),
          waitMs,
        );
        signal.addEventListener('abort', onAbort);
        waiting.push(grant);
      });
      // The slot was handed over by release(): `active` already counts it.
      return once(release);
    },
  };
}

/** The answer to a request whose client went away (nobody reads it; it ends the work). */
export function abandoned(): AppError {
  return new AppError(400, 'BAD_REQUEST', 'The upload was abandoned by the client before it was checked.');
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
