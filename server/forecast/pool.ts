/**
 * A small worker-thread pool for the CLI and the benchmarks: runs partitions (big ones split into chunks
 * of whole series) on all cores, in output order, and reassembles results in partition order (or hands
 * each chunk to onChunk as it completes, so the output can be streamed).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { JobConfig } from '../contract/dto.js';
import { mergePartitionMetrics } from './combine.js';
import { splitPartition } from './split.js';
import { InputError, type PartitionInput, type PartitionResult } from './types.js';

export interface RunOptions {
  threads?: number;
  /** Overall fraction done (by partition weight). */
  onProgress?: (fraction: number, stage: string) => void;
  /**
   * Receives each chunk's result as it completes, with the chunk's index in output order (partition, then
   * series), to write it (OrderedOutput writes in order and then empties the result's csv).
   */
  onChunk?: (k: number, result: PartitionResult) => Promise<void> | void;
}

/** The worker file next to this one; under tsx (sources) the worker needs the tsx loader too. */
function newWorker(): Worker {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) return new Worker(new URL('./worker-tsx.mjs', here));
  return new Worker(new URL('./worker.js', here));
}

/** Forecasts every partition on a pool of threads; returns one result per partition, in order. */
export async function runPartitions(parts: PartitionInput[], context: unknown, config: JobConfig, opts: RunOptions = {}): Promise<PartitionResult[]> {
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const tasks: { part: number; seq: number; input: PartitionInput }[] = [];
  const total = parts.reduce((s, p) => s + p.weight, 0) || 1;
  parts.forEach((p, i) => {
    const chunks = splitPartition(p, p.weight > total / threads / 2 ? Math.max(threads * 2, 2) : 1);
    chunks.forEach((c, seq) => tasks.push({ part: i, seq, input: c }));
  });
  const done = new Array<number>(tasks.length).fill(0);
  const results = new Array<PartitionResult | undefined>(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(threads, tasks.length) }, newWorker);
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      const start = () => {
        if (next >= tasks.length) { resolve(); return; }
        const id = next++;
        w.postMessage({ id, input: tasks[id].input, context, config });
      };
      w.on('message', (m: { id: number; progress?: { done: number; total: number; stage: string }; result?: PartitionResult; error?: { name: string; message: string; code?: string } }) => {
        const t = tasks[m.id];
        if (m.progress) {
          done[m.id] = (t.input.weight * m.progress.done) / Math.max(1, m.progress.total);
          opts.onProgress?.(done.reduce((s, x) => s + x, 0) / total, m.progress.stage);
        } else if (m.error) {
          reject(m.error.name === 'InputError' ? new InputError(m.error.code as never, m.error.message) : new Error(m.error.message));
        } else {
          results[m.id] = m.result;
          if (opts.onChunk && m.result) Promise.resolve(opts.onChunk(m.id, m.result)).catch(reject);
          done[m.id] = t.input.weight;
          opts.onProgress?.(done.reduce((s, x) => s + x, 0) / total, 'forecasting');
          start();
        }
      });
      w.on('error', reject);
      start();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // reassemble: tasks are in output order (partition, then chunk)
  const byPart = parts.map((p) => ({ site: p.site, rows: 0, csv: [] as string[], metrics: [] as unknown[] }));
  for (let i = 0; i < tasks.length; i++) {
    const r = results[i]!, b = byPart[tasks[i].part];
    b.rows += r.rows; b.csv.push(r.csv); b.metrics.push(r.metrics);
  }
  return byPart.map((b) => ({ site: b.site, rows: b.rows, csv: b.csv.join(''), metrics: mergePartitionMetrics(b.metrics) }));
}
