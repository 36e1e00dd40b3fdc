/**
 * Boot-time repair, before the server listens: whatever the last process left behind (a crash,
 * kill -9, a full disk) ends in a consistent state.
 * - QUEUED jobs are queued again; PROCESSING jobs are queued again once, then FAILED (CRASHED_TWICE):
 *   a job that ended the process twice is never started a third time.
 * - Jobs whose upload vanished become FAILED with a clear message.
 * - tmp/ is emptied (half-written outputs); files in uploads/ and outputs/ with no row are moved to
 *   quarantine/<time>/ (storage/quarantine.ts), never deleted: boot must not destroy data it cannot
 *   account for. (A missing or empty database over stored files never gets here: boot-guard.ts.)
 */
import { promises as fs } from 'node:fs';
import { stageText, type JobFailureCode } from '../contract/stages.js';
import { isFinal } from '../contract/status.js';
import type { Logger } from '../logger.js';
import { keptFiles } from '../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../storage/paths.js';
import { quarantineFile, stampOf } from '../storage/quarantine.js';
import type { JobRepo } from './job.repo.js';
import { CRASHED_TWICE } from './job.state.js';

export interface ReconcileReport {
  requeued: string[];
  failed: string[];
  /** Temp files removed from tmp/. */
  removedFiles: number;
  /** Stray files moved to quarantine, as "uploads/<name>" / "outputs/<name>". */
  quarantined: string[];
}

const now = () => new Date().toISOString();

export async function reconcile(repo: JobRepo, paths: StoragePaths, logger: Logger): Promise<ReconcileReport> {
  const report: ReconcileReport = { requeued: [], failed: [], removedFiles: 0, quarantined: [] };
  const rows = await repo.all();
  const uploads = new Set(await list(paths.uploads));

  for (const row of rows) {
    if (isFinal(row.status)) continue;
    const fail = async (message: string, error: JobFailureCode) => {
      const to = await repo.transition(
        row.id,
        'FAILED',
        { error_message: message, stage: stageText({ code: 'failed', error }), completed_at: now() },
        [row.status],
      );
      if (to) report.failed.push(row.id);
    };
    if (!uploads.has(row.upload_name)) {
      await fail('The uploaded file is missing from the server storage; please upload it again.', 'UPLOAD_MISSING');
    } else if (row.parts && !uploads.has(row.parts.name)) {
      await fail(
        'The parts file of this job is missing from the server storage; please upload it again.',
        'PARTS_MISSING',
      );
    } else if (row.status === 'PROCESSING' && row.attempts >= 2) {
      // Started twice (job.execution counts starts; a clean shutdown gives its start back) and the
      // process ended both times: a third start would most likely end it again.
      await fail(CRASHED_TWICE, 'CRASHED_TWICE');
    } else if (row.status === 'PROCESSING') {
      const to = await repo.transition(
        row.id,
        'QUEUED',
        { progress: 0, stage: stageText({ code: 'requeued_restart' }), started_at: null },
        ['PROCESSING'],
      );
      if (to) report.requeued.push(row.id);
    } else {
      report.requeued.push(row.id);
    }
  }

  const fresh = await repo.all();
  // a job's files as storage/job-files.ts names them: its uploads in every status, a completed job's outputs
  const keepUploads = new Set<string>();
  const keepOutputs = new Set<string>();
  for (const r of fresh) {
    const kept = keptFiles(r);
    for (const n of kept.uploads) keepUploads.add(n);
    for (const n of kept.outputs) keepOutputs.add(n);
  }
  const outputs = await list(paths.outputs);
  for (const r of fresh)
    if (r.status === 'COMPLETED' && r.output_name && !outputs.includes(r.output_name))
      logger.warn({ output: r.output_name }, 'output file of a completed job is missing');
  const stamp = stampOf(new Date());
  const strays = [
    ...[...uploads].filter((n) => !keepUploads.has(n)).map((n) => ['uploads', n] as const),
    ...outputs.filter((n) => !keepOutputs.has(n)).map((n) => ['outputs', n] as const),
  ];
  for (const [area, name] of strays)
    if (await quarantineFile(paths, area, name, stamp, logger)) report.quarantined.push(`${area}/${name}`);
  for (const name of await list(paths.tmp)) report.removedFiles += await rm(paths.tmp, name);

  // Requeue in submission order.
  const order = new Map(fresh.map((r) => [r.id, r.seq]));
  report.requeued.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  if (report.requeued.length || report.failed.length || report.removedFiles || report.quarantined.length)
    logger.info({ ...report, quarantined: report.quarantined.length }, 'reconciled storage after restart');
  return report;
}

async function list(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}

async function rm(dir: string, name: string): Promise<number> {
  await removeQuietly(`${dir}/${name}`);
  return 1;
}
