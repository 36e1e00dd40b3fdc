/**
 * Issue 18, part 3: bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
 * U+061C) are dropped from part numbers and site codes where the demand file and the parts file are read,
 * on every reading path (UTF-8 bytes, csv-parse, cp1252/UTF-16 text), so they reach no output or page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { readDemand, stripBidi } from '../../../server/forecast/parse/load.js';
import { readPartsFile } from '../../../server/forecast/parse/parts.js';

const dir = mkdtempSync(join(tmpdir(), 'sparecast-bidi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let k = 0;
const file = (content: string | Buffer) => {
  const p = join(dir, `f${k++}.csv`);
  writeFileSync(p, content);
  return p;
};

const CONTROLS = [
  ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c],
].map((c) => String.fromCharCode(c));
const ANY_BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

describe('bidi controls in part numbers and site codes', () => {
  it('stripBidi drops each of them and nothing else', () => {
    for (const c of CONTROLS) expect(stripBidi(`P${c}-1${c}`)).toBe('P-1');
    expect(stripBidi('P-1 ٣ Jakarta é 部品')).toBe('P-1 ٣ Jakarta é 部品');
    expect(stripBidi('\u202Eabc\u202C')).toBe('abc');
  });

  const demandText = [
    'demand_qty,date,partnumber,site_code',
    '1,2024-01-01,\u202EP1\u202C,\u2066S1\u2069',
    '2,2024-01-02,P1,S1',
    '3,2024-01-03,P\u200E2,\u061CS\u200F1',
    '4,2024-01-04,\u202B\u202A,S1',
  ].join('\n');

  it('the demand reader (UTF-8 bytes, csv-parse, UTF-16): codes without them', async () => {
    const quoted = demandText.replace('2,2024-01-02,P1,S1', '2,2024-01-02,"P1",S1');
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(demandText, 'utf16le')]);
    for (const content of [demandText, quoted, u16]) {
      const raw = await readDemand(file(content), 'd.csv', 'auto');
      expect(raw.parts).toEqual(['P1', 'P2']);
      expect(raw.sites).toEqual(['S1']);
      // a part number of controls only is blank
      expect(raw.issues.find((i) => i.code === 'BLANK_PARTNUMBER')?.count).toBe(1);
    }
  });

  it('the parts-file reader: codes without them, so they match the demand file', async () => {
    const p = file('part_number,site,lead_time_days\n\u202EP1\u202C,\u2067S1\u2069,5\nP\u200F2,,7\n');
    const parts = await readPartsFile(p, 'parts.csv');
    expect(parts.rows.map((r) => [r.partnumber, r.site])).toEqual([
      ['P1', 'S1'],
      ['P2', null],
    ]);
    for (const r of parts.rows) expect(ANY_BIDI.test(`${r.partnumber}${r.site ?? ''}`)).toBe(false);
  });
});
