/**
 * Parts master data through the real server (issue 25): a monthly file of three sites and a parts file
 * where OLD is replaced by NEW. One plan row per site for NEW, listing OLD; the chart of NEW holds both
 * numbers' demand; OLD's stock reduces NEW's order; the order rules hold; a loop is refused at preview and
 * upload, naming the parts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto, PreviewDto, SeriesDto, SeriesKeysDto } from '../../server/contract/dto.js';
import type { InventoryRowsDto, PlanRowDto, TransfersDto } from '../../server/contract/inventory.js';
import { api, bootServer, type TestServer } from '../helpers/server.js';
import { sendJob, untilFinal } from './inventory-support.js';

const SITES = ['A', 'B', 'C'];
const MONTHS = 36;
const month = (m: number) => `${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
/** OLD sells until month 26, NEW from month 24 on; P1 all along. */
function qty(part: string, m: number, i: number): number {
  if (part === 'OLD') return m < 26 ? 2 + ((m * (i + 1)) % 3) : 0;
  if (part === 'NEW') return m >= 24 ? 3 + ((m + i) % 3) : 0;
  return 4 + ((m + 2 * i) % 5);
}
function demand(): string {
  const lines = ['date,partnumber,site_code,qty'];
  for (let m = 0; m < MONTHS; m++)
    SITES.forEach((site, i) => {
      for (const p of ['OLD', 'NEW', 'P1']) if (qty(p, m, i)) lines.push(`${month(m)},${p},${site},${qty(p, m, i)}`);
    });
  return `${lines.join('\n')}\n`;
}
const parts = [
  'partnumber,site_code,replaced_by,lead_time_days,unit_cost,on_hand,on_order,moq,order_multiple',
  'OLD,,NEW,,,4,0,,',
  'NEW,,,60,2,1,0,,',
  'P1,,,30,5,0,0,10,5',
].join('\n');

let s: TestServer;
let job: JobDto;
let plan: PlanRowDto[];
beforeAll(async () => {
  s = await bootServer();
  const up = await sendJob(s.url, demand(), { name: 'parts.csv', content: parts }, { forecast_horizon: 6 });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  job = await untilFinal(s.url, up.body.id);
  expect(job.status, job.error_message ?? '').toBe('COMPLETED');
  plan = (await api<InventoryRowsDto>(s.url, 'GET', `/api/jobs/${job.id}/inventory/rows?page_size=500`)).body.rows;
}, 120_000);
afterAll(() => s.stop());

describe('supersession through POST /api/jobs', () => {
  it('the plan has one row per site for NEW, listing OLD, and none for OLD', () => {
    expect(plan.map((r) => `${r.partnumber}@${r.site_code}`).sort()).toEqual(
      ['NEW@A', 'NEW@B', 'NEW@C', 'P1@A', 'P1@B', 'P1@C'].sort(),
    );
    for (const r of plan) expect(r.replaces).toBe(r.partnumber === 'NEW' ? 'OLD' : '');
  });
  it('OLD’s stock counts toward NEW’s position and so reduces its order', () => {
    for (const r of plan.filter((x) => x.partnumber === 'NEW')) {
      expect(r.on_hand).toBe(1 + 4);
      expect(r.suggested_order).toBe(Math.max(0, r.order_up_to - 5));
      expect(r.order_value).toBe(r.suggested_order! * 2);
    }
  });
  it('the order rules: P1 orders at least 10, in fives; reorder points at or below order-up-to', () => {
    for (const r of plan) {
      expect(r.reorder_point).not.toBeNull();
      expect(r.reorder_point!).toBeLessThanOrEqual(r.order_up_to);
    }
    for (const r of plan.filter((x) => x.partnumber === 'P1')) {
      const need = r.order_up_to - 0;
      expect(need).toBeGreaterThan(0);
      expect(r.suggested_order).toBe(Math.ceil(Math.max(need, 10) / 5) * 5);
    }
  });
  it('the chart of NEW holds both numbers’ demand; OLD has no series of its own', async () => {
    const keys = (await api<SeriesKeysDto>(s.url, 'GET', `/api/jobs/${job.id}/series/keys?limit=50`)).body;
    expect(keys.keys.map((k) => k.partnumber)).not.toContain('OLD');
    for (const [i, site] of SITES.entries()) {
      const q = new URLSearchParams({ partnumber: 'NEW', site_code: site });
      const got = await api<SeriesDto>(s.url, 'GET', `/api/jobs/${job.id}/series?${q}`);
      expect(got.status).toBe(200);
      const total = got.body.history.reduce((t, h) => t + h.qty, 0);
      let want = 0;
      for (let m = 0; m < MONTHS; m++) want += qty('OLD', m, i) + qty('NEW', m, i);
      expect(total).toBe(want);
      expect(got.body.history[0].date).toBe(month(0)); // from OLD's first month
    }
  });
  it('the preview says how many numbers were merged', async () => {
    const r = await sendJob(s.url, demand(), { name: 'parts.csv', content: parts }, {}, '/api/preview');
    expect(r.status).toBe(200);
    const p = r.body as unknown as PreviewDto;
    expect(p.parts_file).toMatchObject({ merged: 1 });
    expect(p.series).toBe(6);
  });
  it('a loop is refused with a 400 at preview and at upload, naming both parts', async () => {
    const loop = 'partnumber,replaced_by\nOLD,NEW\nNEW,OLD\n';
    for (const path of ['/api/preview', '/api/jobs']) {
      const r = await sendJob(s.url, demand(), { name: 'loop.csv', content: loop }, {}, path);
      expect(r.status, path).toBe(400);
      expect(r.body.error?.code).toBe('SUPERSESSION_CYCLE');
      expect(r.body.error?.message).toMatch(/loop\.csv.*"(OLD|NEW)" → "(OLD|NEW)" → "(OLD|NEW)"/);
      expect(r.body.error?.message).toMatch(/OLD/);
      expect(r.body.error?.message).toMatch(/NEW/);
    }
  });
});

describe('transfers between sites through POST /api/jobs', () => {
  // T sells at every site; A holds far more than it needs, B and C hold nothing
  const tParts = [
    'partnumber,site_code,lead_time_days,unit_cost,on_hand',
    'T,A,30,3,200',
    'T,B,30,3,0',
    'T,C,30,3,0',
  ].join('\n');
  const tDemand = () => {
    const lines = ['date,partnumber,site_code,qty'];
    for (let m = 0; m < MONTHS; m++)
      SITES.forEach((site, i) => lines.push(`${month(m)},T,${site},${3 + ((m + i) % 4)}`));
    return `${lines.join('\n')}\n`;
  };
  const run = async (config: Record<string, unknown>) => {
    const up = await sendJob(
      s.url,
      tDemand(),
      { name: 'stock.csv', content: tParts },
      { forecast_horizon: 3, ...config },
    );
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const j = await untilFinal(s.url, up.body.id);
    expect(j.status, j.error_message ?? '').toBe('COMPLETED');
    const rows = (await api<InventoryRowsDto>(s.url, 'GET', `/api/jobs/${j.id}/inventory/rows?page_size=50`)).body.rows;
    const csv = await (await fetch(`${s.url}/api/jobs/${j.id}/inventory/transfers?format=csv`)).text();
    return { job: j, rows, lines: csv.trimEnd().split('\n') };
  };
  it('moves A’s excess to B and C; their purchases shrink by it; off: header only, full purchases', async () => {
    const on = await run({});
    const off = await run({ transfers: false });
    expect(on.lines[0]).toBe('partnumber,from_site,to_site,qty,value');
    expect(off.lines).toEqual(['partnumber,from_site,to_site,qty,value']);
    const moves = on.lines.slice(1).map((l) => l.split(','));
    expect(moves.length).toBeGreaterThan(0);
    const at = (rows: PlanRowDto[], site: string) => rows.find((r) => r.site_code === site)!;
    const a = at(on.rows, 'A');
    let given = 0;
    for (const [part, from, to, qty, value] of moves) {
      expect([part, from]).toEqual(['T', 'A']);
      expect(['B', 'C']).toContain(to);
      expect(Number(value)).toBe(Number(qty) * 3);
      given += Number(qty);
      const got = Number(qty);
      const r = at(on.rows, to);
      const need = r.order_up_to - r.on_hand!;
      expect(got).toBeLessThanOrEqual(need);
      expect(r.suggested_order).toBe(need - got);
      expect(at(off.rows, to).suggested_order).toBe(need);
    }
    expect(200 - given).toBeGreaterThanOrEqual(a.order_up_to); // A keeps its own level
    const xlsx = await fetch(`${s.url}/api/jobs/${on.job.id}/inventory/transfers?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect((await fetch(`${s.url}/api/jobs/${on.job.id}/inventory/transfers?format=pdf`)).status).toBe(400);
    const json = (await api<TransfersDto>(s.url, 'GET', `/api/jobs/${on.job.id}/inventory/transfers?format=json`)).body;
    expect(json.rows.map((r) => [r.partnumber, r.from_site, r.to_site, r.qty])).toEqual(
      moves.map(([p, f, t, q]) => [p, f, t, Number(q)]),
    );
    expect(json.total_qty).toBe(given);
    expect(json.total_value).toBe(given * 3);
    // a re-plan with transfers off drops them and buys in full
    const re = await api(s.url, 'POST', `/api/jobs/${on.job.id}/inventory/plan`, { transfers: false });
    expect(re.status, JSON.stringify(re.body)).toBe(200);
    const after = await (await fetch(`${s.url}/api/jobs/${on.job.id}/inventory/transfers`)).text();
    expect(after.trimEnd().split('\n')).toHaveLength(1);
  });
});
