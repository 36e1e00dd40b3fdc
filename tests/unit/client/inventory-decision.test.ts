/**
 * Issue 21 items 5 and 6: the plan table puts the decision first and remembers the planner's columns;
 * a chosen part says why it is ordered (its reasoning, its last 12 periods, its last demand).
 */
import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { PlanRowDto } from '../../../server/contract/inventory.js';
import {
  chancePercent,
  chanceReason,
  recentDemands,
  COLUMNS_STORAGE_KEY,
  PLAN_TABLE_COLUMNS,
  lastDemand,
  lastPeriods,
  orderValue,
  parseColumnChoice,
  periodName,
  planCell,
  planReason,
  shownColumns,
} from '../../../client/src/lib/inventory-view.js';
import { PlanColumns } from '../../../client/src/lib/plan-columns.svelte.js';
import type { MessageKey } from '../../../client/src/lib/i18n/messages.js';
import { translate, type Lang, type Params } from '../../../client/src/lib/i18n/translate.js';

const row: PlanRowDto = {
  partnumber: 'P-1',
  site_code: 'JKT',
  demand_class: 'intermittent',
  lead_time_periods: 3,
  review_periods: 1,
  service_level: 0.95,
  ltd_mean: 2.4,
  ltd_q50: 2,
  ltd_q80: 4,
  ltd_q90: 5,
  ltd_q95: 6,
  ltd_q99: 8,
  order_up_to: 6,
  safety_stock: 3.6,
  unit_cost: 12.5,
  stock_value: 75,
  on_hand: 1,
  on_order: 0,
  suggested_order: 5,
  expected_fill_rate: 0.95,
  expected_units_short: 0.1,
  demand_chance: 0.6,
  periods_since_demand: 1,
  reorder_point: null,
  order_value: null,
  replaces: '',
  system_ltd_mean: null,
  system_order_up_to: null,
  override_kind: '',
  override_reason: '',
};
const tr =
  (lang: Lang) =>
  (k: MessageKey, p?: Params): string =>
    translate(lang, k, p);
const keys = (cols: readonly { key: string }[]) => cols.map((c) => c.key);

class MemoryStore {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

describe('the decision first', () => {
  it('puts part, site, the order, its value and the order-up-to level before the inputs', () => {
    expect(keys(PLAN_TABLE_COLUMNS).slice(0, 5)).toEqual([
      'partnumber',
      'site_code',
      'suggested_order',
      'order_value',
      'order_up_to',
    ]);
    // by default the inputs that fit a 1366 px screen, the rest a tick away
    expect(keys(shownColumns({}))).toEqual([
      'partnumber',
      'site_code',
      'suggested_order',
      'order_value',
      'order_up_to',
      'on_hand',
      'on_order',
      'ltd_mean',
      'demand_class',
      'stock_value',
    ]);
  });

  it('values the order only where a unit cost is known', () => {
    const value = PLAN_TABLE_COLUMNS.find((c) => c.key === 'order_value')!;
    expect(orderValue(row)).toBe(62.5);
    // money always with two decimals (issue 21 item 12: 2.990,6 stood next to 2.938,64)
    expect(planCell(row, value, 'id-ID')).toBe('62,50');
    expect(planCell(row, value, 'en-GB')).toBe('62.50');
    expect(orderValue({ ...row, unit_cost: null })).toBeNull();
    expect(planCell({ ...row, unit_cost: null }, value, 'en-GB')).toBe('');
    expect(orderValue({ ...row, on_hand: null, suggested_order: null })).toBeNull();
  });
});

describe('the Columns menu', () => {
  it('remembers the choice in storage, keeps the table order and never hides the part or site', () => {
    const storage = new MemoryStore();
    const a = new PlanColumns(storage);
    const col = (k: string) => PLAN_TABLE_COLUMNS.find((c) => c.key === k)!;
    a.set(col('unit_cost'), true);
    a.set(col('ltd_mean'), false);
    a.set(col('partnumber'), false);
    expect(JSON.parse(storage.getItem(COLUMNS_STORAGE_KEY)!)).toEqual({ unit_cost: true, ltd_mean: false });

    const b = new PlanColumns(storage); // the next visit
    expect(keys(b.shown)).toEqual([
      'partnumber',
      'site_code',
      'suggested_order',
      'order_value',
      'order_up_to',
      'on_hand',
      'on_order',
      'demand_class',
      'unit_cost',
      'stock_value',
    ]);
    // back to the default: nothing is stored for it
    b.set(col('unit_cost'), false);
    expect(JSON.parse(storage.getItem(COLUMNS_STORAGE_KEY)!)).toEqual({ ltd_mean: false });
    b.reset();
    expect(keys(new PlanColumns(storage).shown)).toEqual(keys(shownColumns({})));
  });

  it('reads back only known, switchable columns from whatever storage holds', () => {
    expect(parseColumnChoice(null)).toEqual({});
    expect(parseColumnChoice('not json')).toEqual({});
    expect(parseColumnChoice('[1,2]')).toEqual({});
    expect(parseColumnChoice('{"unit_cost":true,"site_code":false,"nope":true,"on_hand":"yes"}')).toEqual({
      unit_cost: true,
    });
    // blocked storage: the menu still works for the page
    const throwing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
    };
    const c = new PlanColumns(throwing);
    c.set(
      PLAN_TABLE_COLUMNS.find((x) => x.key === 'stock_value')!,
      false,
    );
    expect(keys(c.shown)).not.toContain('stock_value');
  });
});

describe('why this number', () => {
  it('says the plan’s reasoning in one line, in both languages and the page’s numbers', () => {
    expect(planReason(row, tr('en'), 'en-GB', 'M')).toBe(
      'Lead time 3 + review 1 = 4 months; expected demand over them 2.4; at 95% the level is 6; ' +
        'on hand 1 + on order 0 → order 5',
    );
    expect(planReason(row, tr('id'), 'id-ID', 'M')).toBe(
      'Lead time 3 + review 1 = 4 bulan; perkiraan demand selama itu 2,4; pada 95% levelnya 6; ' +
        'stok 1 + dalam pesanan 0 → pesan 5',
    );
  });

  it('words enough stock, unknown stock, one period and an unknown frequency', () => {
    const full = { ...row, on_hand: 4, on_order: 2, suggested_order: 0 };
    expect(planReason(full, tr('en'), 'en-GB', 'W')).toMatch(
      /= 4 weeks; .* on hand 4 \+ on order 2 → nothing to order$/,
    );
    expect(planReason({ ...row, on_hand: null, on_order: null, suggested_order: null }, tr('en'), 'en-GB')).toMatch(
      /= 4 periods; .*; stock on hand not known, so no order is worked out$/,
    );
    expect(
      planReason({ ...row, lead_time_periods: 0.5, review_periods: 0.5, on_order: null }, tr('en'), 'en-GB', 'D'),
    ).toMatch(/^Lead time 0\.5 \+ review 0\.5 = 1 day; .* on hand 1 \+ on order 0 → order 5$/);
    expect(
      planReason({ ...row, ltd_mean: 1234.56, order_up_to: 1900, service_level: 0.975 }, tr('id'), 'id-ID', 'D'),
    ).toContain('perkiraan demand selama itu 1.234,6; pada 97,5% levelnya 1.900;');
  });

  it('takes the last 12 periods of the history and the date of the last demand', () => {
    const history = Array.from({ length: 30 }, (_, i) => ({
      date: `2025-01-${String(i + 1).padStart(2, '0')}`,
      qty: i === 20 ? 3 : i === 5 ? 1 : 0,
    }));
    const last = lastPeriods(history);
    expect(last).toHaveLength(12);
    expect(last[0]!.date).toBe('2025-01-19');
    expect(last.at(-1)!.date).toBe('2025-01-30');
    expect(last.map((p) => p.qty)).toEqual([0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(lastPeriods(history.slice(0, 4))).toHaveLength(4);
    expect(lastDemand(history)).toBe('2025-01-21');
    expect(lastDemand(history.slice(0, 5))).toBeNull();
    expect(lastDemand([])).toBeNull();
  });

  it('says the chance of any demand within lead time + review, the size when it comes and what the level holds', () => {
    // the brief's example: 23 % chance over 3 months, 6 units when it comes, mean 1.4, level 6
    const stale = { ...row, lead_time_periods: 2, ltd_mean: 1.38, demand_chance: 0.23, order_up_to: 6 };
    expect(chanceReason(stale, tr('en'), 'en-GB', 'M')).toBe(
      'The model gives a 23% chance of any demand within the next 3 months (lead time + review); if it comes, ' +
        'it is 6 units on average, so the mean is 1.4. The order-up-to level 6 covers one such demand.',
    );
    expect(chanceReason(stale, tr('id'), 'id-ID', 'M')).toBe(
      'Model memberi peluang 23% ada demand dalam 3 bulan ke depan (lead time + review); jika ada, rata-rata ' +
        '6 unit, sehingga perkiraan demandnya 1,4. Titik pesan ulang 6 mencukupi satu demand seperti itu.',
    );
    // an active part: many demands of its size; a level below one demand; no demand expected; an old plan
    expect(chanceReason({ ...row, demand_chance: 0.9, ltd_mean: 1.8 }, tr('en'), 'en-GB', 'W')).toMatch(
      /^The model gives a 90% chance .* next 4 weeks .* it is 2 units on average, so the mean is 1\.8\. The order-up-to level 6 covers 3 such demands\.$/,
    );
    expect(chanceReason({ ...row, demand_chance: 0.02, ltd_mean: 0.5, order_up_to: 3 }, tr('id'), 'id-ID', 'D')).toBe(
      'Model memberi peluang 2% ada demand dalam 4 hari ke depan (lead time + review); jika ada, rata-rata ' +
        '25 unit, sehingga perkiraan demandnya 0,5. Titik pesan ulang 3 belum mencukupi satu demand seperti itu.',
    );
    expect(chanceReason({ ...row, demand_chance: 0, ltd_mean: 0 }, tr('en'), 'en-GB', 'M')).toBe(
      'The model expects no demand within the next 4 months (lead time + review).',
    );
    expect(chanceReason({ ...row, demand_chance: null }, tr('en'), 'en-GB', 'M')).toBeNull();
    expect([chancePercent(0.0004, 'en-GB'), chancePercent(0.9999, 'en-GB'), chancePercent(0.042, 'id-ID')]).toEqual([
      '< 0.1%',
      '> 99.5%',
      '4,2%',
    ]);
  });

  it('lists the last demands newest first, with their dates and quantities', () => {
    const history = Array.from({ length: 30 }, (_, i) => ({
      date: `2025-01-${String(i + 1).padStart(2, '0')}`,
      qty: i % 7 === 3 ? i : 0,
    }));
    expect(recentDemands(history, 3)).toEqual([
      { date: '2025-01-25', qty: 24 },
      { date: '2025-01-18', qty: 17 },
      { date: '2025-01-11', qty: 10 },
    ]);
    expect(recentDemands(history)).toHaveLength(4); // all there are
    expect(recentDemands(history.slice(0, 3))).toEqual([]);
  });

  it('names periods in the page’s locale, as days, weeks or months', () => {
    expect(periodName('2025-03-05', 'D', 'en-GB')).toBe('5 Mar 2025');
    expect(periodName('2025-03-05', 'D', 'id-ID')).toBe('5 Mar 2025');
    expect(periodName('2025-03-01', 'M', 'en-GB')).toBe('March 2025');
    expect(periodName('2025-03-01', 'M', 'id-ID')).toBe('Maret 2025');
    expect(periodName('2025-03-05', 'D', 'en-GB', 'tick')).toBe('5');
    expect(periodName('2025-03-01', 'M', 'id-ID', 'tick')).toBe('Mar');
    expect(periodName('2025-03-03', 'W', 'en-GB', 'tick')).toBe('03/03');
  });
});
