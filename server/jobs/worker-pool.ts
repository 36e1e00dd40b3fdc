/**
 * The Tinypool worker-thread pool, with what Tinypool does not track for us: tasks in flight and
 * "thread gone" (the task's MessagePort closes on our side when its thread ends or the task returns).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Tinypool } from 'tinypool';
import type { WorkerMessage, WorkerResult, WorkerTask } from '../workers/protocol.js';

export interface PoolOptions {
  threads: number;
  /** Threads kept alive when idle (default: all). */
  minThreads?: number;
  /** Per-thread heap limit; unset: Node's default (the CLI's choice). */
  maxOldGenerationSizeMb?: number;
  /** A worker module implementing the protocol (tests pass fixture workers); default: the forecast worker. */
  workerFile?: string;
}

const TS_BOOTSTRAP = fileURLToPath(new URL('../workers/ts-bootstrap.mjs', import.meta.url));

/**
 * The compiled .js worker in production; in dev and tests the .ts source, loaded through a small
 * bootstrap that registers tsx inside the thread.
 */
function resolveWorkerFile(explicit?: string): { filename: string; workerData?: { tsEntry: string } } {
  const file = explicit ?? fileURLToPath(new URL('../workers/forecast.worker.js', import.meta.url));
  const ts = file.replace(/\.js$/, '.ts');
  if (!file.endsWith('.ts') && existsSync(file)) return { filename: file };
  if (existsSync(ts)) return { filename: TS_BOOTSTRAP, workerData: { tsEntry: ts } };
  throw new Error(`worker module not found: ${file}`);
}

type TaskInput = WorkerTask extends infer T ? (T extends WorkerTask ? Omit<T, 'port'> : never) : never;
/** The answer a task of kind K comes back with when it succeeds. */
export type ResultOf<K extends WorkerTask['kind']> = Extract<WorkerResult, { kind: K }>;

/** The engine refused the task's input (an expected failure, a value across the thread): its code and words. */
export class WorkerInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerInputError';
  }
}

/** The task ran past its time limit and was stopped (its thread terminated). */
export class WorkerTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the worker task took longer than ${timeoutMs} ms and was stopped`);
    this.name = 'WorkerTimeoutError';
  }
}

export interface CallOptions {
  /** Stops the task when it has run this long (WorkerTimeoutError). */
  timeoutMs: number;
  /** The caller's own cancellation (Delete, shutdown): the task's AbortError is thrown as it is. */
  signal?: AbortSignal;
}

export class WorkerPool {
  readonly threads: number;
  private readonly pool: Tinypool;
  private inFlight = 0;

  constructor(opts: PoolOptions) {
    const { filename, workerData } = resolveWorkerFile(opts.workerFile);
    this.threads = opts.threads;
    this.pool = new Tinypool({
      filename,
      workerData,
      minThreads: opts.minThreads ?? opts.threads,
      maxThreads: opts.threads,
      idleTimeout: opts.minThreads === 0 ? 60_000 : 0,
      ...(opts.maxOldGenerationSizeMb
        ? { resourceLimits: { maxOldGenerationSizeMb: opts.maxOldGenerationSizeMb } }
        : {}),
    });
  }

  /**
   * Runs one task. `onMessage` gets its progress and log lines; `closed` resolves when the task's
   * thread has let go of the port (returned, or was terminated by an abort).
   */
  run(
    task: TaskInput,
    signal: AbortSignal,
    onMessage: (m: WorkerMessage) => void,
  ): { result: Promise<WorkerResult>; closed: Promise<void> } {
    const { port1, port2 } = new MessageChannel();
    const closed = new Promise<void>((resolve) => port1.once('close', () => resolve()));
    port1.on('message', onMessage);
    this.inFlight++;
    const result = (
      this.pool.run({ ...task, port: port2 } as WorkerTask, {
        signal,
        transferList: [port2 as MessagePort],
      }) as Promise<WorkerResult>
    ).finally(() => {
      this.inFlight--;
      // A task aborted while still queued never reached a thread: close our side ourselves.
      setImmediate(() => port1.close());
    });
    return { result, closed };
  }

  /**
   * Runs one task that reports nothing along the way and returns its answer, typed by the task's kind.
   * Settles only once the task's thread has let go of its files (returned, or terminated by an abort), so
   * a caller may remove or rename what the task wrote. Throws WorkerInputError for the engine's expected
   * refusals, WorkerTimeoutError past timeoutMs, the AbortError when opts.signal stopped it, and an Error
   * for an answer of another kind.
   */
  async call<T extends TaskInput>(task: T, opts: CallOptions): Promise<ResultOf<T['kind']>> {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const { result, closed } = this.run(task, signal, () => undefined);
    try {
      const r = await result.catch((err: unknown) => {
        if (timeout.aborted && !opts.signal?.aborted) throw new WorkerTimeoutError(opts.timeoutMs);
        throw err;
      });
      if (r.kind === 'input-error') throw new WorkerInputError(r.code, r.message);
      if (r.kind !== task.kind) throw new Error(`unexpected worker answer ${r.kind} to a ${task.kind} task`);
      return r as ResultOf<T['kind']>;
    } finally {
      await closed;
    }
  }

  stats(): { threads: number; busy: number; queued: number } {
    const queued = this.pool.queueSize;
    return { threads: this.threads, busy: Math.max(0, this.inFlight - queued), queued };
  }

  /** Live worker threads right now (Tinypool replaces terminated ones). */
  get liveThreads(): number {
    return this.pool.threads.length;
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}
