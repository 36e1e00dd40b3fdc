/**
 * Transfers between sites before buying: for each part with stock on hand known at two or more sites, a
 * site's excess (what it holds above its own order-up-to level: it never gives away what it needs) goes to
 * the sites that need stock (order-up-to − on hand − on order), the largest needs by value first, and each
 * receiving site's suggested order is made again for what is still missing (plan-row.ts setOrder).
 */
import { setOrder, type PlanRow } from './plan-row.js';

export interface Transfer {
  partnumber: string;
  from: string;
  to: string;
  qty: number;
  /** qty × the giving site's unit cost (else the receiving one's); null without either */
  value: number | null;
}

export interface TransferTotals {
  transfers: number;
  units: number;
  /** Σ value over the transfers with a cost */
  value: number;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The transfers of a plan, its receiving rows' orders reduced in place. Rows of one part need not be
 * adjacent. Whole units only: a donor keeps at least its order-up-to level, a receiver gets at most its need.
 */
export function planTransfers(rows: PlanRow[]): Transfer[] {
  const byPart = new Map<string, PlanRow[]>();
  for (const r of rows) {
    if (r.onHand === null) continue;
    let list = byPart.get(r.partnumber);
    if (!list) byPart.set(r.partnumber, (list = []));
    list.push(r);
  }
  const out: Transfer[] = [];
  for (const [part, list] of byPart) {
    if (list.length < 2) continue;
    const donors = list
      .map((r) => ({ r, left: Math.floor(r.onHand! - r.orderUpTo) }))
      .filter((d) => d.left > 0)
      .sort((a, b) => b.left - a.left || byName(a.r.site, b.r.site));
    if (donors.length === 0) continue;
    const needs = list
      .map((r) => ({ r, need: Math.ceil(r.orderUpTo - r.onHand! - (r.onOrder ?? 0)) }))
      .filter((n) => n.need > 0)
      .sort(
        (a, b) =>
          b.need * (b.r.unitCost ?? 0) - a.need * (a.r.unitCost ?? 0) || b.need - a.need || byName(a.r.site, b.r.site),
      );
    for (const n of needs) {
      let got = 0;
      for (const d of donors) {
        if (got >= n.need) break;
        const qty = Math.min(d.left, n.need - got);
        if (qty <= 0) continue;
        d.left -= qty;
        got += qty;
        const cost = d.r.unitCost ?? n.r.unitCost;
        out.push({ partnumber: part, from: d.r.site, to: n.r.site, qty, value: cost === null ? null : qty * cost });
      }
      if (got > 0) setOrder(n.r, got);
    }
  }
  return out;
}

export function transferTotals(list: readonly Transfer[]): TransferTotals {
  const t: TransferTotals = { transfers: list.length, units: 0, value: 0 };
  for (const x of list) {
    t.units += x.qty;
    if (x.value !== null) t.value += x.value;
  }
  return t;
}
