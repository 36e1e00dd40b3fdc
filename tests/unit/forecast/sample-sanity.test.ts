/**
 * The sample's one-off order (issue 13, item 1): part 19601581769 at IEL-MU-SFI has one order of 4 units
 * (3 + 1) on the file's last day. It was forecast at ~0.64 a day (≈ 16 in 30 days), "smooth", with a
 * zero-width interval.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JobConfig } from '../../../server/contract/dto.js';
import { engine } from '../../../server/forecast/index.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../server/assets/sample-demand.csv');
const config: JobConfig = {
  forecast_horizon: 30,
  forecast_start_date: null,
  forecast_site_codes: ['IEL-MU-SFI'],
  date_format: 'auto',
  zero_threshold: 0,
  rounding_mode: 'half_up',
  frequency: null,
  method: 'auto',
};

describe('the sample’s one-off order', () => {
  it('is forecast at no more than its 4 units over 30 days, intermittent, with a real interval', async () => {
    const prep = await engine.loadDemand(SAMPLE, 'sample-demand.csv', config);
    const part = prep.partitions.find((p) => p.site === 'IEL-MU-SFI')!;
    const res = engine.forecastPartition(part, prep.context, config, { progress() {}, shouldStop: () => false });
    const rows = res.csv
      .split('\n')
      .filter((l) => l.startsWith(`${l.slice(0, 10)},19601581769,IEL-MU-SFI,`))
      .map((l) => l.split(','));
    expect(rows).toHaveLength(30);
    const total = rows.reduce((a, r) => a + Number(r[5]), 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(4);
    for (const r of rows) {
      expect(r[7]).not.toBe('smooth');
      if (Number(r[5]) > 0) expect(Number(r[9])).toBeGreaterThan(Number(r[8]));
    }
  }, 60_000);
});
