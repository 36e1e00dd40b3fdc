/**
 * Digests of everything a job writes, to show that a refactor changed no byte: a real in-process server
 * runs the bundled sample and carparts with its parts file, waits for the series index, downloads the plan
 * workbook, then re-plans each job at 99 % and back. Prints one line per artifact (`job artifact sha256`)
 * and, with --compare FILE, compares with a digest written before and prints SAME or DIFFERENT.
 *
 *   node --import tsx scripts/outputs-digest.ts [--out FILE] [--compare FILE]
 *
 * The workbook's zip holds timestamps, so its cell values are digested (read back with exceljs); the Job
 * sheet's id and creation time differ on every run, so they are masked as `<id>` and `<created>`, as is the
 * frontier file's stamp of the plan's modification time (`<mtime>`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JobDto } from '../server/contract/dto.js';
import { getJob, inProcessServer, ROOT, tempDir, until } from './bench/lib.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, compare: { type: 'string' } } });
const DATA = path.resolve(ROOT, '..', 'shared', 'data');

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

interface Case {
  name: string;
  file: string;
  parts?: string;
  config: Record<string, unknown>;
}
const CASES: Case[] = [
  { name: 'sample', file: path.join(ROOT, 'server/assets/sample-demand.csv'), config: { forecast_horizon: 30 } },
  {
    name: 'carparts',
    file: path.join(DATA, 'carparts.csv'),
    parts: path.join(DATA, 'carparts-parts.csv'),
    config: { forecast_horizon: 12 },
  },
];

async function upload(url: string, c: Case): Promise<JobDto> {
  const { openAsBlob } = await import('node:fs');
  const form = new FormData();
  form.append('file', await openAsBlob(c.file), path.basename(c.file));
  if (c.parts) form.append('parts', await openAsBlob(c.parts), path.basename(c.parts));
  form.append('config', JSON.stringify(c.config));
  const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as JobDto;
}

/** Files of one job under outputs/, keyed by what follows the job id in the name. */
function outputs(storage: string, id: string): Map<string, string> {
  const dir = path.join(storage, 'outputs');
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).sort()) {
    // the workbook's zip carries timestamps: its cells are digested instead (workbookDigest)
    if (!f.includes(id) || f.endsWith('.xlsx')) continue;
    const bytes = readFileSync(path.join(dir, f));
    // the frontier is stamped with the plan file's modification time (jobs/results/job-frontier.ts)
    const text = f.endsWith('.frontier.json') ? frontierText(bytes) : null;
    out.set(f.replace(id, '<id>'), sha(text ?? bytes));
  }
  return out;
}

/** The frontier file with its plan_mtime masked as `<mtime>`; the rest as written. */
function frontierText(bytes: Buffer): string {
  const stored = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return JSON.stringify({ ...stored, plan_mtime: '<mtime>' });
}

async function workbookDigest(url: string, id: string): Promise<string> {
  const res = await fetch(`${url}/api/jobs/${id}/inventory?format=xlsx`);
  if (res.status !== 200) throw new Error(`workbook answered ${res.status}`);
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const h = createHash('sha256');
  wb.eachSheet((ws) => {
    h.update(`sheet ${ws.name}\n`);
    ws.eachRow((row) => {
      const values = row.values as unknown[];
      // the Job sheet's "Created (UTC)" line holds this run's clock
      const masked = values[1] === 'Created (UTC)' ? [...values.slice(0, 2), '<created>'] : values;
      h.update(JSON.stringify(masked).replaceAll(id, '<id>') + '\n');
    });
  });
  return h.digest('hex');
}

async function replan(url: string, id: string, level: number): Promise<void> {
  const res = await fetch(`${url}/api/jobs/${id}/inventory/plan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service_level: level }),
  });
  if (res.status !== 200) throw new Error(`re-plan answered ${res.status}: ${await res.text()}`);
}

async function main(): Promise<void> {
  for (const c of CASES) if (!existsSync(c.file)) throw new Error(`missing ${c.file}`);
  const tmp = tempDir('digest');
  const lines: string[] = [];
  const srv = await inProcessServer(tmp.dir);
  const storage = path.join(tmp.dir, 'storage');
  try {
    for (const c of CASES) {
      const job = await upload(srv.url, c);
      let done = job;
      await until(
        async () => {
          done = await getJob(srv.url, job.id);
          return done.status !== 'QUEUED' && done.status !== 'PROCESSING';
        },
        600_000,
        `${c.name} to finish`,
      );
      if (done.status !== 'COMPLETED') throw new Error(`${c.name} ended ${done.status}: ${done.error_message}`);
      // the chart's keys wait for the series index, built in the background after COMPLETED
      const keys = await fetch(`${srv.url}/api/jobs/${job.id}/series/keys?limit=5`);
      if (keys.status !== 200) throw new Error(`series keys answered ${keys.status}`);
      lines.push(`${c.name} workbook ${await workbookDigest(srv.url, job.id)}`);
      for (const [k, v] of outputs(storage, job.id)) lines.push(`${c.name} ${k} ${v}`);
      await replan(srv.url, job.id, 0.99);
      for (const [k, v] of outputs(storage, job.id)) if (k.includes('plan')) lines.push(`${c.name}@99 ${k} ${v}`);
      lines.push(`${c.name}@99 workbook ${await workbookDigest(srv.url, job.id)}`);
      await replan(srv.url, job.id, 0.95);
      for (const [k, v] of outputs(storage, job.id)) if (k.includes('plan')) lines.push(`${c.name}@95 ${k} ${v}`);
    }
  } finally {
    await srv.close();
    tmp.remove();
  }
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  if (values.out) writeFileSync(values.out, text);
  if (values.compare) {
    const before = readFileSync(values.compare, 'utf8');
    const same = before === text;
    process.stdout.write(same ? 'SAME: every digest matches\n' : 'DIFFERENT: digests differ from the file\n');
    process.exitCode = same ? 0 : 1;
  }
}

await main();
