/** Shared by the inventory integration tests: a small demand file, its parts file, upload and wait. */
import { api } from '../helpers/server.js';
import type { JobDto } from '../../server/contract/dto.js';
import type { JobConfigInput } from '../../server/contract/schemas.js';

export const PLAN_HEADER =
  'partnumber,site_code,demand_class,lead_time_periods,review_periods,service_level,ltd_mean,ltd_q50,ltd_q80,' +
  'ltd_q90,ltd_q95,ltd_q99,order_up_to,safety_stock,unit_cost,stock_value,on_hand,on_order,suggested_order,' +
  'expected_fill_rate,expected_units_short,demand_chance,periods_since_demand,' +
  'reorder_point,order_value,replaces,system_ltd_mean,system_order_up_to,override_kind,override_reason';

export const EVIL = '=HYPERLINK("http://x")';
const PARTS = ['P1', 'P2', 'P3', 'P4', 'P5', EVIL];
const csvCell = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** 6 parts × 2 sites × 120 days of deterministic demand (some slow, some steady). */
export function demandCsv(): string {
  const lines = ['demand_qty,date,partnumber,site_code'];
  const day0 = Date.UTC(2024, 0, 1);
  for (let d = 0; d < 120; d++) {
    const date = new Date(day0 + d * 86_400_000).toISOString().slice(0, 10);
    PARTS.forEach((p, i) => {
      for (const site of ['A', 'B']) {
        const q = (d * (i + 3) + site.length * 7) % (i + 2) === 0 ? 1 + ((d + i) % 4) : 0;
        if (q > 0) lines.push(`${q},${date},${csvCell(p)},${site}`);
      }
    });
  }
  return `${lines.join('\n')}\n`;
}

/** Lead time, cost and stock for P1 (every site) and P2 at A; the evil part too. */
export function partsCsv(): string {
  return [
    'part_number,site,lead_time_days,unit_cost,on_hand,on_order',
    'P1,,14,2.5,3,1',
    'P2,A,3,10,0,0',
    `${csvCell(EVIL)},,5,1,0,0`,
  ].join('\n');
}

/** POST /api/jobs with a demand file and an optional parts file. */
export async function sendJob(
  url: string,
  demand: string | Uint8Array,
  parts: { name: string; content: string } | null,
  config: JobConfigInput = {},
  path = '/api/jobs',
): Promise<{ status: number; body: JobDto & { error?: { code: string; message: string } } }> {
  const form = new FormData();
  form.append('file', new Blob([demand]), 'demand.csv');
  if (parts) form.append('parts', new Blob([parts.content]), parts.name);
  form.append('config', JSON.stringify({ forecast_horizon: 14, ...config }));
  const res = await fetch(`${url}${path}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as JobDto & { error?: { code: string; message: string } } };
}

const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];

export async function untilFinal(url: string, id: string, ms = 90_000): Promise<JobDto> {
  const end = Date.now() + ms;
  for (;;) {
    const j = (await api<JobDto>(url, 'GET', `/api/jobs/${id}`)).body;
    if (FINAL.includes(j.status)) return j;
    if (Date.now() > end) throw new Error(`job ${id} stayed ${j.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
