/**
 * The in-history holdout of the accuracy benchmarks (--validate): a training file without its last V periods,
 * and those periods as a test file, so that settings are chosen without reading the real test file. The
 * calendar is the inventory scorer's own (../shared/tools/inventory/lib.mjs), so the split follows its
 * conventions exactly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The scorer's calendar helpers (lib.mjs), as far as the split uses them. */
export interface ScorerCalendar {
  dayNumber(s: string): number;
  detectFreq(days: Set<number>): string;
  periodOf: Record<string, (d: number) => number>;
}

export async function scorerLib(shared: string): Promise<ScorerCalendar> {
  return (await import(pathToFileURL(join(resolve(shared, '../tools/inventory'), 'lib.mjs')).href)) as ScorerCalendar;
}

const dateOf = (freq: string, p: number) => {
  if (freq === 'M') return `${Math.floor(p / 12)}-${String((p % 12) + 1).padStart(2, '0')}-01`;
  return new Date((freq === 'W' ? 7 * p - 3 : p) * 864e5).toISOString().slice(0, 10);
};

/**
 * Writes holdout-train.csv and holdout-test.csv into dir: the train file without its last V periods, and
 * those. With `back` > 0 the last `back` periods are dropped first (an earlier in-history origin).
 */
export function holdout(
  lib: ScorerCalendar,
  trainFile: string,
  V: number,
  dir: string,
  back = 0,
): { train: string; test: string } {
  const lines = readFileSync(trainFile, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const rows = lines.slice(1).map((l) => {
    const f = l.split(',');
    return { l, day: lib.dayNumber(f[1]), key: f[2] + ',' + f[3], q: Number(f[0]) };
  });
  const freq = lib.detectFreq(new Set(rows.map((r) => r.day)));
  const per = lib.periodOf[freq];
  let end = -Infinity;
  for (const r of rows) end = Math.max(end, per(r.day));
  end -= back;
  const cut = end - V;
  const test = new Map<string, Float64Array>();
  for (const r of rows) {
    if (per(r.day) <= cut || per(r.day) > end) continue;
    let a = test.get(r.key);
    if (!a) test.set(r.key, (a = new Float64Array(V)));
    a[per(r.day) - cut - 1] += r.q;
  }
  const keys = new Set(rows.filter((r) => per(r.day) <= cut).map((r) => r.key));
  let tt = 'date,partnumber,site_code,demand_qty\n';
  for (const k of keys)
    for (let t = 0; t < V; t++) tt += `${dateOf(freq, cut + 1 + t)},${k},${test.get(k)?.[t] ?? 0}\n`;
  const train = join(dir, 'holdout-train.csv'),
    testFile = join(dir, 'holdout-test.csv');
  writeFileSync(train, [lines[0], ...rows.filter((r) => per(r.day) <= cut).map((r) => r.l)].join('\n') + '\n');
  writeFileSync(testFile, tt);
  return { train, test: testFile };
}
