/**
 * JobReplan without a real pool: one re-plan per job at a time, and a Delete (forget) that cancels one in
 * flight leaves the plan as it was and no temp file, whenever it lands.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AppError } from '../../../server/contract/errors.js';
import type { Job } from '../../../server/jobs/job.js';
import { JobReplan } from '../../../server/jobs/results/job-replan.js';
import type { JobService } from '../../../server/jobs/job.service.js';
import { WorkerPool } from '../../../server/jobs/worker-pool.js';
import type { StoragePaths } from '../../../server/storage/paths.js';
import type { WorkerResult, WorkerTask } from '../../../server/workers/protocol.js';

const TOTALS = { series: 1, stockValue: 0, costed: 0, toOrder: 0, units: 0, short: 0, demand: 0 };
const ALLOCATION = {
  mode: 'service_level' as const,
  stockValue: 0,
  expectedFill: 1,
  costedFill: 1,
  costless: 0,
  belowFloors: false,
  unreachable: false,
  frontier: [],
  uniform: [],
};

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'replan-unit-'));
  const out = (n: string) => path.join(dir, n);
  writeFileSync(out('j1.plan.csv'), 'old plan\n');
  writeFileSync(out('j1.plan.csv.inputs'), '{}\n');
  let n = 0;
  const paths = {
    output: out,
    upload: out,
    tmpFile: (p: string) => out(`${p}-${n++}.part`),
  } as unknown as StoragePaths;
  const job = {
    id: 'j1',
    status: 'COMPLETED',
    upload_name: 'j1.csv',
    parts: null,
    output_name: 'j1.csv',
    plan_name: 'j1.plan.csv',
    config: {},
    metrics: null,
  } as unknown as Job;
  const saved: string[] = [];
  const jobs = {
    find: async () => job,
    replanned: async (id: string) => (saved.push(id), { id }),
  } as unknown as JobService;
  /** Each task writes its temp file, then waits for release() (or its abort). */
  const tasks: { release: () => void }[] = [];
  const pool = {
    // the real call() over this fake run(): its time limit, input errors and abort
    call: WorkerPool.prototype.call,
    run(task: Extract<WorkerTask, { kind: 'replan' }>, signal: AbortSignal) {
      writeFileSync(task.request.planFile!, 'new plan\n');
      let release!: () => void;
      const result = new Promise<WorkerResult>((resolve, reject) => {
        release = () =>
          resolve({
            kind: 'replan',
            result: {
              rows: 1,
              defaults: { L: 1, R: 1, target: 0.9 },
              overall: TOTALS,
              bySite: {},
              allocation: ALLOCATION,
            },
          });
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
      tasks.push({ release });
      return {
        result,
        closed: result.then(
          () => undefined,
          () => undefined,
        ),
      };
    },
  } as unknown as WorkerPool;
  return { dir, out, saved, tasks, r: new JobReplan(jobs, pool, paths) };
}

const untilTask = async (tasks: unknown[], n: number) => {
  while (tasks.length < n) await new Promise((r) => setTimeout(r, 1));
};

describe('JobReplan', () => {
  it('refuses a second re-plan of a job while one runs, and takes the next one after', async () => {
    const { r, tasks, out } = setup();
    const first = r.replan('j1', { service_level: 0.9 });
    expect(() => r.replan('j1', { service_level: 0.8 })).toThrowError(
      expect.objectContaining({ status: 409, code: 'REPLAN_BUSY' }) as unknown as AppError,
    );
    await untilTask(tasks, 1);
    tasks[0].release();
    expect((await first).service_level).toBe(0.9);
    expect(readFileSync(out('j1.plan.csv'), 'utf8')).toBe('new plan\n');
    const again = r.replan('j1', { service_level: 0.8 });
    await untilTask(tasks, 2);
    tasks[1].release();
    expect((await again).service_level).toBe(0.8);
  });

  it('forget() cancels one in flight: the old plan stays, no temp file, nothing saved', async () => {
    const { r, tasks, out, dir, saved } = setup();
    const p = r.replan('j1', { service_level: 0.99 });
    const settled = p.then(
      () => null,
      (e: unknown) => e,
    );
    await untilTask(tasks, 1);
    await r.forget('j1');
    expect(await settled).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect(readFileSync(out('j1.plan.csv'), 'utf8')).toBe('old plan\n');
    expect(readdirSync(dir).sort()).toEqual(['j1.plan.csv', 'j1.plan.csv.inputs']);
    expect(saved).toEqual([]);
  });

  it('a forget() that lands before the job was even read still cancels it', async () => {
    const { r, tasks, dir, saved } = setup();
    const p = r.replan('j1', {}).catch((e: unknown) => e);
    await r.forget('j1');
    expect(tasks).toEqual([]); // it never reached the pool
    expect(await p).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect(readdirSync(dir).sort()).toEqual(['j1.plan.csv', 'j1.plan.csv.inputs']);
    expect(saved).toEqual([]);
  });
});
