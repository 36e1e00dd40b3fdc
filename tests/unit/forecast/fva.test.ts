/**
 * Forecast value added (forecast/tracking/fva.ts): per overridden series the system forecast's (the re-plan
 * inputs' exact mean) and the final forecast's absolute error over the covered periods; by reason and person;
 * a warning when small upward adjustments made the error worse.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrackingRow } from '../../../server/contract/tracking.js';
import { planInputsLine } from '../../../server/forecast/output/plan-inputs.js';
import { forecastValueAdded } from '../../../server/forecast/tracking/fva.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-fva-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = JSON.stringify({
  kind: 'sparecast-plan-inputs',
  v: 1,
  freq: 'M',
  pooled: { groups: {}, calibration: {}, minWindows: 0, form: 'size' },
  settings: { defaults: { L: 1, R: 1, target: 0.95 }, parts: {} },
});
const key = (partnumber: string) => ({ partnumber, site: 'S', demandClass: 'smooth' });
const inputs = path.join(dir, 'plan.csv.inputs');
writeFileSync(
  inputs,
  `${header}\n` +
    planInputsLine(key('BIG'), [4, 4], [10, 10, 10, 10]) +
    planInputsLine(key('SMALL'), [4, 4], [4, 4, 4, 4]) +
    planInputsLine(key('PLAIN'), [4, 4], [4, 4, 4, 4]),
);
const row = (partnumber: string, forecast: number[], actual: number[]): TrackingRow =>
  ({ partnumber, site_code: 'S', forecast, actual }) as TrackingRow;

describe('forecast value added', () => {
  it('judges each overridden series against the system forecast, and warns of small upward ones that hurt', async () => {
    const rows = [
      row('BIG', [3, 3, 3], [2, 4, 3]), // 10 → 3: the system was 7 off a period, the override 0–1
      row('SMALL', [4.5, 4.5, 4.5], [4, 4, 4]), // 4 → 4.5: a small upward step, worse by 0.5 a period
      row('PLAIN', [4, 4, 4], [4, 4, 4]), // not overridden: not counted
    ];
    const fva = await forecastValueAdded(rows, {
      inputsFile: inputs,
      overrides: [
        { partnumber: 'BIG', site_code: '', value: 3, reason: 'mine closing', created_by: 'ana' },
        { partnumber: 'SMALL', site_code: 'S', value: 4.5, reason: 'gut feeling', created_by: 'budi' },
        { partnumber: 'SMALL', site_code: '', value: 9, reason: 'every site (the site’s own wins)', created_by: 'x' },
      ],
    });
    expect(fva).not.toBeNull();
    expect(fva!).toMatchObject({
      series: 2,
      improved: 1,
      worsened: 1,
      system_abs_error: 8 + 6 + 7,
      final_abs_error: 1 + 1 + 0 + 1.5,
      net_abs_error_change: 3.5 - 21,
    });
    expect(fva!.by_reason.map((g) => [g.reason, g.improved, g.worsened])).toEqual([
      ['mine closing', 1, 0],
      ['gut feeling', 0, 1],
    ]);
    expect(fva!.by_person.map((g) => [g.created_by, g.net_abs_error_change])).toEqual([
      ['ana', 2 - 21],
      ['budi', 1.5],
    ]);
    expect(fva!.small_upward).toMatchObject({ series: 1, worsened: 1, net_abs_error_change: 1.5 });
    expect(fva!.warnings).toEqual([
      expect.stringMatching(/^Small upward adjustments .* 1\.5 units worse over 1 series/),
    ]);
  });

  it('is null when no tracked series was overridden', async () => {
    const none = await forecastValueAdded([row('PLAIN', [4], [4])], {
      inputsFile: inputs,
      overrides: [{ partnumber: 'ELSE', site_code: '', value: 1, reason: 'why', created_by: null }],
    });
    expect(none).toBeNull();
  });
});
