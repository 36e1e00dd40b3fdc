/**
 * Deeply nested JSON (issue 14) is a 400 with a readable message, never a 500 or a stack overflow, on
 * every path that parses client JSON: the multipart `config` field, JSON bodies (sample, rerun) and
 * socket command payloads (sent as raw frames: socket.io-client itself overflows encoding them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bootServer, FIXTURE_WORKER, uploadJob, type TestServer } from '../helpers/server.js';

const csv = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n';
const N = 300_000;
const DEEP: Record<string, string> = {
  array: '['.repeat(N) + ']'.repeat(N),
  object: '{"a":'.repeat(N / 5) + '1' + '}'.repeat(N / 5),
  'array in a known field': `{"forecast_site_codes":${'['.repeat(N)}${']'.repeat(N)}}`,
  'object in a known field': `{"method":${'{"a":'.repeat(N / 5)}1${'}'.repeat(N / 5)}}`,
};
let s: TestServer;
let jobId = '';

beforeAll(async () => {
  s = await bootServer({ workerFile: FIXTURE_WORKER });
  const up = await uploadJob(s.url, { name: 'f.csv', content: csv }, { method: 'fixture-hang', forecast_horizon: 1 });
  jobId = up.body.id;
});
afterAll(() => s.stop());

const post = (p: string, body: string) =>
  fetch(`${s.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('deeply nested JSON', () => {
  it.each(Object.keys(DEEP))('%s: 400 INVALID_CONFIG from the multipart config field and JSON bodies', async (k) => {
    const form = new FormData();
    form.append('file', new Blob([csv]), 'f.csv');
    form.append('config', DEEP[k]);
    const replies = [
      await fetch(`${s.url}/api/jobs`, { method: 'POST', body: form }),
      await post('/api/sample', `{"config":${DEEP[k]}}`),
      await post(`/api/jobs/${jobId}/rerun`, `{"config":${DEEP[k]}}`),
    ];
    for (const r of replies) {
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('INVALID_CONFIG');
    }
  });

  it('socket commands answer VALIDATION_ERROR and the connection and the server stay up', async () => {
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const acks = new Map<number, { ok: boolean; error?: { code: string } }>();
    ws.on('message', (d) => {
      const m = d.toString();
      if (m === '2') return ws.send('3'); // engine.io ping
      const ack = /^43(\d+)(\[.*\])$/.exec(m);
      if (ack) acks.set(Number(ack[1]), (JSON.parse(ack[2]) as [{ ok: boolean }])[0]);
    });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    ws.send('40'); // join the main namespace
    let id = 0;
    for (const payload of [...Object.values(DEEP), `{"id":${DEEP.array}}`])
      for (const ev of ['job:subscribe', 'job:stop', 'job:delete', 'job:unsubscribe'])
        ws.send(`42${++id}${JSON.stringify([ev]).slice(0, -1)},${payload}]`);
    const deadline = Date.now() + 30_000;
    while (acks.size < id && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(acks.size).toBe(id);
    for (const a of acks.values()) expect(a).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    ws.close();
  });
});
