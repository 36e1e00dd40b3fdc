/**
 * kill -9 loop (issue 5): the real server process, on one storage folder, is killed with SIGKILL in the
 * middle of its jobs RUNS times; then it starts once more and must end every job cleanly.
 *
 *   node --import tsx scripts/kill-loop.ts [--runs 20] [--scale 1] [--seed N] [--deadline-s 280] [--keep]
 *
 * Each run: start the server, upload a job and queue a second, wait a random moment (while a job is
 * PROCESSING), kill -9. After every boot: at most JOB_CONCURRENCY jobs PROCESSING. At the end: the DB opens
 * (and passes PRAGMA integrity_check), nothing is left PROCESSING or QUEUED, every job is COMPLETED or FAILED
 * with a readable message, no orphan file in uploads/, outputs/ or tmp/. Prints a table; exits 1 on a violation.
 */
import { readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sqlite3 from 'sqlite3';
import type { JobDto } from '../server/contract/dto.js';
import { demandFile } from '../tests/helpers/data.js';
import { spawnServer, type ServerProcess } from '../tests/helpers/process.js';
import { api, tempStorage, uploadJob } from '../tests/helpers/server.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string' },
    'deadline-s': { type: 'string', default: '280' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const DEADLINE = Date.now() + Number(args['deadline-s']) * 1000;
let seed = Number(args.seed ?? Date.now() % 1_000_000);
const seedShown = seed;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];
const ENV = { WORKERS: '2', JOB_CONCURRENCY: '1', AUTH: 'off', UPLOADS_PER_MINUTE: '10000' };

const violations: string[] = [];
const violate = (msg: string) => {
  violations.push(msg);
  console.error(`VIOLATION: ${msg}`);
};
const files = (storage: string, sub: string) =>
  existsSync(path.join(storage, sub)) ? readdirSync(path.join(storage, sub)) : [];

async function jobs(url: string): Promise<JobDto[]> {
  const r = await api<{ jobs: JobDto[] }>(url, 'GET', '/api/jobs?page_size=200');
  if (r.status !== 200) throw new Error(`GET /api/jobs answered ${r.status}`);
  return r.body.jobs;
}

/** Sums the "requeued"/"failed"/"removedFiles" of the boot reconcile log line. */
function reconcileReport(out: string): { requeued: number; failed: number; removed: number } {
  for (const line of out.split('\n')) {
    if (!line.includes('reconciled storage after restart')) continue;
    try {
      const o = JSON.parse(line) as { requeued?: string[]; failed?: string[]; removedFiles?: number };
      return { requeued: o.requeued?.length ?? 0, failed: o.failed?.length ?? 0, removed: o.removedFiles ?? 0 };
    } catch {
      /* not JSON */
    }
  }
  return { requeued: 0, failed: 0, removed: 0 };
}

function integrityCheck(dbFile: string): Promise<string> {
  return new Promise((resolve) => {
    const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (err) => {
      if (err) return resolve(`open failed: ${err.message}`);
      db.get('PRAGMA integrity_check', (e, row: Record<string, string> | undefined) => {
        db.close();
        resolve(e ? `check failed: ${e.message}` : String(Object.values(row ?? {})[0]));
      });
    });
  });
}

function readable(msg: string | null): boolean {
  return !!msg && msg.length > 5 && msg.length < 1500 && !/\n\s+at |undefined|\[object Object\]|ENOENT/.test(msg);
}

async function main(): Promise<void> {
  const storage = tempStorage();
  const big = readFileSync(await demandFile(Number(args.scale)));
  const small = big.subarray(0, big.indexOf('\n', 40_000) + 1);
  const totals = {
    runs: 0,
    uploaded: 0,
    requeued: 0,
    failedAtBoot: 0,
    tmpLeftovers: 0,
    removedAtBoot: 0,
    killedWhile: { queued: 0, processing: 0 },
  };
  const started = Date.now();
  console.log(
    `kill-loop: ${RUNS} runs, scale ${args.scale} (${(big.length / 1e6).toFixed(1)} MB), seed ${seedShown}, storage ${storage}`,
  );

  let proc: ServerProcess | null = null;
  try {
    for (let run = 1; run <= RUNS; run++) {
      if (Date.now() > DEADLINE - 60_000) {
        violate(`time budget reached after ${run - 1} runs`);
        break;
      }
      proc = await spawnServer(storage, ENV);
      const rec = reconcileReport(proc.output());
      totals.requeued += rec.requeued;
      totals.failedAtBoot += rec.failed;
      totals.removedAtBoot += rec.removed;
      await sleep(100); // let the requeued job start
      const afterBoot = await jobs(proc.url);
      const processing = afterBoot.filter((j) => j.status === 'PROCESSING').length;
      if (processing > 1) violate(`run ${run}: ${processing} jobs PROCESSING right after boot (JOB_CONCURRENCY 1)`);

      const a = await uploadJob(proc.url, { name: `run${run}-a.csv`, content: big }, { forecast_horizon: 14 });
      const b = await uploadJob(proc.url, { name: `run${run}-b.csv`, content: small }, { forecast_horizon: 7 });
      if (a.status !== 201 || b.status !== 201) violate(`run ${run}: upload answered ${a.status}/${b.status}`);
      totals.uploaded += 2;

      // Wait until something is PROCESSING, then a random moment more.
      const until = Date.now() + 15_000;
      while (Date.now() < until && !(await jobs(proc.url)).some((j) => j.status === 'PROCESSING')) await sleep(25);
      await sleep(Math.floor(random() * 2500));
      const before = await jobs(proc.url);
      if (before.some((j) => j.status === 'PROCESSING')) totals.killedWhile.processing++;
      else totals.killedWhile.queued++;
      proc.child.kill('SIGKILL');
      const exit = await proc.exited;
      if (exit.signal !== 'SIGKILL') violate(`run ${run}: server exited with ${JSON.stringify(exit)} before the kill`);
      proc = null;
      totals.tmpLeftovers += files(storage, 'tmp').length;
      totals.runs++;
      process.stdout.write(
        `  run ${String(run).padStart(2)}: ${
          before
            .filter((j) => j.status === 'PROCESSING')
            .map((j) => `${j.filename} ${j.progress}%`)
            .join(', ') || 'nothing PROCESSING'
        } → kill -9\n`,
      );
    }

    // Final boot: everything must finish.
    proc = await spawnServer(storage, ENV);
    const rec = reconcileReport(proc.output());
    totals.requeued += rec.requeued;
    totals.failedAtBoot += rec.failed;
    totals.removedAtBoot += rec.removed;
    let list = await jobs(proc.url);
    const finishBy = Math.min(DEADLINE, Date.now() + 150_000);
    while (list.some((j) => !FINAL.includes(j.status)) && Date.now() < finishBy) {
      await sleep(250);
      list = await jobs(proc.url);
    }
    const open = list.filter((j) => !FINAL.includes(j.status));
    if (open.length)
      violate(`${open.length} job(s) never finished: ${open.map((j) => `${j.id} ${j.status}`).join(', ')}`);
    for (const j of list) {
      if (j.status === 'FAILED' && !readable(j.error_message))
        violate(`job ${j.id} FAILED without a readable message: ${JSON.stringify(j.error_message)}`);
      if (j.status === 'CANCELLED') violate(`job ${j.id} CANCELLED although nobody stopped it`);
      if (j.status === 'COMPLETED' && !j.has_output) violate(`job ${j.id} COMPLETED without output`);
    }
    if (list.length !== totals.uploaded) violate(`${totals.uploaded} jobs uploaded but ${list.length} rows`);
    const done = list.find((j) => j.status === 'COMPLETED');
    if (done) {
      const dl = await fetch(`${proc.url}/api/jobs/${done.id}/download`);
      const text = await dl.text();
      if (dl.status !== 200 || !text.startsWith('date,partnumber'))
        violate(`download of ${done.id} answered ${dl.status}`);
    }

    // Orphans: files with no row (uploads), no COMPLETED row (outputs), anything in tmp.
    const ids = new Set(list.map((j) => j.id));
    const completed = new Set(list.filter((j) => j.status === 'COMPLETED').map((j) => j.id));
    const orphanUploads = files(storage, 'uploads').filter((f) => !ids.has(f.replace(/\.[a-z]+$/, '')));
    const orphanOutputs = files(storage, 'outputs').filter((f) => !completed.has(f.replace(/\.csv$/, '')));
    const missingUploads = list.filter((j) => !files(storage, 'uploads').some((f) => f.startsWith(j.id)));
    const tmp = files(storage, 'tmp');
    const orphans = orphanUploads.length + orphanOutputs.length + tmp.length;
    if (orphans)
      violate(
        `orphan files: uploads ${JSON.stringify(orphanUploads)}, outputs ${JSON.stringify(orphanOutputs)}, tmp ${JSON.stringify(tmp)}`,
      );
    if (missingUploads.length) violate(`${missingUploads.length} job(s) lost their upload`);

    // Graceful stop, then the DB file itself.
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    proc = null;
    if (exit.code !== 0) violate(`final SIGTERM exit ${JSON.stringify(exit)}`);
    const integrity = await integrityCheck(path.join(storage, 'sparecast.sqlite'));
    if (integrity !== 'ok') violate(`PRAGMA integrity_check: ${integrity}`);

    const by = (s: string) => list.filter((j) => j.status === s).length;
    const failedMsgs = new Map<string, number>();
    for (const j of list.filter((x) => x.status === 'FAILED'))
      failedMsgs.set(j.error_message!, (failedMsgs.get(j.error_message!) ?? 0) + 1);
    const table: [string, string | number][] = [
      ['runs (kill -9)', totals.runs],
      ['  killed while PROCESSING / only QUEUED', `${totals.killedWhile.processing} / ${totals.killedWhile.queued}`],
      ['jobs uploaded', totals.uploaded],
      ['requeued at boot (sum over boots)', totals.requeued],
      ['failed at boot (sum over boots)', totals.failedAtBoot],
      ['tmp/ leftovers after kills (cleaned at boot)', totals.tmpLeftovers],
      ['files removed by boot reconcile', totals.removedAtBoot],
      ['final: COMPLETED', by('COMPLETED')],
      ['final: FAILED', by('FAILED')],
      ['final: CANCELLED', by('CANCELLED')],
      ['final: QUEUED/PROCESSING', by('QUEUED') + by('PROCESSING')],
      ['orphan files found', orphans],
      ['DB integrity_check', integrity],
      ['seconds', Math.round((Date.now() - started) / 1000)],
    ];
    console.log('\n| kill-loop | value |\n|---|---|');
    for (const [k, v] of table) console.log(`| ${k} | ${v} |`);
    if (failedMsgs.size) {
      console.log('\nFAILED messages:');
      for (const [m, n] of failedMsgs) console.log(`  ${n} × ${m}`);
    }
    console.log(
      violations.length ? `\n${violations.length} VIOLATION(S):\n- ${violations.join('\n- ')}` : '\nOK: no violation',
    );
  } finally {
    if (proc) proc.child.kill('SIGKILL');
    if (!args.keep) rmSync(storage, { recursive: true, force: true });
  }
  process.exitCode = violations.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
