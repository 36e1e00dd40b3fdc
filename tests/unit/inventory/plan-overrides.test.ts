/**
 * A planner's overrides in one series' plan (inventory/overrides.ts): a site's override wins over the part's
 * override for every site, kind by kind; a forecast override's mean is value × P exactly (no mean correction),
 * even for a part without any demand yet; a fixed level keeps the distribution and states its own coverage; the
 * row keeps the system's mean and level; and the job's notice counts the overrides and the parts it lacks.
 */
import { describe, expect, it } from 'vitest';
import { PRIOR, type PooledParams } from '../../../server/forecast/inventory/index.js';
import {
  matchOverrides,
  overridesFor,
  planOverridesOf,
  planRowWith,
} from '../../../server/forecast/inventory/overrides.js';
import { planRow } from '../../../server/forecast/inventory/plan-row.js';
import { planLine } from '../../../server/forecast/output/plan-write.js';

// a mean correction that would move any forecast (b 1.5, r 0.2): an override must not pass through it
const pooled: PooledParams = {
  groups: { '*': { ...PRIOR, b: 1.5, r: 0.2 } },
  calibration: {},
  minWindows: 0,
  form: 'size',
};
const key = { partnumber: 'P-1', site: 'S', demandClass: 'smooth' };
const s = { L: 3, R: 1, target: 0.95, unitCost: 2, onHand: 1, onOrder: 0 };
const history = Array.from({ length: 36 }, (_, t) => 2 + (t % 3));
const forecast = [3, 3, 3, 3, 3, 3];
const o = (
  kind: 'forecast_per_period' | 'order_up_to' | 'service_level',
  value: number,
  site = '',
  reason: string = kind,
) => ({
  partnumber: 'P-1',
  site_code: site,
  kind,
  value,
  reason,
  created_by: 'ana',
});

describe('overrides in a series plan', () => {
  it('takes a site’s override over the part’s, kind by kind', () => {
    const set = planOverridesOf([o('order_up_to', 9), o('order_up_to', 12, 'S'), o('service_level', 0.99)]);
    const at = overridesFor(set, 'P-1', 'S')!;
    expect(at.order_up_to?.value).toBe(12);
    expect(at.service_level?.value).toBe(0.99);
    expect(overridesFor(set, 'P-1', 'T')!.order_up_to?.value).toBe(9);
    expect(overridesFor(set, 'P-2', 'S')).toBeNull();
    expect(overridesFor(undefined, 'P-1', 'S')).toBeNull();
  });

  it('plans a forecast override at value × P, keeping the system’s values beside it', () => {
    const system = planRow(key, history, forecast, s, pooled);
    expect(system.mean).not.toBeCloseTo(3 * 4, 3); // the model's correction moves its own forecast
    const row = planRowWith(
      key,
      history,
      forecast,
      s,
      pooled,
      overridesFor(planOverridesOf([o('forecast_per_period', 2.5)]), 'P-1', 'S'),
    );
    expect(row.mean).toBeCloseTo(2.5 * 4, 9);
    expect(row.override).toEqual({
      systemMean: system.mean,
      systemOrderUpTo: system.orderUpTo,
      kinds: 'forecast_per_period',
      reason: 'forecast_per_period',
    });
    expect(row.q[0]).toBeLessThanOrEqual(row.q[4]);
    // a part that never sold: the planner's forecast is planned all the same
    const fresh = planRowWith(key, [], null, s, pooled, {
      forecast_per_period: { kind: 'forecast_per_period', value: 1, reason: 'new fleet', by: null },
    });
    expect(fresh.mean).toBeCloseTo(4, 9);
    expect(fresh.orderUpTo).toBeGreaterThan(4);
    expect(planRow(key, [], null, s, pooled).mean).toBe(0);
  });

  it('fixes a level at its own coverage, and raises the target of a service-level override', () => {
    const system = planRow(key, history, forecast, s, pooled);
    const both = overridesFor(
      planOverridesOf([
        o('order_up_to', system.orderUpTo + 5, '', 'campaign'),
        o('service_level', 0.99, '', 'critical'),
      ]),
      'P-1',
      'S',
    );
    const row = planRowWith(key, history, forecast, s, pooled, both);
    expect(row.orderUpTo).toBe(system.orderUpTo + 5);
    expect(row.mean).toBe(system.mean);
    expect(row.target).toBeGreaterThan(0.95);
    expect(row.suggestedOrder).toBe(system.orderUpTo + 5 - 1);
    expect(row.stockValue).toBe((system.orderUpTo + 5) * 2);
    expect(row.expectedShort).toBeLessThan(system.expectedShort);
    expect(row.override).toMatchObject({ kinds: 'order_up_to+service_level', reason: 'campaign | critical' });
    const cells = planLine(row).trimEnd().split(',');
    expect(cells.slice(-4)).toEqual([
      String(Number(system.mean.toFixed(4))),
      String(system.orderUpTo),
      'order_up_to+service_level',
      'campaign | critical',
    ]);
    const sl = planRowWith(
      key,
      history,
      forecast,
      s,
      pooled,
      overridesFor(planOverridesOf([o('service_level', 0.99)]), 'P-1', 'S'),
    );
    expect(sl.target).toBe(0.99);
    expect(sl.orderUpTo).toBe(sl.q[4]);
  });

  it('counts the overrides a job applies and the parts it does not have', () => {
    const set = planOverridesOf([
      o('order_up_to', 1),
      o('service_level', 0.9, 'S'),
      o('service_level', 0.9, 'ELSEWHERE'),
      { ...o('order_up_to', 1), partnumber: 'GONE' },
      { ...o('order_up_to', 1), partnumber: 'GONE', site_code: 'S' },
    ]);
    const sites = [{ site: 'S', parts: ['P-1', 'P-2'] }] as unknown as Parameters<typeof matchOverrides>[1];
    expect(matchOverrides(set, sites)).toEqual({ applied: 2, missingParts: 1, examples: ['GONE'] });
  });
});
