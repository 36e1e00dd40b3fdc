/**
 * jobs/results/worklist.ts: the plan-and-stock codes at their limits (STOCKOUT_RISK cannot come from the
 * integration fixtures, whose slow movers all have a median lead-time demand of 0), dead stock that sold since,
 * the ranking by money at stake (units where there is no cost), the reasons in both languages.
 */
import { describe, expect, it } from 'vitest';
import type { PlanRowDto } from '../../../server/contract/inventory.js';
import type { TrackingRow } from '../../../server/contract/tracking.js';
import { pickLang } from '../../../server/contract/worklist.js';
import { buildWorklist } from '../../../server/jobs/results/worklist.js';

const planRow = (partnumber: string, over: Partial<PlanRowDto>): PlanRowDto => ({
  partnumber,
  site_code: 'S1',
  demand_class: 'smooth',
  lead_time_periods: 2,
  review_periods: 1,
  service_level: 0.95,
  ltd_mean: 10,
  ltd_q50: 9,
  ltd_q80: 12,
  ltd_q90: 14,
  ltd_q95: 16,
  ltd_q99: 20,
  order_up_to: 16,
  safety_stock: 6,
  unit_cost: 2,
  stock_value: 32,
  on_hand: 16,
  on_order: 0,
  suggested_order: 0,
  expected_fill_rate: 0.97,
  expected_units_short: 0.3,
  demand_chance: 0.99,
  periods_since_demand: 0,
  reorder_point: 12,
  order_value: 0,
  replaces: '',
  system_ltd_mean: null,
  system_order_up_to: null,
  override_kind: '',
  override_reason: '',
  ...over,
});

const plan = [
  planRow('OK', {}),
  planRow('RISK', { on_hand: 5, on_order: 3 }), // 8 < 9
  planRow('EDGE', { on_hand: 6, on_order: 3 }), // 9 = 9: not below
  planRow('NOORDER', { on_hand: 8, on_order: null }), // blank on order counts 0
  planRow('EXCESS', { on_hand: 27 }), // 27 > 16 + 10
  planRow('EDGE2', { on_hand: 26 }), // 26 = 16 + 10: not more
  planRow('DEAD', { on_hand: 4, periods_since_demand: 12, ltd_q50: 0 }),
  planRow('YOUNG', { on_hand: 4, periods_since_demand: 11, ltd_q50: 0 }),
  planRow('NEVER', { on_hand: 1, periods_since_demand: null, ltd_q50: 0, unit_cost: null }),
  planRow('SOLD', { on_hand: 4, periods_since_demand: 30, ltd_q50: 0 }),
  planRow('NOSTOCK', { on_hand: null, on_order: null, periods_since_demand: 40 }),
];
const sold: TrackingRow = {
  partnumber: 'SOLD',
  site_code: 'S1',
  demand_class: 'lumpy',
  has_history: true,
  forecast: [1, 1],
  actual: [0, 3],
  forecast_total: 2,
  actual_total: 3,
  error: -1,
  rmsse: 0.5,
  tracking_signal: 0.4,
  protection_periods: 3,
  order_up_to: 16,
  actual_over_p: null,
  unit_cost: 2,
  exceptions: [],
};

describe('the exceptions worklist', () => {
  it('flags stock-out risk, excess and dead stock at their limits, from the plan and stock alone', () => {
    const w = buildWorklist({ plan, tracking: null, frequency: 'M', lang: 'en' });
    const got = w.rows.map((r) => `${r.code}:${r.partnumber}`).sort();
    expect(got).toEqual(
      [
        'STOCKOUT_RISK:RISK',
        'STOCKOUT_RISK:NOORDER',
        'EXCESS:EXCESS',
        'DEAD_STOCK:DEAD',
        'DEAD_STOCK:NEVER',
        'DEAD_STOCK:SOLD',
      ].sort(),
    );
    expect(w).toMatchObject({ has_actuals: false, has_stock: true });
    const risk = w.rows.find((r) => r.partnumber === 'RISK')!;
    expect(risk).toMatchObject({ units: 1, value: 2, stake: 2 });
    expect(risk.reason).toBe('On hand 5 plus on order 3 is below the median lead-time demand of 9.');
    // ranked by money: EXCESS 11 units × 2 first; NEVER has no cost, so its 1 unit ranks as 1
    expect(w.rows[0]).toMatchObject({ code: 'EXCESS', units: 11, value: 22 });
    expect(w.rows.at(-1)).toMatchObject({ partnumber: 'NEVER', value: null, stake: 1 });
    expect(w.rows.map((r) => r.stake)).toEqual([...w.rows.map((r) => r.stake)].sort((a, b) => b - a));
    // weekly: 12 idle periods are not a year
    const weekly = buildWorklist({ plan, tracking: null, frequency: 'W', lang: 'en' });
    expect(weekly.rows.filter((r) => r.code === 'DEAD_STOCK').map((r) => r.partnumber)).toEqual(['NEVER']);
  });

  it('does not call dead the stock of a part that sold after the origin', () => {
    const w = buildWorklist({ plan, tracking: { rows: [sold], periods: 2 }, frequency: 'M', lang: 'id' });
    expect(w.rows.some((r) => r.partnumber === 'SOLD')).toBe(false);
    expect(w.has_actuals).toBe(true);
    const dead = w.rows.find((r) => r.partnumber === 'DEAD')!;
    expect(dead.reason).toBe('4 di stok dan tidak ada permintaan selama 12 periode (setahun atau lebih).');
  });

  it('picks the language as the pages do', () => {
    expect(pickLang('en', 'id')).toBe('en');
    expect(pickLang(undefined, 'fr-FR,en;q=0.8')).toBe('en');
    expect(pickLang(undefined, 'in')).toBe('id');
    expect(pickLang(undefined, 'fr')).toBe('id');
    expect(pickLang(undefined, undefined)).toBe('id');
  });
});
