/**
 * BIAS_DRIFT on slow movers: the tracking signal's MAD has a floor of BIAS_DRIFT_MAD_FLOOR × √Σ forecast, so a
 * slow mover whose few sales are what its forecast said is not flagged (the plain signal was below −4), while a
 * series selling three times its forecast is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { BIAS_DRIFT_LIMIT } from '../../../server/contract/tracking.js';
import { trackJob } from '../../../server/forecast/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-tracking-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: string[]) => {
  const f = path.join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
};
const month = (k: number) => new Date(Date.UTC(2019, k, 1)).toISOString().slice(0, 10);

// 24 months of history; SLOW sells 1 every 4 months, FAST 2 a month; a 12-month forecast of each
const hist = ['date,partnumber,site_code,demand_qty'];
for (let k = 0; k < 24; k++) {
  hist.push(`${month(k)},SLOW,S1,${k % 4 === 1 ? 1 : 0}`);
  hist.push(`${month(k)},FAST,S1,${2 + (k % 2)}`);
}
const fc = ['date,partnumber,site_code,forecast_qty,forecast_qty_raw,forecast_qty_raw_model'];
const act = ['date,partnumber,site_code,demand_qty'];
for (let k = 24; k < 36; k++) {
  fc.push(`${month(k)},SLOW,S1,0,0.25,0.25`, `${month(k)},FAST,S1,2,2.5,2.5`);
  // SLOW: one sale in the year where 3 were expected (well within Poisson noise); FAST: 3 times its forecast
  act.push(`${month(k)},SLOW,S1,${k === 30 ? 1 : 0}`, `${month(k)},FAST,S1,${7 + (k % 2)}`);
}

describe('the tracking signal of a slow mover', () => {
  it('flags real drift, not a slow mover selling what its forecast said', async () => {
    const { rows } = await trackJob({
      history: { uploadFile: file('h.csv', hist), originalName: 'h.csv', config: jobConfigSchema.parse({}) },
      outputFile: file('f.csv', fc),
      planFile: null,
      actualsFile: file('a.csv', act),
      actualsName: 'a.csv',
      rows: true,
    });
    const by = new Map(rows!.map((r) => [r.partnumber, r]));
    const slow = by.get('SLOW')!;
    const fast = by.get('FAST')!;
    expect(slow.error).toBeCloseTo(2, 6); // forecast 3, sold 1
    expect(Math.abs(slow.tracking_signal!)).toBeLessThan(BIAS_DRIFT_LIMIT);
    expect(slow.exceptions).not.toContain('BIAS_DRIFT');
    // without the floor: Σe / the smoothed MAD of a series that sells 1 in 4 months
    let mad = 0.5; // its history's mean |first difference|
    let sum = 0;
    for (let t = 0; t < 12; t++) {
      const e = (t === 6 ? 1 : 0) - 0.25;
      sum += e;
      mad = 0.1 * Math.abs(e) + 0.9 * mad;
    }
    expect(sum / mad).toBeLessThan(-BIAS_DRIFT_LIMIT);
    expect(fast.tracking_signal!).toBeGreaterThan(BIAS_DRIFT_LIMIT);
    expect(fast.exceptions).toContain('BIAS_DRIFT');
  });
});
