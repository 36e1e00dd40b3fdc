import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobConfig } from '../../../server/contract/dto.js';
import { engine } from '../../../server/forecast/index.js';
import { applySeason, phaseOf, seasonalIndices } from '../../../server/forecast/series/season.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(5);
const noisy = (v: number, cv: number) => v * (1 + cv * (2 * r() - 1));

describe('seasonalIndices (group profile from an aggregate)', () => {
  it('recovers a weekday pattern from a year of noisy daily totals, mean 1', () => {
    const pattern = [1.2, 1.1, 1.1, 1.0, 1.05, 1.0, 0.55].map(
      (v, _, a) => (v * a.length) / a.reduce((s, x) => s + x, 0),
    );
    const A = Float64Array.from({ length: 365 }, (_, t) => noisy(100 * pattern[t % 7], 0.2));
    const idx = seasonalIndices(A, 0, 7)!;
    expect(idx).not.toBeNull();
    idx.forEach((v, j) => expect(Math.abs(v - pattern[j])).toBeLessThan(0.05));
    expect(idx.reduce((s, x) => s + x, 0) / 7).toBeCloseTo(1, 9);
  });
  it('aligns phases on the absolute period, not on the start of the data', () => {
    const A = Float64Array.from({ length: 140 }, (_, t) => ((t + 3) % 7 === 0 ? 10 : 100));
    const idx = seasonalIndices(A, 3, 7)!;
    expect(idx.indexOf(Math.min(...idx))).toBe(0); // periods 3 + t with (t + 3) % 7 === 0 are phase 0
  });
  it('finds no season in noise, nor in a trend', () => {
    const flat = Float64Array.from({ length: 730 }, () => noisy(50, 0.3));
    const f = seasonalIndices(flat, 0, 7);
    if (f) f.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(0.03));
    const trend = Float64Array.from({ length: 48 }, (_, t) => 100 + 5 * t);
    const g = seasonalIndices(trend, 0, 12);
    if (g) g.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(0.05));
  });
  it('needs a phase seen twice, and every phase seen', () => {
    expect(
      seasonalIndices(
        Float64Array.from({ length: 12 }, (_, t) => 10 + t),
        0,
        12,
      ),
    ).toBeNull();
    expect(seasonalIndices(new Float64Array(30), 0, 7)).toBeNull(); // no demand at all
  });
  it('shrinks a pattern seen once or twice more than one seen every week', () => {
    const month = [1, 1, 1, 1, 1, 1, 0.6, 1, 1, 1, 1, 1.4];
    const A = Float64Array.from({ length: 18 }, (_, t) => noisy(1000 * month[t % 12], 0.08));
    const idx = seasonalIndices(A, 0, 12);
    if (idx) {
      expect(idx[6]).toBeGreaterThan(0.6); // pulled toward 1
      expect(idx[6]).toBeLessThan(1);
    }
  });
  it('applySeason multiplies by the index of each period', () => {
    const f = Float64Array.from([2, 2, 2, 2]);
    applySeason(f, 5, [1, 0.5, 1.5]);
    expect([...f]).toEqual([2 * 1.5, 2 * 1, 2 * 0.5, 2 * 1.5]);
    expect(phaseOf(-1, 7)).toBe(6);
  });
});

describe('the automatic forecast follows the job’s weekday profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparecast-season-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 40 parts over 26 weeks, no demand on Sundays (the workshops are closed), intermittent otherwise
  const lines = ['demand_qty,date,partnumber,site_code'];
  const start = Date.UTC(2024, 0, 1); // a Monday
  for (let d = 0; d < 182; d++) {
    const day = new Date(start + d * 86400000);
    if (day.getUTCDay() === 0) continue;
    for (let p = 0; p < 40; p++)
      if (r() < 0.3) lines.push(`${1 + Math.floor(4 * r())},${day.toISOString().slice(0, 10)},P${p},S1`);
  }
  const path = join(dir, 'sundays.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const cfg = (method: string): JobConfig => ({
    forecast_horizon: 14,
    forecast_start_date: null,
    forecast_site_codes: [],
    date_format: 'auto',
    zero_threshold: 0,
    rounding_mode: 'half_up',
    frequency: null,
    method,
  });
  const run = async (method: string) => {
    const prep = await engine.loadDemand(path, path, cfg(method));
    const res = prep.partitions.map((p) =>
      engine.forecastPartition(p, prep.context, cfg(method), { progress() {}, shouldStop: () => false }),
    );
    const rows = res
      .map((x) => x.csv)
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => l.split(','));
    return { prep, rows };
  };

  it('auto: Sundays forecast at ~0, the week total kept; a named method stays flat', async () => {
    const { prep, rows } = await run('auto');
    expect(prep.notes.join(' ')).toMatch(/Weekday profile.*Sun 0\.0/);
    const ctx = prep.context;
    expect(ctx.season?.hold).not.toBeNull(); // estimated again without the holdout, for the holdout metrics
    const sun = rows.filter((x) => new Date(`${x[0]}T00:00:00Z`).getUTCDay() === 0).map((x) => Number(x[5]));
    const week = rows.filter((x) => new Date(`${x[0]}T00:00:00Z`).getUTCDay() !== 0).map((x) => Number(x[5]));
    expect(sun.length).toBe(2 * 40);
    expect(Math.max(...sun)).toBeLessThan(0.05 * (week.reduce((s, v) => s + v, 0) / week.length));
    const flat = await run('ma');
    expect(flat.prep.notes.filter((n) => /profile/.test(n))).toEqual([]); // no season note for a named method
    const p0 = flat.rows.filter((x) => x[1] === 'P0').map((x) => x[5]);
    expect(new Set(p0).size).toBe(1);
  });
});
