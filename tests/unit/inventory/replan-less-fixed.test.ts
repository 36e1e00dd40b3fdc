/**
 * Fixed levels (order_up_to overrides) hold money outside the allocation: a re-plan takes it off the budget
 * they fall under — a site's own budget where stock_budget_by_site names the site, else the shared one.
 */
import { describe, expect, it } from 'vitest';
import type { PlanSpec } from '../../../server/forecast/inventory/allocate.js';
import { lessFixed } from '../../../server/forecast/output/replan.js';

describe('the budget less what fixed levels hold', () => {
  it('comes off the named site’s budget, and off the shared budget for the others', () => {
    const spec: PlanSpec = { mode: 'budget', stockBudget: 1000, stockBudgetBySite: { A: 500, B: 300 } };
    const out = lessFixed(
      spec,
      new Map([
        ['A', 120],
        ['C', 250],
      ]),
    );
    expect(out.stockBudgetBySite).toEqual({ A: 380, B: 300 });
    expect(out.stockBudget).toBe(750);
    // the caller's spec is not changed
    expect(spec.stockBudgetBySite).toEqual({ A: 500, B: 300 });
  });
  it('never goes below zero, and leaves other modes and an empty map alone', () => {
    const out = lessFixed({ mode: 'budget', stockBudget: 100 }, new Map([['A', 400]]));
    expect(out.stockBudget).toBe(0);
    const fill: PlanSpec = { mode: 'fill_rate', targetFillRate: 0.95 };
    expect(lessFixed(fill, new Map([['A', 1]]))).toBe(fill);
    const budget: PlanSpec = { mode: 'budget', stockBudget: 100 };
    expect(lessFixed(budget, new Map())).toBe(budget);
  });
});
