/**
 * Hostile workbooks at once: N uploads (default 6) of a valid .xlsx whose sharedStrings.xml inflates to
 * ~600 MB of highly compressible strings (~8 MB on the wire, under the 100× rule). The server runs in a
 * child process so its memory is its own; meanwhile /api/health is timed every 25 ms.
 *
 *   npm run bench:xlsx-bomb -- [--uploads 6] [--mb 600]
 *
 * Goals: server peak RSS ≤ 1 GB; /api/health p99 ≤ 100 ms while the uploads are checked.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { xlsxSharedStringsBomb } from '../../tests/fixtures/bad/builders.js';
import { forkTs, inProcessServer, num, pct, procMemory, record, sleep, tempDir, type Figure } from './lib.js';

interface Samples {
  health: number[];
  slow: { at: number; ms: number }[];
  peakRss: number;
}

/** The sampler thread (plain JS): GET /api/health every 25 ms and the server's RSS, until told to stop. */
const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const rss = () => Number(/^VmRSS:\\s+(\\d+) kB/m.exec(readFileSync('/proc/' + workerData.pid + '/status', 'utf8'))[1]) / 1024;
let running = true;
const health = [], slow = [];
let peakRss = 0;
let t0 = 0;
parentPort.once('message', () => (running = false));
(async () => {
  // A fresh thread's first fetches pay for setting up the HTTP client: not the server's latency.
  for (let i = 0; i < 5; i++) await fetch(workerData.url + '/api/health').then((r) => r.arrayBuffer());
  parentPort.postMessage('ready');
  t0 = performance.now();
  while (running) {
    const h0 = performance.now();
    await fetch(workerData.url + '/api/health').then((r) => r.arrayBuffer());
    const ms = performance.now() - h0;
    health.push(ms);
    if (ms > 50) slow.push({ at: Math.round(h0 - t0), ms: Math.round(ms) });
    peakRss = Math.max(peakRss, rss());
    await new Promise((r) => setTimeout(r, 25));
  }
  parentPort.postMessage({ health, slow, peakRss });
})();
`;

const { values } = parseArgs({
  options: { uploads: { type: 'string' }, mb: { type: 'string' }, serve: { type: 'string' } },
});

if (values.serve) {
  // Child: the server under test, in its own process; tells the parent its URL.
  const srv = await inProcessServer(values.serve);
  process.send?.({ url: srv.url });
  process.on('disconnect', () =>
    srv
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        console.error(e);
        process.exit(1);
      }),
  );
} else {
  const uploads = num(values.uploads, 6, 'uploads');
  const mb = num(values.mb, 600, 'mb');
  const tmp = tempDir('xlsx-bomb');
  const child = forkTs(fileURLToPath(import.meta.url), ['--serve', tmp.dir]);
  try {
    const t0 = performance.now();
    const file = await xlsxSharedStringsBomb(mb);
    const buildMs = performance.now() - t0;
    const bombPath = path.join(tmp.dir, 'bomb.xlsx');
    writeFileSync(bombPath, file);
    const url = await new Promise<string>((resolve) =>
      child.once('message', (m) => resolve((m as { url: string }).url)),
    );
    const baseRss = procMemory(child.pid!).rssMb;

    // Health is timed from its own thread: this one is busy sending 6 × 8 MB of multipart.
    const sampler = new Worker(SAMPLER, { eval: true, workerData: { url, pid: child.pid } });
    await new Promise((resolve) => sampler.once('message', resolve));
    const u0 = performance.now();
    const answers: { status: number; code: string; ms: number }[] = [];
    await Promise.all(
      Array.from({ length: uploads }, async () => {
        const form = new FormData();
        form.append('file', new Blob([file]), 'bomb.xlsx');
        form.append('config', '{}');
        const a0 = performance.now();
        const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
        const body = (await res.json()) as { error?: { code: string; message: string } };
        answers.push({ status: res.status, code: body.error?.code ?? 'created', ms: performance.now() - a0 });
        if (answers.length === 1) console.log(`first answer: ${res.status} ${body.error?.message ?? ''}`);
      }),
    );
    const allMs = performance.now() - u0;
    await sleep(500); // memory still held just after the answers
    const { health, slow, peakRss } = await new Promise<Samples>((resolve) => {
      sampler.once('message', (m: Samples) => resolve(m));
      sampler.postMessage('stop');
    });
    await sampler.terminate();
    const jobs = (await (await fetch(`${url}/api/jobs`)).json()) as { total?: number; items?: unknown[] };
    const created = answers.filter((a) => a.status === 201).length;

    const figures: Figure[] = [
      { measure: 'server peak RSS', value: Math.max(peakRss, procMemory(child.pid!).hwmMb), unit: 'MB', goal: 1024 },
      { measure: '/api/health p99', value: pct(health, 99), unit: 'ms', goal: 100 },
      { measure: '/api/health p50', value: pct(health, 50), unit: 'ms' },
      { measure: 'slowest upload answer', value: Math.max(...answers.map((a) => a.ms)), unit: 'ms' },
      { measure: 'all answers in', value: allMs, unit: 'ms' },
      { measure: 'server RSS before', value: baseRss, unit: 'MB' },
      { measure: 'jobs created', value: created, unit: 'jobs', goal: 0 },
    ];
    record(
      {
        name: 'xlsx-bomb',
        title: `XLSX shared-strings bomb: ${uploads} uploads at once of ${(file.length / 2 ** 20).toFixed(1)} MB → ~${mb} MB`,
        params: { uploads, mb, fileBytes: file.length, buildMs: Math.round(buildMs) },
        figures,
        details: { answers, slow, healthSamples: health.length, jobs: jobs.items?.length ?? jobs.total },
      },
      [
        `slow health answers (ms after start: ms): ${slow.map((x) => `${x.at}: ${x.ms}`).join(', ') || 'none'}`,
        `answers: ${[...new Set(answers.map((a) => `${a.status} ${a.code}`))].join(', ')}`,
      ],
    );
  } finally {
    child.disconnect();
    await new Promise((r) => child.once('exit', r));
    tmp.remove();
  }
}
