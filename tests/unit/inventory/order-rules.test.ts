/** Order rules (issue 25): MOQ and order multiple on the suggested order, the reorder point, the order value. */
import { describe, expect, it } from 'vitest';
import { PRIOR, fitPooled, type PooledParams } from '../../../server/forecast/inventory/index.js';
import { orderFor, planRow, planSeries, setOrderUpTo } from '../../../server/forecast/inventory/plan-row.js';
import { PLAN_COLUMNS, planLine } from '../../../server/forecast/output/plan-write.js';

const pooled: PooledParams = { groups: { '*': PRIOR }, calibration: {}, minWindows: 0, form: 'size' };
const key = { partnumber: 'P', site: 'S', demandClass: 'smooth' };
const history = Array.from({ length: 60 }, (_, t) => (t % 2 ? 3 : 2));
const base = { L: 3, R: 2, target: 0.95, unitCost: 2.5, onHand: 0, onOrder: null };

describe('orderFor', () => {
  it('MOQ 10, multiple 5: need 6 orders 10, need 11 orders 15, need 10 orders 10', () => {
    expect(orderFor(6, 10, 5)).toBe(10);
    expect(orderFor(11, 10, 5)).toBe(15);
    expect(orderFor(10, 10, 5)).toBe(10);
    expect(orderFor(26, 10, 5)).toBe(30);
  });
  it('a need ≤ 0 orders nothing, whatever the MOQ', () => {
    expect(orderFor(0, 10, 5)).toBe(0);
    expect(orderFor(-4, 10, 5)).toBe(0);
  });
  it('no rules: the need itself; a multiple alone rounds up; an MOQ alone raises', () => {
    expect(orderFor(7, null, null)).toBe(7);
    expect(orderFor(7, null, 4)).toBe(8);
    expect(orderFor(7, 25, null)).toBe(25);
    expect(orderFor(7, 3, 6)).toBe(12); // a MOQ below the need does nothing, the pack still does
  });
});

describe('plan rows with order rules', () => {
  it('the suggested order follows the rules; order_value is it × unit cost', () => {
    const plain = planRow(key, history, [2.5], base, pooled);
    const need = plain.orderUpTo; // nothing on hand
    expect(need).toBeGreaterThan(6);
    const r = planRow(key, history, [2.5], { ...base, moq: 100, orderMultiple: 7 }, pooled);
    expect(r.suggestedOrder).toBe(105);
    expect(r.orderValue).toBeCloseTo(105 * 2.5, 9);
    const held = planRow(key, history, [2.5], { ...base, onHand: need - 6, moq: 10, orderMultiple: 5 }, pooled);
    expect(held.suggestedOrder).toBe(10);
    const full = planRow(key, history, [2.5], { ...base, onHand: need + 3, moq: 10, orderMultiple: 5 }, pooled);
    expect([full.suggestedOrder, full.orderValue]).toEqual([0, 0]);
    const unknown = planRow(key, history, [2.5], { ...base, onHand: null, moq: 10 }, pooled);
    expect([unknown.suggestedOrder, unknown.orderValue]).toEqual([null, null]);
    const costless = planRow(key, history, [2.5], { ...base, unitCost: null }, pooled);
    expect(costless.orderValue).toBeNull();
  });
  it('reorder point: the lead time alone, at or below order_up_to; equal without a review period', () => {
    for (const target of [0.5, 0.8, 0.95, 0.99]) {
      const r = planRow(key, history, [2.5], { ...base, target }, pooled);
      expect(r.reorderPoint).toBeLessThanOrEqual(r.orderUpTo);
      expect(r.reorderPoint).toBeGreaterThan(0);
      // the lead time alone is the plan of a part with L = 3 and no review
      const lead = planRow(key, history, [2.5], { ...base, target, R: 0 }, pooled);
      expect(r.reorderPoint).toBe(lead.orderUpTo);
      expect(lead.reorderPoint).toBe(lead.orderUpTo);
    }
    // a long review period: the min well below the max
    const r = planRow(key, history, [2.5], { ...base, R: 12 }, pooled);
    expect(r.reorderPoint).toBeLessThan(r.orderUpTo - 10);
    expect(planRow(key, history, [2.5], { ...base, L: 0 }, pooled).reorderPoint).toBe(0);
  });
  it('on a fitted model too, the reorder point never passes order_up_to', () => {
    const hist = Float64Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 1 + (i % 5) : 0));
    const fit = fitPooled([hist], { periods: [4, 8] });
    for (const L of [1, 3, 6]) {
      const r = planRow(key, hist, [0.3, 0.4], { ...base, L, R: 2 }, fit);
      expect(r.reorderPoint).toBeLessThanOrEqual(r.orderUpTo);
    }
  });
  it('an allocation re-states the order with the rules', () => {
    const p = planSeries(key, history, [2.5], { ...base, moq: 10, orderMultiple: 5 }, pooled);
    setOrderUpTo(p.row, 6, 0.6);
    expect(p.row.suggestedOrder).toBe(10);
    setOrderUpTo(p.row, 11, 0.7);
    expect(p.row.suggestedOrder).toBe(15);
    expect(p.row.orderValue).toBeCloseTo(37.5, 9);
  });
  it('the plan line ends with reorder_point and order_value', () => {
    const r = planRow(key, history, [2.5], { ...base, moq: 10, orderMultiple: 5 }, pooled);
    const cells = planLine(r).trimEnd().split(',');
    expect(cells).toHaveLength(PLAN_COLUMNS.length);
    expect(Number(cells[PLAN_COLUMNS.indexOf('reorder_point')])).toBe(r.reorderPoint);
    expect(Number(cells[PLAN_COLUMNS.indexOf('order_value')])).toBe(r.orderValue);
  });
});
