/**
 * storage/job-files.ts, the one module that names a job's files: every artifact is named, each name lands in
 * uploads/, outputs/ or tmp/ of the storage folder, Delete's order puts the plan before its workbook, boot
 * keeps exactly a completed row's files, and a backup leaves the caches out.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actualsName,
  ARTIFACT_NAMES,
  backedUpFiles,
  jobFiles,
  jobTemps,
  keptFiles,
  outputNames,
  partsName,
  planInputsOf,
  planTransfersOf,
  possibleActualsFiles,
  uploadName,
} from '../../../server/storage/job-files.js';
import { storagePaths } from '../../../server/storage/paths.js';

const root = path.join(path.sep, 'srv', 'sparecast');
const paths = storagePaths(root);
const row = {
  id: 'abc123',
  upload_name: uploadName('abc123', 'Demand.XLSX'),
  parts: { name: partsName('abc123', 'parts.csv') },
  ...outputNames('abc123'),
  actuals: { name: actualsName('abc123', 'April.XLSX') },
};

describe('job files', () => {
  it('names every artifact of a job, each a distinct file of uploads/ or outputs/', () => {
    const f = jobFiles(paths, row);
    expect(ARTIFACT_NAMES).toEqual([
      'upload',
      'parts',
      'overrides',
      'plan',
      'planInputs',
      'planTransfers',
      'planWorkbook',
      'planFrontier',
      'output',
      'seriesIndex',
      'actuals',
      'tracking',
      'laterTracking',
    ]);
    expect(f).toMatchObject({
      upload: path.join(root, 'uploads', 'abc123.xlsx'),
      parts: path.join(root, 'uploads', 'abc123.parts.csv'),
      overrides: path.join(root, 'uploads', 'abc123.overrides.json'),
      output: path.join(root, 'outputs', 'abc123.csv'),
      seriesIndex: path.join(root, 'outputs', 'abc123.csv.idx'),
      plan: path.join(root, 'outputs', 'abc123.plan.csv'),
      planInputs: path.join(root, 'outputs', 'abc123.plan.csv.inputs'),
      planTransfers: path.join(root, 'outputs', 'abc123.plan.csv.transfers.csv'),
      planWorkbook: path.join(root, 'outputs', 'abc123.plan.xlsx'),
      planFrontier: path.join(root, 'outputs', 'abc123.plan.csv.frontier.json'),
      actuals: path.join(root, 'uploads', 'abc123.actuals.xlsx'),
      tracking: path.join(root, 'outputs', 'abc123.actuals.xlsx.tracking.json'),
      laterTracking: path.join(root, 'outputs', 'abc123.csv.tracking.json'),
    });
    // what a Delete racing a new actuals file removes as well: every name it could have
    expect(possibleActualsFiles(paths, row.id)).toEqual(expect.arrayContaining([f.actuals, f.tracking]));
    const all = ARTIFACT_NAMES.map((a) => f[a]);
    expect(new Set(all).size).toBe(all.length);
    for (const file of all) expect([paths.uploads, paths.outputs]).toContain(path.dirname(file!));
    expect([...f.deleteOrder].sort()).toEqual([...all].sort());
  });

  it('keeps temp names in tmp/, and a name never escapes the storage folder', () => {
    const temps = [
      ...Object.values(jobTemps.run(paths, row.id)),
      jobTemps.seriesIndex(paths),
      jobTemps.replan(paths, row.id),
      jobTemps.planWorkbook(paths),
      jobTemps.planFrontier(paths),
      jobTemps.actuals(paths, row.id),
      jobTemps.tracking(paths, row.id),
    ];
    for (const t of temps) expect(path.dirname(t)).toBe(paths.tmp);
    expect(new Set(temps).size).toBe(temps.length);
    expect(planInputsOf(jobTemps.run(paths, row.id).plan)).toMatch(/\.inputs$/);
    expect(path.dirname(planTransfersOf(jobTemps.run(paths, row.id).plan))).toBe(paths.tmp);
    // a name that would leave its folder is refused, never joined
    expect(() => jobFiles(paths, { ...row, upload_name: '../evil.csv' })).toThrow(/unsafe/);
    expect(() => jobFiles(paths, { ...row, upload_name: uploadName('abc123', 'a.c$v') })).toThrow(/unsafe/);
    expect(uploadName('abc123', 'noext')).toBe('abc123.csv');
  });

  it('removes the plan before its workbook on Delete (a build in flight then cleans up after itself)', () => {
    const order = jobFiles(paths, row).deleteOrder;
    expect(order.indexOf(jobFiles(paths, row).plan)).toBeLessThan(order.indexOf(jobFiles(paths, row).planWorkbook));
  });

  it('names what a run writes for a row that records no outputs yet, and no parts file without one', () => {
    const queued = { ...row, parts: null, output_name: null, plan_name: null, actuals: null };
    const f = jobFiles(paths, queued);
    expect(f.parts).toBeNull();
    expect(f.actuals).toBeNull();
    expect(f.tracking).toBeNull();
    expect(f.output).toBe(jobFiles(paths, row).output);
    expect(f.plan).toBe(jobFiles(paths, row).plan);
    expect(f.deleteOrder).toHaveLength(ARTIFACT_NAMES.length - 3);
  });

  it('keeps a completed row its files at boot, only the uploads of an unfinished one', () => {
    expect(keptFiles({ ...row, status: 'COMPLETED' })).toEqual({
      uploads: ['abc123.xlsx', 'abc123.parts.csv', 'abc123.overrides.json', 'abc123.actuals.xlsx'],
      outputs: [
        'abc123.plan.csv',
        'abc123.plan.csv.inputs',
        'abc123.plan.csv.transfers.csv',
        'abc123.plan.xlsx',
        'abc123.plan.csv.frontier.json',
        'abc123.csv',
        'abc123.csv.idx',
        'abc123.actuals.xlsx.tracking.json',
        'abc123.csv.tracking.json',
      ],
    });
    expect(keptFiles({ ...row, status: 'FAILED', actuals: null })).toEqual({
      uploads: ['abc123.xlsx', 'abc123.parts.csv', 'abc123.overrides.json'],
      outputs: [],
    });
    // a completed job from before inventory plans: its forecast and index only
    expect(keptFiles({ ...row, plan_name: null, actuals: null, status: 'COMPLETED' }).outputs).toEqual([
      'abc123.csv',
      'abc123.csv.idx',
      'abc123.csv.tracking.json',
    ]);
  });

  it('backs up the recorded files, the re-plan inputs as optional, the caches not at all', () => {
    expect(backedUpFiles(row)).toEqual([
      { area: 'uploads', name: 'abc123.xlsx', optional: false },
      { area: 'uploads', name: 'abc123.parts.csv', optional: false },
      // the overrides a job applied: none for a job from before them (or one that never started)
      { area: 'uploads', name: 'abc123.overrides.json', optional: true },
      { area: 'outputs', name: 'abc123.plan.csv', optional: false },
      { area: 'outputs', name: 'abc123.plan.csv.inputs', optional: true },
      { area: 'outputs', name: 'abc123.plan.csv.transfers.csv', optional: true },
      { area: 'outputs', name: 'abc123.csv', optional: false },
      { area: 'uploads', name: 'abc123.actuals.xlsx', optional: false },
    ]);
  });
});
