/**
 * The parts file follows its upload's lifecycle: kept on Stop (and no plan written), gone on Force Delete;
 * bad parts files are refused at upload (nothing left behind) or fail the job with a readable message;
 * the preview counts the series a parts file covers; `npm run backup` copies parts files and plans.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewDto } from '../../server/contract/dto.js';
import { demandFile } from '../helpers/data.js';
import { api, bootServer, filesIn, tempStorage, type TestServer } from '../helpers/server.js';
import { demandCsv, partsCsv, sendJob, untilFinal } from './inventory-support.js';

let s: TestServer;
let big: Buffer;
beforeAll(async () => {
  big = readFileSync(await demandFile(10));
  s = await bootServer();
});
afterAll(() => s.stop());

const ROOT = path.resolve(import.meta.dirname, '../..');
const until = async (id: string, status: string) => {
  for (let i = 0; i < 2000; i++) {
    const j = (await api<{ status: string }>(s.url, 'GET', `/api/jobs/${id}`)).body;
    if (j.status === status) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${id} never ${status}`);
};
/** A parts file for the generated big file: its first part numbers. */
const bigParts = () => {
  const first = big.toString('utf8', 0, 4000).split('\n').slice(1, 4);
  return `partnumber,lead_time_days\n${first.map((l) => `${l.split(',')[2]},10`).join('\n')}\n`;
};

describe('the parts file through the job lifecycle', () => {
  it('Stop keeps the upload and the parts file and writes no plan; Force Delete removes them', async () => {
    const up = await sendJob(s.url, big, { name: 'p.csv', content: bigParts() });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const id = up.body.id;
    await until(id, 'PROCESSING');
    const stop = await api<{ status: string }>(s.url, 'POST', `/api/jobs/${id}/stop`);
    expect(stop.body.status).toBe('CANCELLED');
    await new Promise((r) => setTimeout(r, 800)); // the run's own cleanup
    expect(filesIn(s.storage, 'uploads').sort()).toEqual([`${id}.csv`, `${id}.parts.csv`]);
    expect(filesIn(s.storage, 'outputs')).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
    const plan = await api<{ error: { code: string } }>(s.url, 'GET', `/api/jobs/${id}/inventory`);
    expect(plan.status).toBe(409);
    expect(plan.body.error.code).toBe('JOB_NOT_COMPLETED');
    expect((await api(s.url, 'DELETE', `/api/jobs/${id}`)).status).toBe(204);
    expect(filesIn(s.storage, 'uploads')).toEqual([]);

    const again = await sendJob(s.url, big, { name: 'p.csv', content: bigParts() });
    await until(again.body.id, 'PROCESSING');
    expect((await api(s.url, 'DELETE', `/api/jobs/${again.body.id}?force=true`)).status).toBe(204);
    expect(filesIn(s.storage, 'uploads')).toEqual([]);
    expect(filesIn(s.storage, 'outputs')).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('a parts file without a part or value column: 400 naming them, and nothing left behind', async () => {
    const before = (await api<{ total: number }>(s.url, 'GET', '/api/jobs')).body.total;
    for (const [content, missing] of [
      ['sku_name,colour\nP1,red\n', /missing partnumber .*and at least one of lead_time_days/],
      ['part_number,colour\nP1,red\n', /missing at least one of lead_time_days/],
    ] as const) {
      const r = await sendJob(s.url, demandCsv(), { name: 'parts.csv', content });
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe('MISSING_COLUMNS');
      expect(r.body.error?.message).toMatch(missing);
    }
    const empty = await sendJob(s.url, demandCsv(), { name: 'parts.csv', content: '' });
    expect(empty.body.error?.code).toBe('EMPTY_FILE');
    const pdf = await sendJob(s.url, demandCsv(), { name: 'parts.pdf', content: 'x' });
    expect(pdf.body.error?.code).toBe('UNSUPPORTED_FILE');
    expect((await api<{ total: number }>(s.url, 'GET', '/api/jobs')).body.total).toBe(before);
    expect(filesIn(s.storage, 'uploads')).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('unknown parts only: FAILED, saying so; negative and text values: warnings, the job completes', async () => {
    const unknown = await sendJob(s.url, demandCsv(), { name: 'p.csv', content: 'part,lead_time\nNOPE,3\nZZ,4\n' });
    const failed = await untilFinal(s.url, unknown.body.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error_message).toMatch(/None of the 2 rows of the parts file names a part .*"NOPE"/);
    expect(filesIn(s.storage, 'outputs')).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
    const bad = 'part,lead_time_days,unit_cost\nP1,-3,2\nP2,5,abc\n';
    const warned = await untilFinal(
      s.url,
      (await sendJob(s.url, demandCsv(), { name: 'p.csv', content: bad })).body.id,
    );
    expect(warned.status).toBe('COMPLETED');
    const w = warned.metrics?.warnings.join(' ') ?? '';
    expect(w).toMatch(/1 lead times \(days\) are not numbers ≥ 0 .*line 2: "-3"/);
    expect(w).toMatch(/1 unit costs are not numbers ≥ 0 .*line 3: "abc"/);
    for (const id of [failed.id, warned.id]) await api(s.url, 'DELETE', `/api/jobs/${id}`);
    expect(filesIn(s.storage, 'uploads')).toEqual([]);
    expect(filesIn(s.storage, 'outputs')).toEqual([]);
  });

  it('the preview counts the series the parts file covers, and says a file of unknown parts is of no use', async () => {
    const ok = await sendJob(s.url, demandCsv(), { name: 'parts.csv', content: partsCsv() }, {}, '/api/preview');
    expect(ok.status).toBe(200);
    const p = ok.body as unknown as PreviewDto;
    // P1 at both sites, P2 at A, the formula-like part at both sites
    expect(p.parts_file).toMatchObject({ filename: 'parts.csv', rows: 3, covered: 5 });
    const none = await sendJob(s.url, demandCsv(), { name: 'p.csv', content: 'part,lt\nNOPE,1\n' }, {}, '/api/preview');
    // the demand file's preview stands; the parts file gets its own error (issue 21 item 8)
    expect(none.status).toBe(200);
    const np = none.body as unknown as PreviewDto;
    expect(np.series).toBe(p.series);
    expect(np.parts_file_error).toMatchObject({ filename: 'p.csv', code: 'NO_VALID_ROWS' });
    // (the upload is removed just after the answer)
    for (let i = 0; i < 100 && filesIn(s.storage, 'tmp').length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('the size limit counts the demand file and the parts file together', async () => {
    const small = await bootServer({ env: { MAX_UPLOAD_MB: '1' } });
    try {
      const demand = demandCsv();
      const filler = `part,lead_time\n${'P1,3\n'.repeat(Math.ceil((1024 * 1024 - demand.length + 1000) / 5))}`;
      const r = await sendJob(small.url, demand, { name: 'p.csv', content: filler });
      expect(r.status).toBe(413);
      expect(r.body.error?.message).toMatch(/demand file and the parts file count together/);
      expect(filesIn(small.storage, 'tmp')).toEqual([]);
      expect(filesIn(small.storage, 'uploads')).toEqual([]);
    } finally {
      await small.stop();
    }
  });

  it('npm run backup copies the parts file and the plan', async () => {
    const done = await untilFinal(
      s.url,
      (await sendJob(s.url, demandCsv(), { name: 'parts.csv', content: partsCsv() })).body.id,
    );
    expect(done.status).toBe('COMPLETED');
    const scratch = tempStorage();
    const out = path.join(scratch, 'backup');
    const cli = path.join(ROOT, 'server/cli/backup.ts');
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', cli, 'backup', '--out', out, '--storage', s.storage],
      {
        cwd: ROOT,
      },
    );
    expect(readdirSync(path.join(out, 'uploads'))).toContain(`${done.id}.parts.csv`);
    expect(readdirSync(path.join(out, 'outputs'))).toContain(`${done.id}.plan.csv`);
    expect(readdirSync(path.join(out, 'outputs'))).toContain(`${done.id}.plan.csv.inputs`); // what a re-plan reads
    rmSync(scratch, { recursive: true, force: true });
  });
});
