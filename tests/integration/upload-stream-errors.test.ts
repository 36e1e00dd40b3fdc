/**
 * Issue 18, part 1: the upload check reads only a file's header and then stops, which cuts the file's
 * read off mid-parse. A CSV with a quoted field ("Jakarta, Utara") in a file larger than a read-ahead went
 * through csv-parse behind a `.pipe()` without an error handler, so that stop crashed the whole process
 * (an unhandled ERR_STREAM_PREMATURE_CLOSE). Every upload path is sent such a file here (the demand file
 * and the parts file, through the preview and through a new job, in UTF-8, cp1252 and UTF-16); the
 * server must answer sensibly and still answer /api/health afterwards.
 *
 * (The sample job is not an upload path for this: its file is the fixed, small sample, never checked.)
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto, PreviewDto } from '../../server/contract/dto.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { untilFinal } from './inventory-support.js';

let s: TestServer;
beforeAll(async () => {
  s = await bootServer();
});
afterAll(async () => {
  await s.stop();
});

/** ~600 KB of demand: 8 parts at one site spelled with a comma, so every line holds a quoted field. */
function bigQuotedDemand(): string {
  const lines = ['demand_qty,date,partnumber,site_code'];
  const day0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 18_000; i++) {
    const date = new Date(day0 + (i % 150) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${1 + (i % 3)},${date},P${i % 8},"Jakarta, Utara"`);
  }
  return `${lines.join('\n')}\n`;
}

/** ~400 KB parts file whose rows have a quoted description with a comma. */
function bigQuotedParts(): string {
  const lines = ['part_number,description,lead_time_days,unit_cost'];
  for (let i = 0; i < 8_000; i++) lines.push(`P${i},"Bearing, ${'x'.repeat(20)} ${i}",${5 + (i % 9)},2.5`);
  return `${lines.join('\n')}\n`;
}

const SMALL =
  'demand_qty,date,partnumber,site_code\n' +
  Array.from(
    { length: 60 },
    (_, d) => `${1 + (d % 4)},2024-01-${String(1 + (d % 28)).padStart(2, '0')},P${d % 3},A`,
  ).join('\n') +
  '\n';

type Body = { error?: { code: string; message: string } };

async function send(
  path: '/api/preview' | '/api/jobs',
  demand: string | Uint8Array,
  parts: string | Uint8Array | null,
): Promise<{ status: number; body: Body & Partial<PreviewDto> & Partial<JobDto> }> {
  const form = new FormData();
  form.append('file', new Blob([demand]), 'demand.csv');
  if (parts !== null) form.append('parts', new Blob([parts]), 'parts.csv');
  if (path === '/api/jobs') form.append('config', JSON.stringify({ forecast_horizon: 7 }));
  const res = await fetch(`${s.url}${path}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Body & Partial<PreviewDto> & Partial<JobDto> };
}

/** The process is up and its health answers (a crash would have ended the test run already). */
async function healthy(): Promise<void> {
  await new Promise((r) => setTimeout(r, 200)); // let a late stream error surface
  const h = await api<{ ok: boolean }>(s.url, 'GET', '/api/health');
  expect(h.status).toBe(200);
  expect(h.body.ok).toBe(true);
}

const utf16le = (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(t, 'utf16le')]);
const cp1252 = (t: string) => iconv.encode(t.replace('Utara', 'Utara é'), 'win1252');

describe('a file whose read is cut off mid-parse (the upload check stops after the header)', () => {
  it('preview of a 600 KB demand file with quoted fields: 200, every row read', async () => {
    const text = bigQuotedDemand();
    expect(text.length).toBeGreaterThan(500_000);
    const r = await send('/api/preview', text, null);
    expect(r.status).toBe(200);
    expect(r.body.rows).toBe(18_000);
    expect(r.body.sites).toEqual(['Jakarta, Utara']);
    await healthy();
  });

  it('preview of the same file in cp1252 and in UTF-16: 200', async () => {
    for (const content of [cp1252(bigQuotedDemand()), utf16le(bigQuotedDemand())]) {
      const r = await send('/api/preview', content, null);
      expect(r.status).toBe(200);
      expect(r.body.rows).toBe(18_000);
    }
    await healthy();
  });

  it('a new job from it: 201, then COMPLETED', async () => {
    const r = await send('/api/jobs', bigQuotedDemand(), null);
    expect(r.status).toBe(201);
    await healthy();
    const done = await untilFinal(s.url, r.body.id!);
    expect(done.status).toBe('COMPLETED');
    await healthy();
  });

  it('preview with a 400 KB parts file with quoted fields: 200, the parts file read', async () => {
    const r = await send('/api/preview', SMALL, bigQuotedParts());
    expect(r.status).toBe(200);
    expect(r.body.parts_file?.rows).toBe(8_000);
    await healthy();
  });

  it('a new job with that parts file (in UTF-16 too): 201, then COMPLETED', async () => {
    for (const parts of [bigQuotedParts(), utf16le(bigQuotedParts())]) {
      const r = await send('/api/jobs', SMALL, parts);
      expect(r.status).toBe(201);
      await healthy();
      expect((await untilFinal(s.url, r.body.id!)).status).toBe('COMPLETED');
    }
    await healthy();
  });

  it('a parts file that is refused after its cut-off read still answers 400, and leaves nothing', async () => {
    const bad = bigQuotedParts().replace('part_number', 'thing');
    const r = await send('/api/jobs', bigQuotedDemand(), bad);
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('MISSING_COLUMNS');
    await healthy();
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });
});
