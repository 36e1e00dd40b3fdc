/**
 * Issue 21 item 12 (d): scripts/generate-demand.ts as a person runs it. --help printed a parseArgs stack
 * trace; now it prints the usage and exits 0; a wrong option or value says which and exits 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/generate-demand.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('generate-demand on the command line', () => {
  it('--help and -h print the usage and exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const r = run(flag);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: node --import tsx scripts\/generate-demand\.ts/);
      expect(r.stdout).toContain('--scale');
      expect(r.stderr).toBe('');
    }
  }, 60_000);

  it('an unknown option or a bad value is named, with the usage, exit 2, no stack trace', () => {
    const unknown = run('--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect(unknown.stderr).toContain('Usage:');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const bad = run('--days', 'many');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--days must be a whole number of at least 1, not "many"');
  }, 60_000);

  it('still writes the file it is asked for', () => {
    const out = path.join(dir, 'd.csv');
    const r = run('--scale', '0.01', '--days', '20', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote \d+ rows to /);
    expect(readFileSync(out, 'utf8')).toContain('demand_qty,date,partnumber,site_code');
  }, 60_000);
});
