/**
 * WorkerPool.call on real worker threads: the answer typed by the task's kind, the engine's refusals as
 * WorkerInputError, a time limit as WorkerTimeoutError, the caller's own abort as it is, and no thread left
 * holding a task once call() has settled.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerInputError, WorkerPool, WorkerTimeoutError } from '../../server/jobs/worker-pool.js';

let pool: WorkerPool;
let dir: string;
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const preview = (filePath: string) =>
  ({ kind: 'preview', filePath, originalName: path.basename(filePath), date_format: 'auto' }) as const;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sparecast-pool-call-'));
  pool = new WorkerPool({ threads: 1 });
});
afterAll(async () => {
  await pool.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('WorkerPool.call', () => {
  it("returns the answer of the task's kind", async () => {
    const f = file('ok.csv', 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n2,2024-01-02,P2,B\n');
    const r = await pool.call(preview(f), { timeoutMs: 60_000 });
    expect(r.kind).toBe('preview');
    expect(r.preview.sites).toEqual(['A', 'B']);
    expect(pool.stats().busy).toBe(0);
  });

  it("throws the engine's refusal as a WorkerInputError with its code", async () => {
    const f = file('bad.csv', 'what,ever\n1,2\n');
    const err = await pool.call(preview(f), { timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerInputError);
    expect((err as WorkerInputError).code).toMatch(/^[A-Z_]+$/);
  });

  it('stops a task past its time limit with a WorkerTimeoutError', async () => {
    const rows = Array.from(
      { length: 200_000 },
      (_, i) => `${i % 7},2024-01-${String((i % 28) + 1).padStart(2, '0')},P${i},S${i % 13}`,
    );
    const f = file('big.csv', `demand_qty,date,partnumber,site_code\n${rows.join('\n')}\n`);
    const err = await pool.call(preview(f), { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerTimeoutError);
    expect(pool.stats().busy).toBe(0);
    // the pool is usable afterwards
    const ok = file('ok2.csv', 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n');
    expect((await pool.call(preview(ok), { timeoutMs: 60_000 })).preview.sites).toEqual(['A']);
  });

  it("passes the caller's own abort through as an AbortError, not a timeout", async () => {
    const f = file('ok3.csv', 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n');
    const ctl = new AbortController();
    ctl.abort();
    const err = await pool.call(preview(f), { timeoutMs: 60_000, signal: ctl.signal }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(WorkerTimeoutError);
    expect((err as Error).name).toBe('AbortError');
  });
});
