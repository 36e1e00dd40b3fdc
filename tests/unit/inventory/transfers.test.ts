/** Transfers between sites (issue 25): donors keep their level, needs by value first, totals conserved. */
import { describe, expect, it } from 'vitest';
import type { PlanRow } from '../../../server/forecast/inventory/plan-row.js';
import { setOrder } from '../../../server/forecast/inventory/plan-row.js';
import { planTransfers, transferTotals } from '../../../server/forecast/inventory/transfers.js';
import { TRANSFER_HEADER, transfersCsv } from '../../../server/forecast/output/transfers-write.js';

function row(partnumber: string, site: string, S: number, onHand: number | null, more: Partial<PlanRow> = {}): PlanRow {
  const r: PlanRow = {
    partnumber,
    site,
    demandClass: 'smooth',
    L: 1,
    R: 1,
    target: 0.95,
    mean: S / 2,
    q: [0, 0, 0, 0, 0],
    orderUpTo: S,
    safetyStock: S / 2,
    unitCost: 2,
    stockValue: S * 2,
    onHand,
    onOrder: null,
    suggestedOrder: null,
    moq: null,
    orderMultiple: null,
    reorderPoint: 0,
    orderValue: null,
    replaces: '',
    expectedShort: 0,
    expectedFill: 1,
    expectedDemand: 0,
    chance: 0,
    since: 0,
    ...more,
  };
  setOrder(r);
  return r;
}

describe('planTransfers', () => {
  it('moves the excess above a donor’s level to the short site; its order is reduced by it', () => {
    const rows = [row('P', 'A', 5, 12), row('P', 'B', 8, 1), row('Q', 'A', 3, 9)];
    expect(rows[1].suggestedOrder).toBe(7);
    const t = planTransfers(rows);
    expect(t).toEqual([{ partnumber: 'P', from: 'A', to: 'B', qty: 7, value: 14 }]);
    expect(rows[1].suggestedOrder).toBe(0);
    expect(rows[1].orderValue).toBe(0);
    expect(rows[0].suggestedOrder).toBe(0);
    // Q has one site with stock: nothing to move
    expect(t.some((x) => x.partnumber === 'Q')).toBe(false);
  });
  it('never takes a donor below its order-up-to level; a receiver buys the rest', () => {
    const rows = [row('P', 'A', 5, 8), row('P', 'B', 10, 0, { onOrder: 2 })];
    const t = planTransfers(rows);
    expect(t).toEqual([{ partnumber: 'P', from: 'A', to: 'B', qty: 3, value: 6 }]);
    expect(8 - 3).toBeGreaterThanOrEqual(rows[0].orderUpTo);
    expect(rows[1].suggestedOrder).toBe(10 - 0 - 2 - 3);
  });
  it('the largest need by value first, then the rest; the MOQ and multiple apply to what is left', () => {
    const rows = [
      row('P', 'D', 0, 6),
      row('P', 'A', 4, 0, { unitCost: 1 }), // need 4, value 4
      row('P', 'B', 3, 0, { unitCost: 10, moq: 10, orderMultiple: 5 }), // need 3, value 30
    ];
    const t = planTransfers(rows);
    expect(t.map((x) => [x.to, x.qty])).toEqual([
      ['B', 3],
      ['A', 3],
    ]);
    expect(rows[2].suggestedOrder).toBe(0);
    expect(rows[1].suggestedOrder).toBe(1);
    const moq = [row('P', 'D', 0, 2), row('P', 'B', 6, 0, { moq: 10, orderMultiple: 5 })];
    planTransfers(moq);
    expect(moq[1].suggestedOrder).toBe(10); // 4 still needed: the MOQ
  });
  it('random plans: donors keep their level, receivers get at most their need, units are conserved', () => {
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    for (let trial = 0; trial < 200; trial++) {
      const rows: PlanRow[] = [];
      for (let p = 0; p < 3; p++)
        for (let s = 0; s < 1 + rand(5); s++)
          rows.push(row(`P${p}`, `S${s}`, rand(20), rand(4) ? rand(30) : null, { onOrder: rand(3) ? null : rand(5) }));
      const before = rows.map((r) => ({ ...r }));
      const t = planTransfers(rows);
      const given = new Map<string, number>();
      const got = new Map<string, number>();
      for (const x of t) {
        expect(x.qty).toBeGreaterThan(0);
        expect(x.from).not.toBe(x.to);
        given.set(`${x.partnumber}@${x.from}`, (given.get(`${x.partnumber}@${x.from}`) ?? 0) + x.qty);
        got.set(`${x.partnumber}@${x.to}`, (got.get(`${x.partnumber}@${x.to}`) ?? 0) + x.qty);
      }
      let out = 0;
      let into = 0;
      before.forEach((r) => {
        const g = given.get(`${r.partnumber}@${r.site}`) ?? 0;
        const h = got.get(`${r.partnumber}@${r.site}`) ?? 0;
        out += g;
        into += h;
        if (g) expect(r.onHand! - g).toBeGreaterThanOrEqual(r.orderUpTo);
        if (h) {
          expect(g).toBe(0);
          expect(h).toBeLessThanOrEqual(r.orderUpTo - r.onHand! - (r.onOrder ?? 0));
        }
      });
      expect(into).toBe(out);
      expect(transferTotals(t).units).toBe(out);
    }
  });
  it('the CSV: fixed columns, texts formula-guarded', () => {
    const rows = [row('=HYPERLINK("x")', 'A', 0, 4), row('=HYPERLINK("x")', 'B, 2', 3, 0)];
    const csv = transfersCsv(planTransfers(rows));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(TRANSFER_HEADER);
    expect(TRANSFER_HEADER).toBe('partnumber,from_site,to_site,qty,value');
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""x""\)",A,"B, 2",3,6$/);
  });
});
