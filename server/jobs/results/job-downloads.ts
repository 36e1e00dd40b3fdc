/**
 * The files a job's downloads are served from, checked: the forecast and the inventory plan of a COMPLETED
 * job (409 JOB_NOT_COMPLETED before, 410 OUTPUT_MISSING when the file is gone), the uploaded files, and the
 * names a download is saved under.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../contract/errors.js';
import { jobFiles } from '../../storage/job-files.js';
import type { StoragePaths } from '../../storage/paths.js';
import type { Job } from '../job.js';
import type { JobService } from '../job.service.js';

export class JobDownloads {
  constructor(
    private readonly jobs: Pick<JobService, 'find'>,
    private readonly paths: StoragePaths,
  ) {}

  /** The output file of a COMPLETED job and a download name for it. */
  async output(id: string): Promise<{ file: string; name: string }> {
    const row = await this.jobs.find(id);
    if (row.status !== 'COMPLETED')
      throw new AppError(
        409,
        'JOB_NOT_COMPLETED',
        `Job ${id} is ${row.status}; only a completed job has a forecast to download.`,
      );
    const file = row.output_name ? jobFiles(this.paths, row).output : null;
    if (!file || !(await exists(file)))
      throw new AppError(410, 'OUTPUT_MISSING', 'The forecast file of this job is no longer on the server.');
    return { file, name: `${downloadBase(row.filename, 'forecast')}-forecast-${id}.csv` };
  }

  /** The inventory plan of a COMPLETED job, and a download name without extension. */
  async plan(id: string): Promise<{ job: Job; file: string; name: string }> {
    const job = await this.jobs.find(id);
    if (job.status !== 'COMPLETED')
      throw new AppError(
        409,
        'JOB_NOT_COMPLETED',
        `Job ${id} is ${job.status}; only a completed job has an inventory plan.`,
      );
    if (!job.plan_name)
      throw new AppError(
        404,
        'NOT_FOUND',
        `Job ${id} ran before inventory plans existed, so it has none; run it again to get one.`,
      );
    const file = jobFiles(this.paths, job).plan;
    if (!(await exists(file)))
      throw new AppError(410, 'OUTPUT_MISSING', 'The inventory plan of this job is no longer on the server.');
    return { job, file, name: `${downloadBase(job.filename, 'plan')}-inventory-${id}` };
  }

  /**
   * The transfers between sites of a COMPLETED job's plan (its checks), and a download name without
   * extension; file null when the plan moves no stock (transfers off, or no part stocked at two sites).
   */
  async transfers(id: string): Promise<{ file: string | null; name: string }> {
    const { job } = await this.plan(id);
    const file = jobFiles(this.paths, job).planTransfers;
    return { file: (await exists(file)) ? file : null, name: `${downloadBase(job.filename, 'plan')}-transfers-${id}` };
  }

  /** The job and its uploaded files (for reruns and series charts); parts: null when it has none. */
  async upload(id: string): Promise<{ job: Job; file: string; parts: string | null }> {
    const job = await this.jobs.find(id);
    const files = jobFiles(this.paths, job);
    return { job, file: files.upload, parts: files.parts };
  }
}

/** A download name's stem from the uploaded file's name: safe characters only. */
function downloadBase(filename: string, fallback: string): string {
  return (
    path
      .parse(filename)
      .name.replace(/[^\w.-]+/g, '_')
      .slice(0, 80) || fallback
  );
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
