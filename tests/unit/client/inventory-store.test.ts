import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type {
  InventoryRowsDto,
  InventoryRowsQuery,
  InventoryFrontierDto,
  InventorySummaryDto,
  PlanRowDto,
} from '../../../server/contract/inventory.js';
import type { InventoryApi, PlanFormat } from '../../../client/src/lib/inventory-api.js';
import { InventoryStore } from '../../../client/src/lib/inventory.svelte.js';
import { fail, ok, type Result } from '../../../client/src/lib/result.js';
import { tick } from './fakes.js';

function planRow(i: number, over: Partial<PlanRowDto> = {}): PlanRowDto {
  return {
    partnumber: `P${String(i).padStart(3, '0')}`,
    site_code: i % 2 ? 'JKT' : 'SBY',
    demand_class: i % 3 ? 'intermittent' : 'smooth',
    lead_time_periods: 4,
    review_periods: 1,
    service_level: 0.95,
    ltd_mean: i / 2,
    ltd_q50: i,
    ltd_q80: i + 1,
    ltd_q90: i + 2,
    ltd_q95: i + 3,
    ltd_q99: i + 5,
    order_up_to: i + 3,
    safety_stock: i + 3 - i / 2,
    unit_cost: 10,
    stock_value: (i + 3) * 10,
    on_hand: 2,
    on_order: 0,
    suggested_order: i % 4 ? i + 1 : 0,
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
    ...over,
  };
}

const summaryOf = (over: Partial<InventorySummaryDto> = {}): InventorySummaryDto => ({
  service_level: 0.95,
  overall: {
    series: 120,
    parts_to_order: 90,
    units_to_order: 700,
    stocked_series: 120,
    stock_value: 9000,
    costed_series: 120,
    expected_fill_rate: 0.95,
  },
  by_site: [
    {
      site_code: 'JKT',
      series: 60,
      parts_to_order: 45,
      units_to_order: 350,
      stocked_series: 60,
      stock_value: 4500,
      costed_series: 60,
      expected_fill_rate: 0.95,
    },
    {
      site_code: 'SBY',
      series: 60,
      parts_to_order: 45,
      units_to_order: 350,
      stocked_series: 60,
      stock_value: 4500,
      costed_series: 60,
      expected_fill_rate: 0.95,
    },
  ],
  curve: [
    { service_level: 0.8, stock_value: 6000 },
    { service_level: 0.9, stock_value: 7500 },
    { service_level: 0.95, stock_value: 9000 },
    { service_level: 0.99, stock_value: 12000 },
  ],
  demand_classes: ['intermittent', 'smooth'],
  plan_mode: 'service_level',
  stock_budget: null,
  target_fill_rate: null,
  costless_series: 0,
  below_floors: false,
  target_unreachable: false,
  plan_point: null,
  frontier: [],
  uniform: [],
  has_parts_file: true,
  ...over,
});

/** The plan endpoints over an in-memory plan: filters, sorts and pages like the contract says. */
class FakeInventoryApi implements InventoryApi {
  plan = Array.from({ length: 120 }, (_, i) => planRow(i + 1));
  summaryAnswer: Result<InventorySummaryDto> = ok(summaryOf());
  downloadAnswer: Result<void> = ok(undefined);
  calls: string[] = [];
  queries: InventoryRowsQuery[] = [];
  /** Answers of rows() wait for these, first in first out (to cross answers on purpose). */
  gates: Promise<void>[] = [];

  async summary(id: string) {
    this.calls.push(`summary:${id}`);
    return this.summaryAnswer;
  }
  frontierAnswer: Result<InventoryFrontierDto> = ok({ plan_point: null, frontier: [], uniform: [] });
  /** frontier() waits for this (the frontier is still being made) */
  frontierGate: Promise<void> | null = null;
  async frontier(id: string) {
    this.calls.push(`frontier:${id}`);
    if (this.frontierGate) await this.frontierGate;
    return this.frontierAnswer;
  }
  async rows(id: string, q: InventoryRowsQuery): Promise<Result<InventoryRowsDto>> {
    this.calls.push(`rows:${id}`);
    this.queries.push(q);
    const gate = this.gates.shift();
    let list = this.plan.filter(
      (r) =>
        r.partnumber.toLowerCase().includes(q.q.toLowerCase()) &&
        (!q.site_code || r.site_code === q.site_code) &&
        (!q.demand_class || r.demand_class === q.demand_class) &&
        (!q.to_order || (r.suggested_order ?? 0) > 0),
    );
    const sign = q.dir === 'asc' ? 1 : -1;
    list = [...list].sort((a, b) => {
      const x = a[q.sort];
      const y = b[q.sort];
      return sign * (typeof x === 'string' ? x.localeCompare(String(y)) : (x ?? -1) - ((y as number) ?? -1));
    });
    const pages = Math.max(1, Math.ceil(list.length / q.page_size));
    const page = Math.min(q.page, pages);
    const rows = list.slice((page - 1) * q.page_size, page * q.page_size);
    if (gate) await gate;
    return ok({ total: list.length, page, page_size: q.page_size, rows });
  }
  downloadUrl = (id: string, f: PlanFormat) => `/api/jobs/${id}/inventory?format=${f}`;
  async download(id: string, f: PlanFormat) {
    this.calls.push(`download:${id}:${f}`);
    return this.downloadAnswer;
  }
}

async function ready(api = new FakeInventoryApi(), pageSize = 20) {
  const store = new InventoryStore(api, 'job1', pageSize);
  store.sync({ status: 'COMPLETED', has_plan: true });
  await tick();
  return { api, store };
}

describe('InventoryStore: following the job', () => {
  it('shows the summary at once while its frontier is made, then adds the frontier', async () => {
    const api = new FakeInventoryApi();
    api.summaryAnswer = ok(summaryOf({ frontier_state: 'pending' }));
    const frontier = [
      { stock_value: 100, expected_fill_rate: 0.8 },
      { stock_value: 200, expected_fill_rate: 0.9 },
    ];
    api.frontierAnswer = ok({
      plan_point: frontier[1],
      frontier,
      uniform: [{ service_level: 0.95, stock_value: 250, expected_fill_rate: 0.9 }],
    });
    let open = () => {};
    api.frontierGate = new Promise((r) => (open = r));
    const store = new InventoryStore(api, 'job1', 20);
    store.sync({ status: 'COMPLETED', has_plan: true });
    await tick();
    expect(store.phase).toBe('ready');
    expect(store.summary?.frontier).toEqual([]);
    expect(api.calls).toContain('frontier:job1');
    open();
    await tick();
    expect(store.summary?.frontier).toEqual(frontier);
    expect(store.summary?.plan_point).toEqual(frontier[1]);
    expect(store.summary?.frontier_state).toBe('ready');
    expect(store.summary?.overall.parts_to_order).toBe(90);
  });

  it('asks for no frontier when the summary has it', async () => {
    const { api } = await ready();
    expect(api.calls).not.toContain('frontier:job1');
  });

  it('asks for nothing while the job runs, and loads the plan once it completes', async () => {
    const api = new FakeInventoryApi();
    const store = new InventoryStore(api, 'job1', 20);
    store.sync({ status: 'QUEUED' });
    store.sync({ status: 'PROCESSING' });
    expect(store.phase).toBe('waiting');
    expect(api.calls).toEqual([]);
    store.sync({ status: 'COMPLETED', has_plan: true });
    expect(store.phase).toBe('loading');
    await tick();
    expect(store.phase).toBe('ready');
    expect(store.summary?.overall.parts_to_order).toBe(90);
    expect(store.rows).toHaveLength(20);
    expect(store.total).toBe(120);
    expect(store.pages).toBe(6);
    // Further pushes of the same COMPLETED job do not load it again.
    store.sync({ status: 'COMPLETED', has_plan: true });
    await tick();
    expect(api.calls).toEqual(['summary:job1', 'rows:job1']);
  });

  it('says why there is no plan: stopped or failed, an old job without one, deleted', async () => {
    const api = new FakeInventoryApi();
    const store = new InventoryStore(api, 'job1');
    store.sync({ status: 'CANCELLED' });
    expect(store.phase).toBe('unavailable');
    store.sync({ status: 'FAILED' });
    expect(store.phase).toBe('unavailable');
    store.sync({ status: 'COMPLETED', has_plan: false });
    expect(store.phase).toBe('none');
    store.sync({ status: 'COMPLETED', has_plan: false }, true);
    expect(store.phase).toBe('deleted');
    expect(api.calls).toEqual([]);
  });

  it('a job DTO without has_plan (server not yet telling) asks, and a 404 for the plan means "no plan"', async () => {
    const api = new FakeInventoryApi();
    api.summaryAnswer = fail('OUTPUT_MISSING', 'This job has no inventory plan.');
    const store = new InventoryStore(api, 'job1');
    store.sync({ status: 'COMPLETED' });
    await tick();
    expect(store.phase).toBe('none');
    expect(store.error).toBeNull();
  });

  it('409 JOB_NOT_COMPLETED goes back to waiting and asks again on the next push', async () => {
    const api = new FakeInventoryApi();
    api.summaryAnswer = fail('JOB_NOT_COMPLETED', 'not yet');
    const store = new InventoryStore(api, 'job1');
    store.sync({ status: 'COMPLETED', has_plan: true });
    await tick();
    expect(store.phase).toBe('waiting');
    api.summaryAnswer = ok(summaryOf());
    store.sync({ status: 'COMPLETED', has_plan: true });
    await tick();
    expect(store.phase).toBe('ready');
  });

  it('keeps a server error for the page to word, and Try again loads', async () => {
    const api = new FakeInventoryApi();
    api.summaryAnswer = fail('INTERNAL', 'boom');
    const store = new InventoryStore(api, 'job1');
    store.sync({ status: 'COMPLETED', has_plan: true });
    await tick();
    expect(store.phase).toBe('error');
    expect(store.error).toEqual({ code: 'INTERNAL', message: 'boom' });
    api.summaryAnswer = ok(summaryOf());
    await store.load();
    expect(store.phase).toBe('ready');
    expect(store.error).toBeNull();
  });

  it('a delete while the plan loads wins over the late answer', async () => {
    const api = new FakeInventoryApi();
    const store = new InventoryStore(api, 'job1');
    store.sync({ status: 'COMPLETED', has_plan: true });
    store.sync({ status: 'COMPLETED', has_plan: true }, true);
    await tick();
    expect(store.phase).toBe('deleted');
  });
});

describe('InventoryStore: the table', () => {
  it('search, site, class and "only to order" go to the server and start again at page 1', async () => {
    const { api, store } = await ready();
    await store.goto(3);
    expect(store.page).toBe(3);
    await store.setSearch('  P01 ');
    expect(api.queries.at(-1)).toMatchObject({ q: 'P01', page: 1, page_size: 20 });
    expect(store.rows.every((r) => r.partnumber.includes('P01'))).toBe(true);
    await store.setSite('JKT');
    await store.setClass('smooth');
    await store.setToOrder(true);
    expect(api.queries.at(-1)).toMatchObject({
      q: 'P01',
      site_code: 'JKT',
      demand_class: 'smooth',
      to_order: true,
      page: 1,
    });
    expect(store.rows.length).toBeGreaterThan(0);
    for (const r of store.rows) {
      expect(r).toMatchObject({ site_code: 'JKT', demand_class: 'smooth' });
      expect(r.suggested_order).toBeGreaterThan(0);
    }
    expect(store.total).toBe(store.rows.length);
  });

  it('sorts names A→Z and numbers biggest first; the same column again flips', async () => {
    const { api, store } = await ready();
    expect(api.queries[0]).toMatchObject({ sort: 'stock_value', dir: 'desc' });
    await store.sortBy('partnumber');
    expect(api.queries.at(-1)).toMatchObject({ sort: 'partnumber', dir: 'asc', page: 1 });
    expect(store.rows[0]!.partnumber).toBe('P001');
    await store.sortBy('partnumber');
    expect(store.dir).toBe('desc');
    expect(store.rows[0]!.partnumber).toBe('P120');
    await store.sortBy('suggested_order');
    expect(api.queries.at(-1)).toMatchObject({ sort: 'suggested_order', dir: 'desc' });
  });

  it('pages stay inside 1..pages and follow the page the server answered', async () => {
    const { api, store } = await ready();
    await store.goto(99);
    expect(store.page).toBe(6);
    expect(store.rows[0]).toBeDefined();
    await store.goto(0);
    expect(store.page).toBe(1);
    // The server clamps a page past the end (here the plan it answers from is shorter): its page is shown.
    api.plan = api.plan.slice(0, 30);
    await store.goto(6);
    expect(store.page).toBe(2);
    expect(store.total).toBe(30);
    expect(store.pages).toBe(2);
  });

  it('shows only the latest answer when a slow search is overtaken by a newer one', async () => {
    const { api, store } = await ready();
    let release!: () => void;
    api.gates.push(new Promise<void>((r) => (release = r)));
    const slow = store.setSearch('P00');
    await store.setSearch('P12');
    expect(store.rows.map((r) => r.partnumber)).toEqual(['P120']);
    release();
    await slow;
    expect(store.rows.map((r) => r.partnumber)).toEqual(['P120']);
    expect(store.q).toBe('P12');
    expect(store.loadingRows).toBe(false);
  });

  it('a failed page keeps the rows shown and the error for the page to word', async () => {
    const { api, store } = await ready();
    const before = store.rows;
    api.rows = async () => fail('NETWORK');
    await store.goto(2);
    expect(store.rowsError?.code).toBe('NETWORK');
    expect(store.rows).toBe(before);
    expect(store.phase).toBe('ready');
  });
});

describe('InventoryStore: the chosen part and downloads', () => {
  it('a part picked in the chart comes from the page in view without asking', async () => {
    const { api, store } = await ready();
    const shown = store.rows[3]!;
    const n = api.calls.length;
    await store.choose({ partnumber: shown.partnumber, site_code: shown.site_code });
    expect(store.selected).toBe(shown);
    expect(api.calls).toHaveLength(n);
  });

  it('a part not on the page is looked up by part and site, leaving the table and its filters alone', async () => {
    const { api, store } = await ready();
    await store.setClass('smooth');
    const rowsBefore = store.rows;
    await store.choose({ partnumber: 'P001', site_code: 'JKT' });
    expect(api.queries.at(-1)).toMatchObject({ q: 'P001', site_code: 'JKT', demand_class: '', to_order: false });
    expect(store.selected).toMatchObject({ partnumber: 'P001', site_code: 'JKT', demand_class: 'intermittent' });
    expect(store.missing).toBe(false);
    expect(store.rows).toBe(rowsBefore);
    expect(store.demandClass).toBe('smooth');
  });

  it('says "missing" for a part the plan lacks, and a click in the table meanwhile wins', async () => {
    const { api, store } = await ready();
    await store.choose({ partnumber: 'P001', site_code: 'SBY' });
    expect(store.selected).toBeNull();
    expect(store.missing).toBe(true);
    let release!: () => void;
    api.gates.push(new Promise<void>((r) => (release = r)));
    const late = store.choose({ partnumber: 'P002', site_code: 'SBY' });
    const clicked = store.rows[0]!;
    store.select(clicked);
    release();
    await late;
    expect(store.selected).toBe(clicked);
    expect(store.missing).toBe(false);
  });

  it('chooses nothing before the plan is ready', async () => {
    const api = new FakeInventoryApi();
    const store = new InventoryStore(api, 'job1');
    await store.choose({ partnumber: 'P001', site_code: 'JKT' });
    expect(api.calls).toEqual([]);
    expect(store.selected).toBeNull();
  });

  it('downloads CSV and XLSX and keeps a refusal for the page to word', async () => {
    const { api, store } = await ready();
    await store.download('csv');
    expect(store.downloadError).toBeNull();
    api.downloadAnswer = fail('JOB_NOT_FOUND', 'gone');
    const p = store.download('xlsx');
    expect(store.downloading).toBe('xlsx');
    await p;
    expect(store.downloading).toBeNull();
    expect(store.downloadError?.code).toBe('JOB_NOT_FOUND');
    expect(api.calls.filter((c) => c.startsWith('download'))).toEqual(['download:job1:csv', 'download:job1:xlsx']);
  });
});
