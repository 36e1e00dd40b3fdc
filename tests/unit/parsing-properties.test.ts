/**
 * Property-based tests (fast-check) of CSV reading and date parsing, through the engine's public API:
 * files are written to disk and read with inspectHead / previewDemand / loadDemand, forecast with
 * forecastPartition; per-series history (sums) comes from loading the file as a job does
 * (helpers/series-oracle.ts), as the job page's chart shows it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobConfig } from '../../server/contract/dto.js';
import { engine, readText } from '../../server/forecast/index.js';
import { oracleHistory } from '../helpers/series-oracle.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let k = 0;
const write = (content: string, ext = 'csv') => {
  const p = path.join(dir, `f${k++}.${ext}`);
  writeFileSync(p, content);
  return p;
};
const cfg = (over: Partial<JobConfig> = {}): JobConfig => ({
  forecast_horizon: 2,
  forecast_start_date: null,
  forecast_site_codes: [],
  date_format: 'auto',
  zero_threshold: 0,
  rounding_mode: 'half_up',
  frequency: null,
  method: 'naive',
  ...over,
});
/** FC_RUNS=500 for a deeper local hunt; 50 keeps the file under a few seconds. */
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 50) };
const DAY = 86_400_000;
const iso = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** CSV quoting as a spreadsheet would write it. */
const field = (s: string, d: string) =>
  s.includes(d) || /["\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;

// ---- arbitraries ------------------------------------------------------------------------------------------

const code = fc.stringMatching(/^[A-Z][A-Z0-9-]{0,6}$/);
/** Quantities written the way files hold them: integers and up to 3 decimals, small enough to sum exactly. */
const qty = fc
  .integer({ min: 0, max: 9999 })
  .chain((n) => fc.constantFrom(String(n), (n / 4).toString(), (n / 8).toFixed(3)));
/** A day between 2019-01-01 and 2024-12-31. */
const day = fc.integer({ min: 17897, max: 20088 });
const row = fc.record({ q: qty, day, part: code, site: code });
const table = fc.array(row, { minLength: 1, maxLength: 25 });

const DELIMS = [',', ';', '\t', '|'] as const;

function writeTable(
  rows: { q: string; day: number; part: string; site: string }[],
  d: string,
  decimalComma = false,
): string {
  const lines = [['demand_qty', 'date', 'partnumber', 'site_code'].join(d)];
  for (const r of rows)
    lines.push(
      [decimalComma ? r.q.replace('.', ',') : r.q, iso(r.day), r.part, r.site].map((x) => field(x, d)).join(d),
    );
  return write(lines.join('\n') + '\n');
}

/** Σ quantity per (part, site) read back through the engine. */
async function sums(file: string, keys: [string, string][]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [part, site] of keys) {
    const h = await oracleHistory({ uploadFile: file, originalName: 'x.csv', config: cfg() }, part, site);
    out.set(
      `${part}|${site}`,
      h.reduce((s, p) => s + p.qty, 0),
    );
  }
  return out;
}

function expectedSums(rows: { q: string; part: string; site: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(`${r.part}|${r.site}`, (m.get(`${r.part}|${r.site}`) ?? 0) + Number(r.q));
  return m;
}

const close = (a: Map<string, number>, b: Map<string, number>) => {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [key, v] of a) expect(v).toBeCloseTo(b.get(key)!, 6);
};

// ---- CSV ------------------------------------------------------------------------------------------------------

describe('CSV reading (properties)', () => {
  it('any table written with , ; tab or | reads back with the same rows, sites and sums per series', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom(...DELIMS), async (rows, d) => {
        const file = writeTable(rows, d);
        const head = await engine.inspectHead(file, 'x.csv');
        expect(head.delimiter).toBe(d);
        const prep = await engine.loadDemand(file, 'x.csv', cfg());
        expect(prep.rows).toBe(rows.length);
        expect(prep.sites).toEqual([...new Set(rows.map((r) => r.site))].sort());
        const keys = [...new Set(rows.map((r) => `${r.part}|${r.site}`))].map((x) => x.split('|') as [string, string]);
        close(await sums(file, keys), expectedSums(rows));
      }),
      { numRuns: Math.ceil(RUNS.numRuns * 0.6) },
    );
  });

  it('decimal commas in ; | and tab files read as the same numbers as decimal points', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom(';', '\t', '|'), async (rows, d) => {
        const a = await engine.previewDemand(writeTable(rows, d, true), 'x.csv', { date_format: 'auto' });
        const b = await engine.previewDemand(writeTable(rows, ','), 'x.csv', { date_format: 'auto' });
        expect(a.issues).toEqual([]);
        expect({ ...a, delimiter: ',' }).toEqual({ ...b, delimiter: ',' });
      }),
      RUNS,
    );
  });

  it('CRLF, a UTF-8 BOM and trailing blank lines change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.boolean(), fc.boolean(), fc.nat({ max: 3 }), async (rows, crlf, bom, blanks) => {
        const plain = writeTable(rows, ',');
        const text = readFileSync(plain, 'utf8');
        const variant = write(
          (bom ? '\uFEFF' : '') + (crlf ? text.replace(/\n/g, '\r\n') : text) + (crlf ? '\r\n' : '\n').repeat(blanks),
        );
        const a = await engine.previewDemand(variant, 'x.csv', { date_format: 'auto' });
        const b = await engine.previewDemand(plain, 'x.csv', { date_format: 'auto' });
        expect({ ...a, encoding: '' }).toEqual({ ...b, encoding: '' });
      }),
      RUNS,
    );
  });

  it('quoted part numbers (delimiters, quotes, newlines, leading zeros, unicode) come out intact in the output CSV', async () => {
    const nasty = fc
      .oneof(
        fc.stringMatching(/^0{1,3}[0-9]{1,5}$/),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.constantFrom(
          'A,B',
          'say "hi"',
          'line\nbreak',
          'semi;colon',
          'tab\tin',
          'pipe|d',
          'Ünïcødé-部品',
          '=1+2',
          '1.5E+10',
          '""',
        ),
      )
      // eslint-disable-next-line no-control-regex -- NUL bytes are part of what the reader must survive
      .map((s) => s.replace(/[\u0000\r]/g, '').trim())
      .filter((s) => s !== '');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(nasty, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...DELIMS),
        async (parts, d) => {
          const rows = parts.flatMap((p, i) =>
            [0, 1, 2].map((j) => ({ q: String(i + j), day: 19800 + j, part: p, site: 'S1' })),
          );
          const file = writeTable(rows, d);
          const c = cfg();
          const prep = await engine.loadDemand(file, 'x.csv', c);
          const csv = prep.partitions
            .map((p) => engine.forecastPartition(p, prep.context, c, { progress() {}, shouldStop: () => false }).csv)
            .join('');
          const out = parseCsv(csv) as string[][];
          // Text that a spreadsheet would run as a formula is written neutralised ('=…); readText undoes it.
          expect(new Set(out.map((r) => readText(r[1])))).toEqual(new Set(parts));
          expect(out.every((r) => r.length === 10 && r[2] === 'S1')).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

// ---- dates ------------------------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');
type Style = 'ISO' | 'DMY' | 'MDY';
function formatDate(dayNum: number, style: Style, sep: string, zeros: boolean): string {
  const t = new Date(dayNum * DAY);
  const [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  const p = (n: number) => (zeros ? pad(n) : String(n));
  if (style === 'ISO') return sep === '' ? `${y}${pad(m)}${pad(d)}` : `${y}${sep}${p(m)}${sep}${p(d)}`;
  return style === 'DMY' ? `${p(d)}${sep}${p(m)}${sep}${y}` : `${p(m)}${sep}${p(d)}${sep}${y}`;
}
const anyDay = fc.integer({ min: -7305, max: 47482 }); // 1950-01-01 … 2099-12-31

describe('date parsing (properties)', () => {
  it('any valid date written ISO, DMY or MDY (separators / . -, with or without zeros) reads back to the same day when the order is given', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(anyDay, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<Style>('ISO', 'DMY', 'MDY'),
        fc.constantFrom('/', '.', '-'),
        fc.boolean(),
        async (days, style, sep, zeros) => {
          const lines = [
            'qty,date,part,site',
            ...days.map((dn, i) => `${i + 1},${formatDate(dn, style, sep, zeros)},P,S`),
          ];
          const file = write(lines.join('\n') + '\n');
          const order = style === 'ISO' ? 'YMD' : style;
          const pv = await engine.previewDemand(file, 'x.csv', { date_format: order });
          expect(pv.issues).toEqual([]);
          expect(pv.first_date).toBe(iso(Math.min(...days)));
          expect(pv.last_date).toBe(iso(Math.max(...days)));
          if (days.length === 1) {
            // Single date: read through the series history too.
            const src = { uploadFile: file, originalName: 'x.csv', config: cfg({ date_format: order }) };
            const h = await oracleHistory(src, 'P', 'S');
            expect(h.map((p) => p.date)).toEqual([iso(days[0])]);
          }
        },
      ),
      RUNS,
    );
  });

  it('auto detects DMY or MDY when one date proves it, and reads every date to its day', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(anyDay, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<Style>('DMY', 'MDY'),
        async (days, style) => {
          // One proving date: day 13..28 of some month.
          const proof = days[0] - new Date(days[0] * DAY).getUTCDate() + 20;
          const all = [...new Set([proof, ...days])];
          const lines = [
            'qty,date,part,site',
            ...all.map((dn, i) => `${i + 1},${formatDate(dn, style, '/', true)},P,S`),
          ];
          const pv = await engine.previewDemand(write(lines.join('\n') + '\n'), 'x.csv', { date_format: 'auto' });
          expect(pv.date_order).toBe(style);
          expect(pv.issues).toEqual([]);
          expect(pv.first_date).toBe(iso(Math.min(...all)));
          expect(pv.last_date).toBe(iso(Math.max(...all)));
        },
      ),
      RUNS,
    );
  });

  it('ISO dates with a time of day read as that calendar day', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyDay,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('T', ' '),
        fc.constantFrom('', 'Z', ':30', '.123Z'),
        async (dn, hh, mm, sep, tail) => {
          const text = `${iso(dn)}${sep}${pad(hh)}:${pad(mm)}${tail === ':30' ? ':30' : tail === '.123Z' ? ':00.123Z' : tail}`;
          const pv = await engine.previewDemand(write(`qty,date,part,site\n1,${text},P,S\n`), 'x.csv', {
            date_format: 'auto',
          });
          expect(pv.issues).toEqual([]);
          expect(pv.first_date).toBe(iso(dn));
        },
      ),
      RUNS,
    );
  });

  it('an impossible day (31 in a 30-day month, 29 Feb in a common year, month 13) is reported, never shifted to another day', async () => {
    const impossible = fc.oneof(
      fc.record({ y: fc.integer({ min: 1950, max: 2099 }), m: fc.constantFrom(4, 6, 9, 11), d: fc.constant(31) }),
      fc.record({
        y: fc.integer({ min: 1950, max: 2099 }).filter((y) => y % 4 !== 0),
        m: fc.constant(2),
        d: fc.constantFrom(29, 30),
      }),
      fc.record({ y: fc.integer({ min: 1950, max: 2099 }), m: fc.constant(13), d: fc.integer({ min: 1, max: 12 }) }),
    );
    await fc.assert(
      fc.asyncProperty(impossible, fc.constantFrom<Style>('ISO', 'DMY', 'MDY'), async ({ y, m, d }, style) => {
        const text =
          style === 'ISO'
            ? `${y}-${pad(m)}-${pad(d)}`
            : style === 'DMY'
              ? `${pad(d)}/${pad(m)}/${y}`
              : `${pad(m)}/${pad(d)}/${y}`;
        const file = write(`qty,date,part,site\n1,2024-01-01,P,S\n2,${text},P,S\n`);
        const pv = await engine.previewDemand(file, 'x.csv', { date_format: style === 'ISO' ? 'YMD' : style });
        expect(pv.issues.map((i) => i.code)).toContain('BAD_DATES');
        expect(pv.issues.find((i) => i.code === 'BAD_DATES')!.examples).toContain(text);
      }),
      RUNS,
    );
  });
});
