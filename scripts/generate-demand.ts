/**
 * Generates a demand file shaped like the old system's production file: daily demand over one year,
 * ≈12,000 rows, ≈2,070 part numbers over 13 sites, US-style dates (M/D/YYYY), a UTF-8 BOM, CRLF,
 * repeated (date, part, site) rows to be summed, and part numbers with leading zeros.
 *
 *   node --import tsx scripts/generate-demand.ts [--scale 1] [--seed 42] [--out FILE] [--start 2024-08-01] [--days 365]
 *
 * --scale multiplies parts and rows (10 → ≈120k rows). Deterministic for a given seed.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

export const SITES = [
  'IEL-ST-KDI',
  'Sofifi',
  'Kendari',
  'IEL-MU-SFI',
  'IEL-MU-HLM',
  'IEL-ST-BPN',
  'Ternate',
  'Morowali',
  'Weda',
  'Luwuk',
  'Pomalaa',
  'Bahodopi',
  'Obi',
];

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  scale: number;
  seed: number;
  start: string;
  days: number;
}

/** Yields CSV lines (without line endings), header first. */
export function* demandLines(o: GenerateOptions): Generator<string> {
  const rand = rng(o.seed);
  const parts = Math.max(1, Math.round(2070 * o.scale));
  const targetRows = Math.round(11_900 * o.scale);
  const start = Date.parse(`${o.start}T00:00:00Z`);
  yield 'demand_qty,date,partnumber,site_code';
  // Each part lives at one or two sites and has its own demand rate (most are very slow movers).
  const series: { part: string; site: string; rate: number; size: number }[] = [];
  for (let i = 0; i < parts; i++) {
    const digits = String(17_000_000_000 + Math.floor(rand() * 5_000_000_000));
    const part = rand() < 0.05 ? `00${digits.slice(0, 8)}` : digits;
    const homes = rand() < 0.3 ? 2 : 1;
    for (let h = 0; h < homes; h++) {
      const site = SITES[Math.floor(Math.pow(rand(), 1.6) * SITES.length)];
      series.push({ part, site, rate: Math.pow(rand(), 3), size: 1 + Math.floor(rand() * 6) });
    }
  }
  const totalRate = series.reduce((s, x) => s + x.rate, 0);
  const perDay = targetRows / o.days;
  for (let d = 0; d < o.days; d++) {
    const t = new Date(start + d * 86_400_000);
    const date = `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()}`;
    const weekday = t.getUTCDay();
    const dayFactor = weekday === 0 ? 0.3 : weekday === 6 ? 0.6 : 1.1;
    for (const s of series) {
      const p = (s.rate / totalRate) * perDay * dayFactor;
      if (rand() >= p) continue;
      const qty = 1 + Math.floor(rand() * s.size);
      yield `${qty},${date},${s.part},${s.site}`;
      if (rand() < 0.14) yield `${1 + Math.floor(rand() * 2)},${date},${s.part},${s.site}`; // duplicate row
    }
  }
}

export async function writeDemandFile(file: string, o: GenerateOptions): Promise<number> {
  const out = createWriteStream(file);
  out.write('\uFEFF');
  let rows = -1;
  for (const line of demandLines(o)) {
    rows++;
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

export const USAGE = `Usage: node --import tsx scripts/generate-demand.ts [options]

Writes a demand file shaped like the old system's production file (daily demand, US-style dates, a BOM, CRLF).

Options:
  --scale N     multiplies parts and rows (1 = about 12,000 rows; 10 = about 120,000)   [1]
  --seed N      random seed; the same seed gives the same file                          [42]
  --out FILE    where to write the CSV                                                   [demand.csv]
  --start DATE  first date, YYYY-MM-DD                                                   [2024-08-01]
  --days N      days of demand                                                           [365]
  -h, --help    show this help
`;

/**
 * The command line's options, or what to do instead: print the usage (--help, exit 0) or an error
 * (exit 2). Never throws.
 */
export function parseCommandLine(
  args: string[],
): { options: GenerateOptions & { out: string } } | { help: true } | { error: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        scale: { type: 'string', default: '1' },
        seed: { type: 'string', default: '42' },
        out: { type: 'string', default: 'demand.csv' },
        start: { type: 'string', default: '2024-08-01' },
        days: { type: 'string', default: '365' },
      },
    }));
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
  if (values.help) return { help: true };
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const days = Number(values.days);
  const start = String(values.start);
  if (!(scale > 0) || !Number.isFinite(scale))
    return { error: `--scale must be a number above 0, not "${values.scale}"` };
  if (!Number.isInteger(seed)) return { error: `--seed must be a whole number, not "${values.seed}"` };
  if (!Number.isInteger(days) || days < 1)
    return { error: `--days must be a whole number of at least 1, not "${values.days}"` };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`)))
    return { error: `--start must be a date as YYYY-MM-DD, not "${start}"` };
  return { options: { scale, seed, start, days, out: String(values.out) } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cl = parseCommandLine(process.argv.slice(2));
  if ('help' in cl) {
    process.stdout.write(USAGE);
  } else if ('error' in cl) {
    process.stderr.write(`${cl.error}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    const rows = await writeDemandFile(cl.options.out, cl.options);
    console.log(`wrote ${rows} rows to ${cl.options.out}`);
  }
}
