/**
 * The plan's XLSX through the job's file lifecycle (jobs/results/plan-workbooks.ts): built once in a worker thread,
 * kept next to the plan as outputs/<id>.plan.xlsx and sent again from there, rebuilt when the plan is
 * rewritten, removed by Delete (also mid-build), kept by boot for a COMPLETED job, a stray one quarantined.
 */
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bootServer, filesIn, tempStorage, type TestServer } from '../helpers/server.js';
import { demandCsv, partsCsv, sendJob, untilFinal } from './inventory-support.js';

const storage = tempStorage();
let s: TestServer;
beforeAll(async () => {
  s = await bootServer({ storage });
});
afterAll(() => s.stop());

const completedJob = async () => {
  const up = await sendJob(s.url, demandCsv(), { name: 'parts.csv', content: partsCsv() });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const job = await untilFinal(s.url, up.body.id);
  expect(job.status, job.error_message ?? '').toBe('COMPLETED');
  return job.id;
};
const xlsx = (id: string) => fetch(`${s.url}/api/jobs/${id}/inventory?format=xlsx`);
const partsIn = async (res: Response) => {
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  return [...Array(ws.rowCount - 1).keys()].map((i) => String(ws.getRow(i + 2).getCell(1).value));
};
const mine = (id: string) => filesIn(s.storage, 'outputs').filter((f) => f.startsWith(id));

describe('the inventory plan workbook', () => {
  it('is built once, kept next to the plan and sent again from there; a rewritten plan gets a new one', async () => {
    const id = await completedJob();
    expect(mine(id)).not.toContain(`${id}.plan.xlsx`); // only when someone asks for it
    const first = await partsIn(await xlsx(id));
    expect(first).toHaveLength(12);
    const file = path.join(s.storage, 'outputs', `${id}.plan.xlsx`);
    const built = statSync(file);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
    expect(await partsIn(await xlsx(id))).toEqual(first);
    expect(statSync(file).ino).toBe(built.ino); // not rebuilt

    // as a re-plan would: the plan CSV rewritten, newer than the workbook
    const planFile = path.join(s.storage, 'outputs', `${id}.plan.csv`);
    writeFileSync(planFile, readFileSync(planFile, 'utf8').replace(/^P1,/m, 'P1-REPLANNED,'));
    const later = new Date(Date.now() + 5000);
    utimesSync(planFile, later, later);
    const again = await partsIn(await xlsx(id));
    expect(again).toContain('P1-REPLANNED');
    expect(again).toHaveLength(12);

    expect((await api(s.url, 'DELETE', `/api/jobs/${id}`)).status).toBe(204);
    expect(mine(id)).toEqual([]);
  });

  it('Delete while the workbook is being built leaves no workbook behind', async () => {
    const id = await completedJob();
    const download = xlsx(id);
    expect((await api(s.url, 'DELETE', `/api/jobs/${id}`)).status).toBe(204);
    const res = await download;
    expect([200, 404, 410]).toContain(res.status);
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 300)); // a build that lost the race removes its own file
    expect(mine(id)).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('boot keeps the workbook of a completed job and quarantines a stray one', async () => {
    const id = await completedJob();
    const first = await partsIn(await xlsx(id));
    await s.stop({ keepStorage: true });
    writeFileSync(path.join(storage, 'outputs', 'nobody.plan.xlsx'), 'not a job’s');
    s = await bootServer({ storage });
    expect(mine(id)).toContain(`${id}.plan.xlsx`);
    expect(filesIn(s.storage, 'outputs')).not.toContain('nobody.plan.xlsx');
    const moved = readdirSync(path.join(storage, 'quarantine'), { recursive: true, encoding: 'utf8' });
    expect(moved.filter((f) => f.endsWith('nobody.plan.xlsx'))).toHaveLength(1);
    expect(await partsIn(await xlsx(id))).toEqual(first);
  });
});
