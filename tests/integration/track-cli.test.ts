/**
 * `npm run track`: a forecast and plan made by `npm run forecast` on 40 carparts parts, held against their
 * later months from the shell: the summary (JSON) is score.mjs's, the per-series CSV agrees with it, bad input
 * exits 1 with the reason and bad usage 2.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingSummary } from '../../server/contract/tracking.js';
import { jobConfigSchema } from '../../server/contract/schemas.js';
import { trackJob } from '../../server/forecast/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHARED = path.resolve(ROOT, '../shared');
const dir = mkdtempSync(path.join(tmpdir(), 'sparecast-track-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (f: string) =>
  readFileSync(path.join(ROOT, 'tests/fixtures/tracking', f), 'utf8')
    .trimEnd()
    .split('\n');
const chosen = new Set(
  lines('carparts-parts.csv')
    .slice(101, 141)
    .map((l) => l.split(',')[0]),
);
function subset(f: string, col: number): string {
  const [head, ...rest] = lines(f);
  const file = path.join(dir, f);
  writeFileSync(file, `${[head, ...rest.filter((l) => chosen.has(l.split(',')[col]))].join('\n')}\n`);
  return file;
}
const train = subset('carparts-train.csv', 2);
const test = subset('carparts-test.csv', 1);
const parts = subset('carparts-parts.csv', 0);
const forecast = path.join(dir, 'forecast.csv');
const plan = path.join(dir, 'plan.csv');

async function run(cli: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'server/cli', cli), ...args],
      { cwd: ROOT, encoding: 'utf8' },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  const r = await run(
    'forecast.ts',
    ...['--input', train, '--output', forecast, '--horizon', '12', '--inventory', plan, '--parts', parts],
    ...['--threads', '1'],
  );
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('npm run track', () => {
  it('prints score.mjs figures and writes one row per series', async () => {
    const out = path.join(dir, 'tracking.csv');
    const r = await run(
      'track.ts',
      ...['--forecast', forecast, '--plan', plan, '--actuals', test, '--history', train, '--out', out, '--json'],
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as TrackingSummary;
    // the reference scorer where it is present (it lives outside the repository); else the engine run directly
    const ref = existsSync(path.join(SHARED, 'tools/score.mjs'))
      ? (JSON.parse(
          (
            await promisify(execFile)(
              process.execPath,
              [
                path.join(SHARED, 'tools/score.mjs'),
                '--train',
                train,
                '--test',
                test,
                '--forecast',
                forecast,
                '--json',
              ],
              { encoding: 'utf8' },
            )
          ).stdout,
        ) as Record<string, number>)
      : await (async () => {
          const { summary } = await trackJob({
            history: { uploadFile: train, originalName: 'train.csv', config: jobConfigSchema.parse({}) },
            outputFile: forecast,
            planFile: plan,
            actualsFile: test,
            actualsName: 'test.csv',
            rows: false,
          });
          return { rmsse: summary.accuracy.rmsse!, bias_pct: summary.accuracy.bias_pct! };
        })();
    expect(s.accuracy.rmsse).toBeCloseTo(ref.rmsse, 4);
    expect(s.accuracy.bias_pct).toBeCloseTo(ref.bias_pct, 2);
    expect(s.periods.count).toBe(12);

    const [header, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\n');
    const cols = header.split(',');
    expect(cols.slice(0, 3)).toEqual(['partnumber', 'site_code', 'demand_class']);
    expect(cols).toContain('forecast_2001-04-01');
    expect(cols).toContain('actual_2002-03-01');
    expect(rows).toHaveLength(s.series.total);
    const exc = cols.indexOf('exceptions');
    const count = (code: string) => rows.filter((l) => l.split(',')[exc].split('|').includes(code)).length;
    expect(count('DEMAND_ABOVE_PLAN')).toBe(s.exceptions.DEMAND_ABOVE_PLAN);
    expect(count('BIAS_DRIFT')).toBe(s.exceptions.BIAS_DRIFT);
    // each row's totals are its periods' sums
    const at = (c: string) => cols.indexOf(c);
    for (const l of rows.slice(0, 10)) {
      const v = l.split(',');
      const actual = cols.flatMap((c, i) => (c.startsWith('actual_2') ? [Number(v[i])] : []));
      expect(actual.reduce((a, b) => a + b, 0)).toBeCloseTo(Number(v[at('actual_total')]), 6);
    }
  });

  it('prints a readable summary; exits 1 with the reason on bad actuals, 2 on bad usage', async () => {
    const ok = await run('track.ts', '--forecast', forecast, '--plan', plan, '--actuals', test, '--history', train);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/accuracy +RMSSE [\d.]+/);
    expect(ok.stdout).toMatch(/service +\d+ series: cycle service promised/);
    const bad = await run('track.ts', '--forecast', forecast, '--actuals', train, '--history', train);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no demand dated after/);
    const usage = await run('track.ts', '--actuals', test);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--forecast is required/);
  });
});
