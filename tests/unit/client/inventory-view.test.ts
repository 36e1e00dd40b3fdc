import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PLAN_SORT_COLUMNS,
  inventoryRowsQuerySchema,
  type InventoryRowsQuery,
  type PlanRowDto,
} from '../../../server/contract/inventory.js';
import { createInventoryApi, rowsQuery } from '../../../client/src/lib/inventory-api.js';
import {
  PLAN_TABLE_COLUMNS,
  curveLayout,
  distribution,
  niceMax,
  planCell,
} from '../../../client/src/lib/inventory-view.js';
import { fillAt, sameMoney } from '../../../client/src/lib/inventory-view.js';
import { en, id } from '../../../client/src/lib/i18n/messages.js';
import { isMessageKey } from '../../../client/src/lib/i18n/translate.js';

const row: PlanRowDto = {
  partnumber: '<b>P-1</b>',
  site_code: 'JKT',
  demand_class: 'lumpy',
  lead_time_periods: 3,
  review_periods: 1,
  service_level: 0.95,
  ltd_mean: 1234.56,
  ltd_q50: 1100,
  ltd_q80: 1500,
  ltd_q90: 1700,
  ltd_q95: 1900,
  ltd_q99: 2400,
  order_up_to: 1900,
  safety_stock: 665.44,
  unit_cost: 12.5,
  stock_value: 23750,
  on_hand: null,
  on_order: null,
  suggested_order: null,
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
const column = (k: keyof PlanRowDto) => PLAN_TABLE_COLUMNS.find((c) => c.key === k)!;

describe('plan table cells', () => {
  it('has the columns the issue asks for, each with a label in both languages', () => {
    expect(PLAN_TABLE_COLUMNS.map((c) => c.key)).toEqual(
      expect.arrayContaining([
        'partnumber',
        'site_code',
        'demand_class',
        'lead_time_periods',
        'service_level',
        'ltd_mean',
        'order_up_to',
        'safety_stock',
        'unit_cost',
        'stock_value',
        'on_hand',
        'on_order',
        'suggested_order',
      ]),
    );
    for (const c of PLAN_TABLE_COLUMNS) {
      expect(isMessageKey(c.label), c.label).toBe(true);
      expect(id[c.label]).toBeTruthy();
    }
    expect(id['inv.col.order_up_to']).toContain('Titik pesan ulang');
    expect(id['inv.col.safety_stock']).toContain('Stok pengaman');
    expect(id['inv.col.suggested_order']).toContain('Saran pesan');
  });

  it('makes exactly the contract sort columns sortable', () => {
    const sortable = PLAN_TABLE_COLUMNS.filter((c) => c.sort).map((c) => c.sort);
    expect([...sortable].sort()).toEqual([...PLAN_SORT_COLUMNS].sort());
  });

  it('formats numbers in the page locale and leaves missing inputs blank', () => {
    expect(planCell(row, column('ltd_mean'), 'id-ID')).toBe('1.234,6');
    expect(planCell(row, column('ltd_mean'), 'en-GB')).toBe('1,234.6');
    expect(planCell(row, column('stock_value'), 'id-ID')).toBe('23.750,00');
    expect(planCell(row, column('unit_cost'), 'en-GB')).toBe('12.50');
    expect(planCell(row, column('service_level'), 'id-ID')).toMatch(/^95\s?%$/);
    expect(planCell(row, column('order_up_to'), 'en-GB')).toBe('1,900');
    expect(planCell(row, column('suggested_order'), 'en-GB')).toBe('');
    expect(planCell(row, column('on_hand'), 'id-ID')).toBe('');
    // Text is handed over as it is: the template renders it as text, never as markup.
    expect(planCell(row, column('site_code'), 'en-GB')).toBe('JKT');
  });
});

describe('charts', () => {
  it('lists the mean then the quantiles 50→99', () => {
    expect(distribution(row).map((b) => [b.level, b.qty])).toEqual([
      [null, 1234.56],
      [0.5, 1100],
      [0.8, 1500],
      [0.9, 1700],
      [0.95, 1900],
      [0.99, 2400],
    ]);
  });

  it('rounds the axis top up to 1, 2, 2.5 or 5 × 10ⁿ', () => {
    expect([0, 0.3, 1, 7, 12, 230, 2400, 26_000, -5, Number.NaN].map(niceMax)).toEqual([
      1, 0.5, 1, 10, 20, 250, 2500, 50_000, 1, 1,
    ]);
  });

  it('lays the curve out by service level whatever the order it came in', () => {
    const { top, points } = curveLayout(
      [
        { service_level: 0.99, stock_value: 900 },
        { service_level: 0.8, stock_value: 300 },
        { service_level: 0.95, stock_value: 600 },
        { service_level: 0.9, stock_value: 450 },
      ],
      300,
      100,
    );
    expect(top).toBe(1000);
    expect(points.map((p) => p.level)).toEqual([0.8, 0.9, 0.95, 0.99]);
    expect(points.map((p) => p.x)).toEqual([0, 100, 200, 300]);
    expect(points.map((p) => Math.round(p.y))).toEqual([70, 55, 40, 10]);
  });

  it('draws an all-zero curve (no unit costs) on the baseline', () => {
    const { points } = curveLayout([{ service_level: 0.95, stock_value: 0 }], 300, 100);
    expect(points).toEqual([{ level: 0.95, value: 0, x: 150, y: 100 }]);
  });
});

describe('inventory API', () => {
  const query = (over: Partial<InventoryRowsQuery> = {}): InventoryRowsQuery => ({
    q: '',
    site_code: '',
    demand_class: '',
    to_order: false,
    sort: 'stock_value',
    dir: 'desc',
    page: 1,
    page_size: 50,
    ...over,
  });

  it('builds a query string the server parses back into the same query', () => {
    for (const q of [
      query(),
      query({ q: 'A&B=1', site_code: 'S 1/2', demand_class: 'lumpy', to_order: true, sort: 'partnumber' }),
      query({ dir: 'asc', page: 7, page_size: 20 }),
    ]) {
      const back = inventoryRowsQuerySchema.parse(Object.fromEntries(new URLSearchParams(rowsQuery(q))));
      expect(back).toEqual(q);
    }
    expect(rowsQuery(query())).toBe('sort=stock_value&dir=desc&page=1&page_size=50');
  });

  afterEach(() => vi.unstubAllGlobals());

  it('calls the plan endpoints with the job id encoded, and keeps error bodies as values', async () => {
    const seen: string[] = [];
    const answers: Response[] = [
      Response.json({ total: 0, page: 1, page_size: 50, rows: [] }),
      Response.json({ error: { code: 'JOB_NOT_COMPLETED', message: 'Job is PROCESSING' } }, { status: 409 }),
      Response.json({ error: { code: 'UNAUTHORIZED', message: '' } }, { status: 401 }),
      new Response('not json', { status: 502 }),
    ];
    vi.stubGlobal('fetch', async (u: string) => {
      seen.push(u);
      return answers.shift()!;
    });
    let unauthorized = 0;
    const api = createInventoryApi('', { onUnauthorized: () => unauthorized++ });
    expect((await api.rows('a/b?c', query({ q: 'x' }))).ok).toBe(true);
    expect(await api.summary('j1')).toEqual({
      ok: false,
      error: { code: 'JOB_NOT_COMPLETED', message: 'Job is PROCESSING' },
    });
    expect((await api.summary('j1')).ok).toBe(false);
    expect(unauthorized).toBe(1);
    expect(await api.summary('j1')).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'HTTP 502' } });
    expect(seen).toEqual([
      '/api/jobs/a%2Fb%3Fc/inventory/rows?q=x&sort=stock_value&dir=desc&page=1&page_size=50',
      '/api/jobs/j1/inventory/summary',
      '/api/jobs/j1/inventory/summary',
      '/api/jobs/j1/inventory/summary',
    ]);
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('offline');
    });
    expect(await api.summary('j1')).toEqual({ ok: false, error: { code: 'NETWORK', message: '' } });
  });

  it('saves CSV or XLSX only after the server said yes', async () => {
    const saved: string[] = [];
    const answers = [
      new Response('a,b\n'),
      Response.json({ error: { code: 'JOB_NOT_FOUND', message: 'gone' } }, { status: 404 }),
    ];
    vi.stubGlobal('fetch', async () => answers.shift()!);
    const api = createInventoryApi('', { save: (u) => saved.push(u) });
    expect(api.downloadUrl('j1', 'csv')).toBe('/api/jobs/j1/inventory');
    expect((await api.download('j1', 'xlsx')).ok).toBe(true);
    expect(saved).toEqual(['/api/jobs/j1/inventory?format=xlsx']);
    expect(await api.download('j1', 'csv')).toEqual({ ok: false, error: { code: 'JOB_NOT_FOUND', message: 'gone' } });
    expect(saved).toHaveLength(1);
  });

  it('has every inventory word in both languages', () => {
    const keys = Object.keys(en).filter((k) => k.startsWith('inv.'));
    expect(keys.length).toBeGreaterThan(40);
    for (const k of keys) expect(id[k as keyof typeof en], k).toBeTruthy();
  });
});

describe('the frontier sentence', () => {
  const uniform = [
    { service_level: 0.9, stock_value: 100, expected_fill_rate: 0.8 },
    { service_level: 0.95, stock_value: 200, expected_fill_rate: 0.883 },
  ];
  const frontier = [
    { stock_value: 80, expected_fill_rate: 0.85 },
    { stock_value: 150, expected_fill_rate: 0.93 },
    { stock_value: 250, expected_fill_rate: 0.97 },
  ];
  it('reads the allocation at the uniform plan’s money, between its points', () => {
    expect(fillAt(frontier, 200)).toBeCloseTo(0.95, 12);
    expect(fillAt(frontier, 50)).toBeNull();
    expect(fillAt(frontier, 300)).toBeNull();
    expect(sameMoney({ uniform, frontier, service_level: 0.95 })).toEqual({
      level: 0.95,
      uniform: 0.883,
      better: 0.95,
    });
    // a job at 90 %: the sentence is about its own level
    expect(sameMoney({ uniform, frontier, service_level: 0.9 })?.level).toBe(0.9);
    expect(sameMoney({ uniform: [], frontier, service_level: 0.95 })).toBeNull();
  });
});
