/**
 * Hostile .xlsx containers on a real server (issue 18): a 6 KB sheet of 800,000 unclosed `<row>` that
 * froze the event loop, a sharedStrings.xml hidden from the central directory (read by the workbook
 * reader all the same), and corrupt compressed data (a 500 before). Each is a 400 with a readable
 * message, in the preview and at job creation, as the demand file and as the parts file; /api/health
 * keeps answering and no file is left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewDto } from '../../server/contract/dto.js';
import { xlsxCorruptDeflate, xlsxHiddenSharedStrings, xlsxUnclosed } from '../fixtures/bad/builders.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await bootServer();
  // The first request pays for setting up the HTTP client: not the server's latency.
  await api(s.url, 'GET', '/api/health');
});
afterAll(async () => {
  await s.stop();
});

const DEMAND = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,S1\n2,2024-01-02,P1,S1\n';
const ROWS = [
  ['demand_qty', 'date', 'partnumber', 'site_code'],
  ['1', '2024-01-01', 'P1', 'S1'],
];

type Route = '/api/preview' | '/api/jobs';
type Answer = { status: number; body: { error?: { code: string; message: string } } };

/** POSTs a demand file and, optionally, a parts file. */
async function send(route: Route, file: { name: string; content: Uint8Array | string }, parts?: typeof file) {
  const form = new FormData();
  form.append('file', new Blob([file.content]), file.name);
  if (parts) form.append('parts', new Blob([parts.content]), parts.name);
  form.append('config', JSON.stringify({ forecast_horizon: 14 }));
  const res = await fetch(`${s.url}${route}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Sends the upload while timing /api/health every 20 ms; the answer and the slowest health answer. */
async function sendTimingHealth(route: Route, file: { name: string; content: Uint8Array }) {
  let done = false;
  let slowest = 0;
  let answers = 0;
  const sampler = (async () => {
    while (!done) {
      const t0 = performance.now();
      const r = await api(s.url, 'GET', '/api/health');
      expect(r.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - t0);
      answers++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const answer = await send(route, file).finally(() => (done = true));
  await sampler;
  // And right after.
  const t0 = performance.now();
  expect((await api(s.url, 'GET', '/api/health')).status).toBe(200);
  slowest = Math.max(slowest, performance.now() - t0);
  return { answer, slowest, answers: answers + 1 };
}

function expectRefused(r: Answer, message: RegExp) {
  expect(r.status).toBe(400);
  expect(r.body.error?.code).toBe('DAMAGED_FILE');
  expect(r.body.error?.message).toMatch(message);
  expect(r.body.error?.message).not.toMatch(/block type|Z_DATA_ERROR|\/tmp|\.ts\b/);
  expect(filesIn(s.storage, 'tmp')).toEqual([]);
  expect(filesIn(s.storage, 'uploads')).toEqual([]);
}

describe('a 6 KB sheet of 800,000 unclosed <row>', () => {
  const file = { name: 'rows.xlsx', content: xlsxUnclosed('<row>', 800_000) };

  for (const route of ['/api/preview', '/api/jobs'] as const) {
    it(`${route}: a clear 400 while /api/health keeps answering`, async () => {
      expect(file.content.length).toBeLessThan(8 * 1024);
      const { answer, slowest, answers } = await sendTimingHealth(route, file);
      expectRefused(answer, /one of its first rows never ends/);
      expect(answers).toBeGreaterThan(0);
      // Frozen, it answered nothing for a minute; a shared CI machine can still be slow now and then.
      expect(slowest).toBeLessThan(3000);
    });
  }
});

describe('a sharedStrings.xml left out of the central directory', () => {
  for (const route of ['/api/preview', '/api/jobs'] as const) {
    it(`${route}: refused before any workbook reader inflates it`, async () => {
      // 20 MB of shared strings (over the 16 MB budget) in 50 KB; the directory does not list them.
      const content = await xlsxHiddenSharedStrings(20);
      expect(content.length).toBeLessThan(100 * 1024);
      expectRefused(await send(route, { name: 'hidden.xlsx', content }), /differ from its own list of parts/);
    });
  }
});

describe('an .xlsx with corrupt compressed data', () => {
  const broken = { name: 'broken.xlsx', content: xlsxCorruptDeflate(ROWS) };
  for (const route of ['/api/preview', '/api/jobs'] as const) {
    it(`${route}: a 400 as the demand file; as the parts file, named so (the preview: its own error)`, async () => {
      expectRefused(await send(route, broken), /"broken\.xlsx" is a damaged Excel workbook/);
      const asParts = await send(route, { name: 'demand.csv', content: DEMAND }, broken);
      const named = /^The parts file "broken\.xlsx" is a damaged Excel workbook/;
      if (route === '/api/jobs') expectRefused(asParts, named);
      else {
        // the demand file's preview stands (issue 21 item 8)
        const body = asParts.body as PreviewDto;
        expect(asParts.status).toBe(200);
        expect(body.rows).toBeGreaterThan(0);
        expect(body.parts_file_error?.code).toBe('DAMAGED_FILE');
        expect(body.parts_file_error?.message).toMatch(named);
      }
    });
  }

  it('created no job', async () => {
    expect((await api<{ total: number }>(s.url, 'GET', '/api/jobs')).body.total).toBe(0);
  });
});
