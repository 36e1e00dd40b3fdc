/**
 * Writes a storage folder made by this release, for the upgrade test (tests/integration/upgrade.test.ts):
 * an admin and a planner, an API token, and jobs in every final state (COMPLETED with its output,
 * FAILED, CANCELLED) with their uploads. Every later release must open it, migrate it and serve it.
 *
 *   node --import tsx scripts/make-upgrade-fixture.ts [--out tests/fixtures/storage/vX.Y.Z]
 *
 * Run it once per release whose storage format changed; never regenerate an existing fixture.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import type { JobDto } from '../server/contract/dto.js';
import { createLogger } from '../server/logger.js';
import { startServer } from '../server/server.js';
import { setupAdmin } from '../tests/helpers/auth.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(values.out ?? path.join(ROOT, 'tests/fixtures/storage', `v${version}`));
if (existsSync(out)) throw new Error(`${out} exists: a fixture is written once, by the release it stands for`);

const storage = mkdtempSync(path.join(os.tmpdir(), 'sparecast-fixture-'));
const config = loadConfig(
  { PORT: '0', HOST: '127.0.0.1', STORAGE_DIR: storage, LOG_LEVEL: 'silent', SERVE_CLIENT: 'false', WORKERS: '1' },
  version,
);
const srv = await startServer(config, createLogger(config));
const admin = await setupAdmin(srv.url, srv.setupUrl!, 'admin', 'admin-pass-1');
const planner = { username: 'planner1', password: 'planner-pass-1', role: 'planner' };
if ((await admin.json('POST', '/api/users', planner)).status !== 201) throw new Error('could not add the planner');
const token = (await admin.json<{ token: string }>('POST', '/api/tokens', { name: 'fixture script' })).body.token;

const demand = (sites: string[]) => {
  const lines = ['demand_qty,date,partnumber,site_code'];
  for (let d = 1; d <= 60; d++)
    for (const site of sites)
      for (const part of ['P-100', 'P-200', '0061234567'])
        if ((d * part.length + site.length) % 3 === 0)
          lines.push(
            `${1 + (d % 4)},2024-${d <= 31 ? `01-${String(d).padStart(2, '0')}` : `02-${String(d - 31).padStart(2, '0')}`},${part},${site}`,
          );
  return `${lines.join('\n')}\n`;
};
async function upload(name: string, content: string, cfg: object): Promise<JobDto> {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  form.append('config', JSON.stringify(cfg));
  const res = await admin.fetch('/api/jobs', { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as JobDto;
}
async function final(id: string): Promise<JobDto> {
  for (let i = 0; i < 600; i++) {
    const j = (await admin.json<JobDto>('GET', `/api/jobs/${id}`)).body;
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status)) return j;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

const completed = await upload('north-south.csv', demand(['NORTH', 'SOUTH']), { forecast_horizon: 7 });
// Queued behind the first job (one at a time), so it can be stopped before it starts.
const cancelled = await upload('stopped.csv', demand(['EAST']), { forecast_horizon: 7 });
if ((await admin.json('POST', `/api/jobs/${cancelled.id}/stop`)).status !== 200) throw new Error('stop failed');
const failed = await upload('unknown-site.csv', demand(['WEST']), { forecast_site_codes: ['NOWHERE'] });
const jobs = [await final(completed.id), await final(cancelled.id), await final(failed.id)];
await srv.close();

for (const f of ['sparecast.sqlite', 'uploads', 'outputs'])
  cpSync(path.join(storage, f), path.join(out, f), { recursive: true });
const manifest = {
  release: version,
  users: [{ username: 'admin', password: 'admin-pass-1', role: 'admin' }, planner],
  token,
  jobs: jobs.map((j) => ({ id: j.id, status: j.status, filename: j.filename, error_message: j.error_message })),
};
writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
rmSync(storage, { recursive: true, force: true });
console.log(`wrote ${path.relative(ROOT, out)}: ${jobs.map((j) => j.status).join(', ')}`);
