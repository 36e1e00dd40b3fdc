/**
 * Issue 18, part 3, end to end: part numbers and site codes with bidirectional control characters in
 * the demand file and the parts file come out without them, in the forecast CSV, the inventory plan and
 * the job's sites, and the parts file still applies to its (cleaned) part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bootServer, type TestServer } from '../helpers/server.js';
import { sendJob, untilFinal } from './inventory-support.js';

let s: TestServer;
beforeAll(async () => {
  s = await bootServer();
});
afterAll(async () => {
  await s.stop();
});

const ANY_BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
/** Wraps a code the way a spoofed export would: an override, an isolate, marks. */
const spoof = (code: string, i: number) =>
  [`\u202E${code}\u202C`, `\u2066${code}\u2069`, `\u200E${code}\u200F`, `\u061C${code}`, code][i % 5];

function demand(): string {
  const lines = ['demand_qty,date,partnumber,site_code'];
  const day0 = Date.UTC(2024, 0, 1);
  for (let d = 0; d < 90; d++) {
    const date = new Date(day0 + d * 86_400_000).toISOString().slice(0, 10);
    for (const [i, p] of ['P1', 'P2', 'P3'].entries())
      if ((d + i) % 3 === 0) lines.push(`${1 + ((d + i) % 4)},${date},${spoof(p, d)},${spoof('SITE-A', d + i)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('bidi controls in codes', () => {
  it('never reach the forecast CSV, the plan or the sites; the parts file still applies', async () => {
    const parts = 'part_number,site,lead_time_days,unit_cost\n\u202EP1\u202C,\u2067SITE-A\u2069,9,3.5\n';
    const up = await sendJob(s.url, demand(), { name: 'parts.csv', content: parts });
    expect(up.status).toBe(201);
    const job = await untilFinal(s.url, up.body.id);
    expect(job.status, job.error_message ?? '').toBe('COMPLETED');

    const forecast = await fetch(`${s.url}/api/jobs/${job.id}/download`).then((r) => r.text());
    expect(forecast.split('\n').length).toBeGreaterThan(3);
    expect(ANY_BIDI.test(forecast)).toBe(false);
    const partsOut = new Set(
      forecast
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(1, 3).join('@')),
    );
    expect([...partsOut].sort()).toEqual(['P1@SITE-A', 'P2@SITE-A', 'P3@SITE-A']);

    const plan = await fetch(`${s.url}/api/jobs/${job.id}/inventory`).then((r) => r.text());
    expect(ANY_BIDI.test(plan)).toBe(false);
    const header = plan.split('\n')[0].split(',');
    const p1 = plan
      .split('\n')
      .find((l) => l.startsWith('P1,SITE-A,'))!
      .split(',');
    expect(p1[header.indexOf('unit_cost')]).toBe('3.5'); // the parts file's row matched the cleaned code

    const sites = await api(s.url, 'GET', `/api/jobs/${job.id}/sites`);
    expect(sites.status).toBe(200);
    expect(ANY_BIDI.test(JSON.stringify(sites.body))).toBe(false);
  });
});
