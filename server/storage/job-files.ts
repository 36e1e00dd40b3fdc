/**
 * The one place that knows a job's files: what each is called, where it lives (uploads/ or outputs/, temp
 * files in tmp/), which ones Delete removes and in what order, which ones boot keeps for a row and which a
 * backup copies. Everything else asks here. Adding an artifact is one line in ARTIFACTS (plus its lifecycle
 * test: tests/unit/server/job-files.test.ts and the Delete test of inventory-lifecycle / job-lifecycle).
 */
import path from 'node:path';
import type { JobStatus } from '../contract/schemas.js';
import type { StoragePaths } from './paths.js';

/** What a job's row records about its files (a Job is one). */
export interface JobFileRow {
  id: string;
  upload_name: string;
  parts: { name: string } | null;
  output_name: string | null;
  plan_name: string | null;
  /** the actuals sent for the job (tracking) */
  actuals: { name: string } | null;
}

/** The names the artifacts are made from: the row's, or what a run of the job writes them as. */
type Base = 'upload' | 'parts' | 'output' | 'plan' | 'actuals';

interface Artifact {
  area: 'uploads' | 'outputs';
  of: Base;
  name: (base: string) => string;
  /** Rebuilt on demand from the others: kept and deleted with the job, never backed up. */
  cache?: true;
  /** A job may lack it and be whole (re-plan inputs: none on jobs from before re-planning). */
  optional?: true;
}

/**
 * Every stored file of a job, in the order Delete removes them. The plan goes before its workbook: a
 * workbook build in flight looks for the plan once its file is renamed in, so either it finds the plan gone
 * and removes its own workbook, or its workbook is already there for Delete to remove after the plan
 * (jobs/results/plan-workbooks.ts); the same for the frontier of a service-level plan (job-frontier.ts). The
 * builds and re-plans that write the others are cancelled before any goes.
 */
const ARTIFACTS = {
  upload: { area: 'uploads', of: 'upload', name: (b) => b },
  parts: { area: 'uploads', of: 'parts', name: (b) => b },
  /** the planners' overrides in force when the job started (issue 24): an input of the run, kept like the upload */
  overrides: { area: 'uploads', of: 'upload', name: (b) => overridesOf(b), optional: true },
  plan: { area: 'outputs', of: 'plan', name: (b) => b },
  planInputs: { area: 'outputs', of: 'plan', name: (b) => planInputsOf(b), optional: true },
  planTransfers: { area: 'outputs', of: 'plan', name: (b) => planTransfersOf(b), optional: true },
  planWorkbook: { area: 'outputs', of: 'plan', name: (b) => `${b.replace(/\.csv$/, '')}.xlsx`, cache: true },
  planFrontier: { area: 'outputs', of: 'plan', name: (b) => `${b}.frontier.json`, cache: true },
  output: { area: 'outputs', of: 'output', name: (b) => b },
  seriesIndex: { area: 'outputs', of: 'output', name: (b) => `${b}.idx`, cache: true },
  actuals: { area: 'uploads', of: 'actuals', name: (b) => b },
  tracking: { area: 'outputs', of: 'actuals', name: (b) => trackingOf(b), cache: true },
  /** the tracking against a later job's upload (the row's actuals_job), with that job's id */
  laterTracking: { area: 'outputs', of: 'output', name: (b) => trackingOf(b), cache: true },
} as const satisfies Record<string, Artifact>;

export type ArtifactName = keyof typeof ARTIFACTS;
/** The artifacts in Delete's order. */
export const ARTIFACT_NAMES = Object.keys(ARTIFACTS) as ArtifactName[];

/** The tracking figures computed from an actuals file (a cache: computed again when missing). */
function trackingOf(actualsName: string): string {
  return `${actualsName}.tracking.json`;
}

/** A stored actuals file's name, next to the upload. */
export function actualsName(id: string, originalName: string): string {
  return `${id}.actuals${path.extname(originalName).toLowerCase() || '.csv'}`;
}

/**
 * Every actuals file and tracking cache a job could have, whatever the extension it was sent with: a Delete
 * that read the row just before actuals were recorded removes these too (jobs/results/job-tracking.ts).
 */
export function possibleActualsFiles(paths: StoragePaths, id: string): string[] {
  return ['.csv', '.xlsx', '.txt', '.tsv'].flatMap((ext) => {
    const name = actualsName(id, `x${ext}`);
    return [paths.upload(name), paths.output(trackingOf(name))];
  });
}

/** A job's overrides snapshot, next to its upload (`<id>.overrides.json`). */
function overridesOf(uploadName: string): string {
  return `${uploadName.replace(/\.[^.]*$/, '')}.overrides.json`;
}

/** The re-plan inputs of a plan file (final or temp: the run writes them next to its plan). */
export function planInputsOf(planFile: string): string {
  return `${planFile}.inputs`;
}

/**
 * The transfers between sites of a plan (final or temp, next to it): none when the plan moves no stock
 * (transfers off, or no part with stock known at two sites).
 */
export function planTransfersOf(planFile: string): string {
  return `${planFile}.transfers.csv`;
}

/** Where a run writes its plan again once a budget is allocated over all series (renamed over the plan). */
export function planAllocatedOf(planFile: string): string {
  return `${planFile}.allocated`;
}

/** A stored upload's name: the job id and the user's extension (only server-made names reach the disk). */
export function uploadName(id: string, originalName: string): string {
  return `${id}${path.extname(originalName).toLowerCase() || '.csv'}`;
}

/** A stored parts file's name, next to the upload. */
export function partsName(id: string, originalName: string): string {
  return `${id}.parts${path.extname(originalName).toLowerCase() || '.csv'}`;
}

/** The names a completed run records (output_name, plan_name). */
export function outputNames(id: string): { output_name: string; plan_name: string } {
  return { output_name: `${id}.csv`, plan_name: `${id}.plan.csv` };
}

/** The base names of a row; recorded: only what the row says (no run-time defaults). */
function bases(row: JobFileRow, recorded: boolean): Record<Base, string | null> {
  const run = outputNames(row.id);
  return {
    upload: row.upload_name,
    parts: row.parts?.name ?? null,
    output: row.output_name ?? (recorded ? null : run.output_name),
    plan: row.plan_name ?? (recorded ? null : run.plan_name),
    actuals: row.actuals?.name ?? null,
  };
}

function names(row: JobFileRow, recorded: boolean, which: (a: Artifact) => boolean) {
  const b = bases(row, recorded);
  const out: { artifact: ArtifactName; area: Artifact['area']; name: string; optional: boolean }[] = [];
  for (const artifact of ARTIFACT_NAMES) {
    const a: Artifact = ARTIFACTS[artifact];
    const base = b[a.of];
    if (base !== null && which(a)) out.push({ artifact, area: a.area, name: a.name(base), optional: !!a.optional });
  }
  return out;
}

export type JobFiles = Record<Exclude<ArtifactName, 'parts' | 'actuals' | 'tracking'>, string> & {
  /** null when the job has no parts file */
  parts: string | null;
  /** null when no actuals were sent for the job, and so no tracking */
  actuals: string | null;
  tracking: string | null;
  /** Every file of the job, in the order Delete removes them. */
  deleteOrder: string[];
};

/** The paths of a job's files: what the row records, else what its run writes them as. */
export function jobFiles(paths: StoragePaths, row: JobFileRow): JobFiles {
  const all = names(row, false, () => true);
  const at = (area: Artifact['area'], name: string) => (area === 'uploads' ? paths.upload(name) : paths.output(name));
  const files = Object.fromEntries(all.map((f) => [f.artifact, at(f.area, f.name)])) as Record<ArtifactName, string>;
  return {
    ...files,
    parts: files.parts ?? null,
    actuals: files.actuals ?? null,
    tracking: files.tracking ?? null,
    deleteOrder: all.map((f) => at(f.area, f.name)),
  };
}

/**
 * What boot keeps for a row (jobs/reconcile.ts), names under uploads/ and outputs/: its uploads in every
 * status, and the outputs a COMPLETED row records with what derives from them.
 */
export function keptFiles(row: JobFileRow & { status: JobStatus }): { uploads: string[]; outputs: string[] } {
  const all = names(row, true, () => true);
  return {
    uploads: all.filter((f) => f.area === 'uploads').map((f) => f.name),
    outputs: row.status === 'COMPLETED' ? all.filter((f) => f.area === 'outputs').map((f) => f.name) : [],
  };
}

/** What a backup copies for a row (ops/backup.ts): the recorded files, caches left out. */
export function backedUpFiles(row: JobFileRow): { area: Artifact['area']; name: string; optional: boolean }[] {
  return names(row, true, (a) => !a.cache).map(({ area, name, optional }) => ({ area, name, optional }));
}

/** Temp files of a job's work under tmp/, each a fresh name; renamed into place when whole. */
export const jobTemps = {
  /** a run's forecast and plan (its re-plan inputs go to planInputsOf(plan)) */
  run: (paths: StoragePaths, id: string) => ({ output: paths.tmpFile(id), plan: paths.tmpFile(`${id}-plan`) }),
  seriesIndex: (paths: StoragePaths) => paths.tmpFile('series-index'),
  replan: (paths: StoragePaths, id: string) => paths.tmpFile(`${id}-replan`),
  planWorkbook: (paths: StoragePaths) => paths.tmpFile('plan-xlsx'),
  planFrontier: (paths: StoragePaths) => paths.tmpFile('plan-frontier'),
  /** an actuals file being checked, and the tracking computed from it */
  actuals: (paths: StoragePaths, id: string) => paths.tmpFile(`${id}-actuals`),
  /** a job's overrides snapshot being written */
  overrides: (paths: StoragePaths, id: string) => paths.tmpFile(`${id}-overrides`),
  tracking: (paths: StoragePaths, id: string) => paths.tmpFile(`${id}-tracking`),
  /** an exceptions worklist workbook being sent (removed once sent) */
  worklist: (paths: StoragePaths, id: string) => paths.tmpFile(`${id}-worklist`),
};
