import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { canTransition, predecessors } from '../../../server/jobs/job.state.js';
import { Throttle } from '../../../server/jobs/throttle.js';
import { WriteQueue } from '../../../server/db/write-queue.js';
import { jobConfigSchema, normalizeStartDate } from '../../../server/contract/schemas.js';
import { cleanDisplayName, cleanFilename, storagePaths } from '../../../server/storage/paths.js';

describe('job state machine', () => {
  it('allows only the documented moves', () => {
    expect(canTransition('QUEUED', 'PROCESSING')).toBe(true);
    expect(canTransition('PROCESSING', 'CANCELLED')).toBe(true);
    expect(canTransition('COMPLETED', 'CANCELLED')).toBe(false);
    expect(canTransition('CANCELLED', 'QUEUED')).toBe(false);
    expect(canTransition('QUEUED', 'COMPLETED')).toBe(false);
    expect(predecessors('CANCELLED').sort()).toEqual(['PROCESSING', 'QUEUED']);
    expect(predecessors('COMPLETED')).toEqual(['PROCESSING']);
  });
});

describe('config', () => {
  it('parses env with defaults and names every bad variable', () => {
    const c = loadConfig({ PORT: '9000', STORAGE_DIR: '/tmp/x' });
    expect(c.PORT).toBe(9000);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.storageDir).toBe('/tmp/x');
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => loadConfig({ PORT: 'abc', WORKERS: '0' })).toThrow(/PORT[\s\S]*WORKERS/);
  });

  it('validates job config like the upload form', () => {
    const c = jobConfigSchema.parse({ forecast_horizon: '12', rounding_mode: 'round', forecast_site_codes: 'A, B,A' });
    expect(c).toMatchObject({
      forecast_horizon: 12,
      rounding_mode: 'half_even',
      forecast_site_codes: ['A', 'B'],
      zero_threshold: 0.5,
      date_format: 'auto',
    });
    expect(jobConfigSchema.safeParse({ zero_threshold: 11 }).success).toBe(false);
    // issue 21: cumulative rounding is the default and can be asked for; a config stored by an earlier
    // release (tests/fixtures/storage/v0.1.0) still reads with the mode it ran with
    expect(jobConfigSchema.parse({}).rounding_mode).toBe('cumulative');
    expect(jobConfigSchema.parse({ rounding_mode: 'cumulative' }).rounding_mode).toBe('cumulative');
    const stored =
      '{"forecast_horizon":7,"forecast_start_date":null,"forecast_site_codes":[],"date_format":"auto",' +
      '"zero_threshold":0.5,"rounding_mode":"half_up","frequency":null,"method":"auto"}';
    expect(jobConfigSchema.parse(JSON.parse(stored)).rounding_mode).toBe('half_up');
    expect(jobConfigSchema.safeParse({ rounding_mode: 'nearest' }).error?.issues[0]?.message).toMatch(/cumulative/);
    expect(jobConfigSchema.safeParse({ forecast_horizon: 0 }).success).toBe(false);
    expect(normalizeStartDate('05/08/2024')).toBe('2024-08-05');
    expect(normalizeStartDate('2024-02-29')).toBe('2024-02-29');
    expect(normalizeStartDate('2023-02-29')).toBeNull();
    expect(normalizeStartDate('2024-08-05T10:00:00Z')).toBe('2024-08-05');
  });
});

describe('storage names', () => {
  it('never lets a user name reach the file system', () => {
    const p = storagePaths('/s');
    expect(() => p.upload('../etc/passwd')).toThrow();
    expect(() => p.output('.hidden')).toThrow();
    expect(p.upload('abc.csv')).toBe('/s/uploads/abc.csv');
    expect(cleanFilename('..\\..\\evil/dir/na\u0000me.csv')).toBe('name.csv');
  });

  it('strips the bidi controls that make a name read differently from what it is', () => {
    // Shown as "invoiceexe.csv" while it ends in .exe.
    expect(cleanFilename('invoice\u202Evsc.exe')).toBe('invoicevsc.exe');
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F';
    expect(cleanFilename(`a${all}b.csv`)).toBe('ab.csv');
    expect(cleanDisplayName(`\u2067 nightly ${all}build\u2069 `)).toBe('nightly build');
    // Other scripts and joiners stay.
    expect(cleanFilename('permintaan-\u0645\u062B\u0627\u0644-\u200Dx.csv')).toBe(
      'permintaan-\u0645\u062B\u0627\u0644-\u200Dx.csv',
    );
  });
});

describe('write queue and throttle', () => {
  it('runs writes one at a time in order, a failure rejecting only its caller', async () => {
    const q = new WriteQueue();
    const order: number[] = [];
    let concurrent = 0;
    let max = 0;
    const job = (n: number, fail = false) =>
      q.run(async () => {
        concurrent++;
        max = Math.max(max, concurrent);
        await new Promise((r) => setTimeout(r, 5));
        order.push(n);
        concurrent--;
        if (fail) throw new Error('boom');
        return n;
      });
    const results = await Promise.allSettled([job(1), job(2, true), job(3)]);
    expect(order).toEqual([1, 2, 3]);
    expect(max).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('throttles to one call per interval and delivers the trailing call', async () => {
    let calls = 0;
    const t = new Throttle(50, () => calls++);
    for (let i = 0; i < 20; i++) t.call();
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(calls).toBe(2);
    t.call();
    t.cancel();
    await new Promise((r) => setTimeout(r, 80));
    expect(calls).toBe(2);
  });
});
