/** Supersession (issue 25): replaced_by chains resolved per site, loops and absurd chains refused. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { matchParts, settingsFor } from '../../../server/forecast/inventory/settings.js';
import type { PartRow } from '../../../server/forecast/parse/parts.js';
import { inspectPartsHead } from '../../../server/forecast/parse/parts.js';
import { MAX_CHAIN, supersessionOf } from '../../../server/forecast/parse/supersession.js';
import { readGrouped } from '../../../server/forecast/series/read.js';
import type { SiteSeries } from '../../../server/forecast/series/group.js';

const dir = mkdtempSync(join(tmpdir(), 'sparecast-supersede-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const link = (partnumber: string, replacedBy: string, site: string | null = null): PartRow => ({
  partnumber,
  site,
  replacedBy,
});
const sup = (rows: PartRow[]) => supersessionOf(rows)!;

describe('supersessionOf', () => {
  it('no replaced_by at all: null', () => {
    const rows: PartRow[] = [{ partnumber: 'A', site: null, leadDays: 3 }];
    expect(supersessionOf(rows)).toBeNull();
  });
  it('a chain resolves to its last number, from any point on it', () => {
    const s = sup([link('A', 'B'), link('B', 'C'), link('C', 'D')]);
    for (const p of ['A', 'B', 'C', 'D']) expect(s.finalOf(p, 'S1')).toBe('D');
    expect(s.finalOf('X', 'S1')).toBe('X');
    expect([...s.replaced].sort()).toEqual(['A', 'B', 'C']);
  });
  it('a long chain (MAX_CHAIN links) resolves; one link more is refused, naming its ends', () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => link(`P${i}`, `P${i + 1}`));
    expect(sup(chain(MAX_CHAIN)).finalOf('P0', 'S')).toBe(`P${MAX_CHAIN}`);
    // the links listed last to first: resolving from the middle first must not change the answer
    expect(sup(chain(MAX_CHAIN).reverse()).finalOf('P0', 'S')).toBe(`P${MAX_CHAIN}`);
    // too long whichever end the file lists first (a chain met in parts is measured whole)
    expect(() => sup(chain(MAX_CHAIN + 1).reverse())).toThrow(/more than 50 replacements/);
    expect(() => sup(chain(MAX_CHAIN + 1))).toThrow(
      expect.objectContaining({
        code: 'SUPERSESSION_TOO_LONG',
        message: expect.stringMatching(/more than 50 replacements, from "P0" .*"P50" → "P51"/),
      }),
    );
  });
  it('branches merge: A→C and B→C both end at C', () => {
    const s = sup([link('A', 'C'), link('B', 'C'), link('C', 'E'), link('D', 'E')]);
    expect(['A', 'B', 'C', 'D'].map((p) => s.finalOf(p, 'S'))).toEqual(['E', 'E', 'E', 'E']);
  });
  it('a loop is refused, naming its parts; a two-part loop too', () => {
    expect(() => sup([link('A', 'B'), link('B', 'A')])).toThrow(
      expect.objectContaining({ code: 'SUPERSESSION_CYCLE', message: expect.stringMatching(/"A" → "B" → "A"/) }),
    );
    expect(() => sup([link('X', 'A'), link('A', 'B'), link('B', 'C'), link('C', 'A')])).toThrow(
      /loop: "A" → "B" → "C" → "A"/,
    );
  });
  it('a site row links at its site only; a blank-site row at every other site', () => {
    const s = sup([link('A', 'B'), link('A', 'Z', 'S2'), link('Q', 'R', 'S3')]);
    expect(s.finalOf('A', 'S1')).toBe('B');
    expect(s.finalOf('A', 'S2')).toBe('Z');
    expect(s.finalOf('Q', 'S3')).toBe('R');
    expect(s.finalOf('Q', 'S1')).toBe('Q');
  });
  it('a loop made by a site row with the blank-site rows is refused, naming the site', () => {
    expect(() => sup([link('A', 'B'), link('B', 'A', 'S2')])).toThrow(/loop: "[AB]" → "[AB]" → "[AB]" at site "S2"/);
    // the same rows without the site row are fine
    expect(sup([link('A', 'B')]).finalOf('A', 'S2')).toBe('B');
  });
});

describe('supersession through the files', () => {
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  it('the upload check refuses a loop in the parts file', async () => {
    const p = write('loop.csv', 'partnumber,replaced_by\nA,B\nB,A\n');
    await expect(inspectPartsHead(p, 'loop.csv')).rejects.toMatchObject({ code: 'SUPERSESSION_CYCLE' });
    const ok = write('ok.csv', 'partnumber,replaced_by\nA,B\n');
    await expect(inspectPartsHead(ok, 'ok.csv')).resolves.toMatchObject({ replaced_by: 'replaced_by' });
  });
  it('old numbers’ demand is the final number’s, per site; no duplicates counted for it', async () => {
    const demand = write(
      'demand.csv',
      'date,partnumber,site_code,qty\n' +
        '2024-01-01,OLD,S1,2\n2024-01-01,NEW,S1,3\n2024-02-01,OLD,S1,1\n2024-03-01,NEW,S1,4\n' +
        '2024-01-01,OLD,S2,5\n2024-02-01,MID,S1,7\n',
    );
    const s = sup([link('OLD', 'MID'), link('MID', 'NEW'), link('OLD', 'OLD2', 'S2')]);
    const config = jobConfigSchema.parse({});
    const g = await readGrouped(demand, 'demand.csv', config, undefined, s);
    expect(g.merged).toBe(2); // OLD and MID at S1 (OLD at S2 went to OLD2: merged too, the same number)
    expect(g.g.duplicates).toBe(0);
    const s1 = g.g.sites.find((x) => x.site === 'S1')!;
    expect(s1.parts).toEqual(['NEW']);
    expect(Array.from(s1.qty)).toEqual([5, 8, 4]);
    const s2 = g.g.sites.find((x) => x.site === 'S2')!;
    expect(s2.parts).toEqual(['OLD2']);
  });
  it('old numbers’ stock counts toward the final number at each site; replaces lists them', () => {
    const series: SiteSeries[] = ['S1', 'S2'].map((site) => ({
      site,
      parts: ['NEW'],
      off: new Int32Array(2),
      per: new Int32Array(0),
      qty: new Float64Array(0),
    }));
    const rows: PartRow[] = [
      { partnumber: 'OLD', site: null, replacedBy: 'NEW', onHand: 4, onOrder: 1 },
      { partnumber: 'OLD', site: 'S2', replacedBy: 'NEW', onHand: 10 },
      { partnumber: 'MID', site: 'S1', replacedBy: 'NEW', onHand: 2 },
      { partnumber: 'NEW', site: null, onHand: 1, unitCost: 3 },
    ];
    const file = { rows, columns: {}, warnings: [], notices: [] };
    const m = matchParts(file, series, jobConfigSchema.parse({}), 'M', supersessionOf(rows));
    expect(m.warnings).toEqual([]); // the old numbers are not "unknown"
    expect(settingsFor(m.settings, 'NEW', 'S1')).toMatchObject({
      onHand: 1 + 4 + 2,
      onOrder: 1,
      unitCost: 3,
      replaces: ['MID', 'OLD'],
    });
    expect(settingsFor(m.settings, 'NEW', 'S2')).toMatchObject({ onHand: 1 + 10, onOrder: 1, replaces: ['OLD'] });
  });
});
