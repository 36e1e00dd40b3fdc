/**
 * `npm run forecast`: the engine from the shell, on real worker threads, writing through a temp file.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDemandFile } from '../../scripts/generate-demand.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.join(ROOT, 'server/assets/sample-demand.csv');
const dir = mkdtempSync(path.join(tmpdir(), 'sparecast-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function forecast(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'server/cli/forecast.ts'), ...args],
      { cwd: ROOT, encoding: 'utf8' },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npm run forecast', () => {
  it('forecasts the sample on threads, in site order, and prints a summary', async () => {
    const out = path.join(dir, 'sample-out.csv');
    const r = await forecast(
      ...['--input', SAMPLE, '--output', out, '--horizon', '14', '--threads', '2', '--rounding', 'cumulative'],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*sample-out\.csv: \d+ rows, \d+ series, \d+ site\(s\), frequency D, horizon 14/);
    expect(r.stdout).toMatch(/chosen +RMSSE [\d.]+/);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'date,partnumber,site_code,forecast_qty,forecast_qty_raw,forecast_qty_raw_model,method,demand_class,forecast_lo,forecast_hi',
    );
    const rows = lines.slice(1).map((l) => l.split(','));
    const series = Number(/(\d+) series/.exec(r.stdout)![1]);
    expect(rows.length).toBe(14 * series);
    const sites = rows.map((x) => x[2]);
    expect(sites).toEqual([...sites].sort()); // chunks written in output order
    for (const x of rows) expect(Number(x[5])).toBeGreaterThanOrEqual(0);
    // cumulative rounding (issue 21): per series, whole quantities adding up to the rounded total of
    // forecast_qty_raw (which the file gives to 4 decimals)
    const totals = new Map<string, [number, number]>();
    for (const x of rows) {
      const t = totals.get(`${x[1]}\t${x[2]}`) ?? [0, 0];
      totals.set(`${x[1]}\t${x[2]}`, [t[0] + Number(x[3]), t[1] + Number(x[4])]);
      expect(Number.isInteger(Number(x[3])) && Number(x[3]) >= 0).toBe(true);
    }
    for (const [qty, raw] of totals.values()) expect(Math.abs(qty - raw)).toBeLessThanOrEqual(0.501);
    expect([...totals.values()].reduce((a, [q]) => a + q, 0)).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('bad input: exit 1 with the planner-readable reason, and no output or temp file', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'demand_qty,date,partnumber,site_code\n1,2024-01-01,A,S1\n2,2024-01-02,A,S1\n');
    const out = path.join(dir, 'never.csv');
    const r = await forecast('--input', bad, '--output', out, '--sites', 'WEST');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/UNKNOWN_SITES: Site code not in the file: WEST\. Sites in the file: S1\./);
    expect(readdirSync(dir).filter((f) => f.startsWith('never') || f.endsWith('.tmp'))).toEqual([]);
  });
  it('bad usage: exit 2 with the usage line', async () => {
    const r = await forecast('--input', SAMPLE);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output is required\nusage: forecast --input FILE --output FILE/);
    expect((await forecast('--input', SAMPLE, '--output', 'x.csv', '--horizon', 'ten')).code).toBe(2);
  });
  it('Ctrl-C: stops the threads, removes the temp output and exits 130', async () => {
    const big = path.join(dir, 'big.csv');
    // ≈20,000 series: far longer to forecast than the test waits before the interrupt
    await writeDemandFile(big, { scale: 10, seed: 7, start: '2024-08-01', days: 365 });
    const out = path.join(dir, 'interrupted.csv');
    const cli = path.join(ROOT, 'server/cli/forecast.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--input', big, '--output', out, '--threads', '2'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const temps = () => readdirSync(dir).filter((f) => f.startsWith('.interrupted.csv.'));
    // the temp output appears once the file is read and the sites are being forecast on the threads
    const deadline = Date.now() + 60_000;
    while (temps().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(temps()).toHaveLength(1);
    const sent = Date.now();
    child.kill('SIGINT');
    const end = await exited;
    expect(end, stderr).toEqual({ code: 130, signal: null });
    // cooperative: the threads stop within the grace period rather than after the whole forecast
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(stderr).toMatch(/forecast: interrupted/);
    expect(temps()).toEqual([]);
    expect(existsSync(out)).toBe(false);
  }, 90_000);
});
