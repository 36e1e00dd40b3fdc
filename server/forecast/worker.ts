/**
 * Worker-thread entry for the engine's own pool (pool.ts, used by the CLI and the benchmarks). Receives
 * { id, input, context, config } messages and answers { id, progress } … then { id, result } or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import type { JobConfig } from '../contract/dto.js';
import { forecastPartition } from './partition.js';
import type { PartitionInput } from './types.js';

export interface TaskMessage { id: number; input: PartitionInput; context: unknown; config: JobConfig }

parentPort?.on('message', (msg: TaskMessage) => {
  let last = 0;
  try {
    const result = forecastPartition(msg.input, msg.context, msg.config, {
      progress(done, total, stage) {
        const now = Date.now();
        if (now - last < 100 && done < total) return;
        last = now;
        parentPort!.postMessage({ id: msg.id, progress: { done, total, stage } });
      },
      shouldStop: () => false,
    });
    parentPort!.postMessage({ id: msg.id, result });
  } catch (e) {
    const err = e as Error & { code?: string };
    parentPort!.postMessage({ id: msg.id, error: { name: err.name, message: err.message, code: err.code } });
  }
});
