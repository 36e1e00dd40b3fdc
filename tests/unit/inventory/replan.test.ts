/**
 * replanFromInputs on a small inputs file: new defaults apply where the parts file has no value, a part's
 * own service level and lead time win, and a damaged file is a readable INVALID_INPUT.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitPooled } from '../../../server/forecast/inventory/index.js';
import { planInputsHeader, planInputsLine } from '../../../server/forecast/output/plan-inputs.js';
import { PLAN_HEADER } from '../../../server/forecast/output/plan-write.js';
import { fileLines, floorOf, replanFromInputs } from '../../../server/forecast/output/replan.js';
import type { PlanSettings } from '../../../server/forecast/inventory/settings.js';

const dir = mkdtempSync(path.join(tmpdir(), 'replan-engine-'));
const hist = (k: number) =>
  Float64Array.from({ length: 200 }, (_, i) => ((i * (k + 3)) % (k + 4) === 0 ? 1 + (i % 3) : 0));
const histories = [0, 1, 2, 3].map(hist);
const pooled = fitPooled(histories, { periods: [8, 15, 31] });

// P1 everywhere: its own level and lead time; P2 at A: its own cost only
const PARTS: PlanSettings['parts'] = { 'P1\u0001': { target: 0.8, L: 14 }, 'P2\u0001A': { unitCost: 2 } };

function inputsFile(name: string, extra = '', parts = PARTS): string {
  const settings = { defaults: { L: 7, R: 1, target: 0.95 }, parts };
  const backtest = { target: 0.95, coverage: null, spl: null, byLevel: [], windows: 0, fitWindows: 0 };
  const lines = [`${planInputsHeader('D', { pooled, settings, backtest })}\n`];
  ['P1', 'P2'].forEach((p, k) =>
    lines.push(planInputsLine({ partnumber: p, site: 'A', demandClass: 'lumpy' }, histories[k], [0.4, 0.5, 0.3])),
  );
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('') + extra);
  return file;
}

const rowsOf = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => Object.fromEntries(PLAN_HEADER.split(',').map((c, i) => [c, l.split(',')[i]])));

describe('replanFromInputs', () => {
  it('applies the new defaults only where the parts file gives no value', async () => {
    const out = path.join(dir, 'plan-1.csv');
    const r = await replanFromInputs({
      inputsFile: inputsFile('a.inputs'),
      planFile: out,
      defaults: { service_level: 0.99, lead_time_days: 21, review_periods: 2 },
    });
    expect(r.rows).toBe(2);
    expect(r.defaults).toEqual({ L: 21, R: 2, target: 0.99 });
    const [p1, p2] = rowsOf(out);
    expect([p1.service_level, p1.lead_time_periods, p1.review_periods]).toEqual(['0.8', '14', '2']);
    expect([p2.service_level, p2.lead_time_periods, p2.unit_cost]).toEqual(['0.99', '21', '2']);
    expect(p2.order_up_to).toBe(p2.ltd_q99);
    expect(r.overall.costed).toBe(1);
    expect(r.bySite.A.series).toBe(2);
  });

  it("keeps a part's own min_service_level as a floor when a budget is spent", async () => {
    // both parts costed, P1 (the dearer) with its own minimum of 99 %; a budget below the floors' cost
    const parts = (min?: number): PlanSettings['parts'] => ({
      'P1\u0001': { unitCost: 5, ...(min === undefined ? {} : { minTarget: min }) },
      'P2\u0001A': { unitCost: 2 },
    });
    const defaults = { service_level: 0.95, lead_time_days: 7, review_periods: 1 };
    const spec = { mode: 'budget' as const, stockBudget: 1 };
    const plan = async (name: string, min?: number) => {
      const out = path.join(dir, `${name}.csv`);
      const r = await replanFromInputs({
        inputsFile: inputsFile(`${name}.inputs`, '', parts(min)),
        planFile: out,
        defaults,
        spec,
      });
      return { r, rows: rowsOf(out) };
    };
    const without = await plan('no-min');
    const withMin = await plan('min-99', 0.99);
    // without it the budget buys P1 nothing; with it P1 stands at its 99 % quantile or above, P2 unchanged
    expect(Number(without.rows[0].order_up_to)).toBe(0);
    expect(Number(withMin.rows[0].order_up_to)).toBeGreaterThan(0);
    expect(Number(withMin.rows[0].order_up_to)).toBeGreaterThanOrEqual(Number(withMin.rows[0].ltd_q99));
    expect(Number(withMin.rows[0].service_level)).toBeGreaterThanOrEqual(0.99);
    expect(withMin.rows[1].order_up_to).toBe(without.rows[1].order_up_to);
    // the floors cost more than the budget: kept, and said
    expect(withMin.r.allocation.belowFloors).toBe(true);
    expect(without.r.allocation.belowFloors).toBe(false);
  });

  it('a floor is the highest of the own level, the own minimum and the job minimum', () => {
    expect(floorOf([0.8, 0.99, 0.9])).toBe(0.99);
    expect(floorOf([0.8, null, 0.9])).toBe(0.9);
    expect(floorOf([null, 0.97, undefined])).toBe(0.97);
    expect(floorOf([null, null, undefined])).toBeNull();
  });

  it('reads every line of the inputs, even when the caller awaits before the loop', async () => {
    // a plain readline loop started after an await sees none of the lines already read (the header was lost)
    const file = path.join(dir, 'lines.txt');
    writeFileSync(file, 'header\nl1\nl2\n');
    const r = fileLines(file);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const got: string[] = [];
    for await (const l of r.lines) got.push(l);
    expect(got).toEqual(['header', 'l1', 'l2']);
  });

  it('says the inputs are damaged (INVALID_INPUT), naming what to do', async () => {
    const run = replanFromInputs({
      inputsFile: inputsFile('b.inputs', '["P3","A"]\n'),
      planFile: path.join(dir, 'plan-2.csv'),
      defaults: { service_level: 0.9, lead_time_days: 7, review_periods: 1 },
    });
    await expect(run).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/run the job again/),
    });
  });
});
