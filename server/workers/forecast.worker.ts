/**
 * Thin worker entry: runs one engine call and reports over the task's MessagePort.
 */
import {
  engine,
  forecastValueAdded,
  InputError,
  planRecords,
  readOverridesFile,
  replanFromInputs,
  StopRequested,
  trackJob,
  writePlanXlsx,
  writeTableXlsx,
} from '../forecast/index.js';
import { writeFile } from 'node:fs/promises';
import type { EngineStep } from '../contract/stages.js';
import { storageProblem } from '../storage/errors.js';
import type { WorkerMessage, WorkerResult, WorkerTask } from './protocol.js';

const PROGRESS_EVERY_MS = 50;
const HEARTBEAT_EVERY_MS = 1000;

export default async function runTask(task: WorkerTask): Promise<WorkerResult> {
  let last = 0;
  let beat = Date.now();
  const post = (m: WorkerMessage) => task.port.postMessage(m);
  const heartbeat = () => {
    const now = Date.now();
    if (now - beat < HEARTBEAT_EVERY_MS) return;
    beat = now;
    post({ type: 'heartbeat' });
  };
  const progress = (done: number, total: number, stage: EngineStep) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS && done < total) return;
    last = now;
    post({ type: 'progress', done, total, stage });
  };
  try {
    if (task.kind === 'load') {
      const onRead = (f: number) => progress(f, 1, 'reading');
      const prepared = await engine.loadDemand(task.filePath, task.originalName, task.config, onRead, task.parts, {
        plan: task.plan,
        overrides: task.overrides,
      });
      for (const w of prepared.warnings) post({ type: 'log', level: 'warn', msg: w });
      return { kind: 'load', prepared };
    }
    if (task.kind === 'preview') {
      return {
        kind: 'preview',
        preview: await engine.previewDemand(task.filePath, task.originalName, {
          date_format: task.date_format,
          parts: task.parts,
        }),
      };
    }
    if (task.kind === 'series-index') {
      return { kind: 'series-index', ...(await engine.writeSeriesIndex(task.request)) };
    }
    if (task.kind === 'plan-xlsx') {
      return { kind: 'plan-xlsx', rows: await writePlanXlsx(task.outFile, planRecords(task.planFile), task.job) };
    }
    if (task.kind === 'table-xlsx') return { kind: 'table-xlsx', rows: await writeTableXlsx(task.outFile, task.table) };
    if (task.kind === 'replan') return { kind: 'replan', result: await replanFromInputs(task.request) };
    if (task.kind === 'track') {
      const { summary: own, labels, rows } = await trackJob(task.request);
      // with the job's forecast overrides: their value added, judged on the same rows
      const summary = task.fva ? { ...own, fva: rows ? await forecastValueAdded(rows, task.fva) : null } : own;
      if (task.outFile) await writeFile(task.outFile, JSON.stringify({ source: task.source, summary, labels, rows }));
      return { kind: 'track', summary, labels, rows };
    }
    if (task.kind === 'overrides-file')
      return { kind: 'overrides-file', rows: await readOverridesFile(task.filePath, task.originalName, task.today) };
    const flag = new Int32Array(task.stop);
    const result = engine.forecastPartition(task.input, task.context, task.config, {
      progress,
      // Polled between small batches of series: also the place to say "still alive".
      shouldStop: () => {
        heartbeat();
        return Atomics.load(flag, 0) !== 0;
      },
    });
    return { kind: 'partition', result };
  } catch (err) {
    if (err instanceof InputError) return { kind: 'input-error', code: err.code, message: err.message };
    if (err instanceof StopRequested) return { kind: 'stopped' };
    // an error crosses to the main thread with its message and cause only: a full disk must stay one
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code && storageProblem(err)) throw Object.assign(new Error((err as Error).message), { cause: { code } });
    throw err;
  } finally {
    task.port.close();
  }
}
