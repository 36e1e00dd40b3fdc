/** The parts file of an inventory plan: columns, aliases, warnings, matching to the job's series. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { readPartsFile } from '../../../server/forecast/parse/parts.js';
import { matchParts, settingsFor } from '../../../server/forecast/inventory/settings.js';
import type { SiteSeries } from '../../../server/forecast/series/group.js';

const dir = mkdtempSync(join(tmpdir(), 'sparecast-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string, name = `parts-${n++}.csv`): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const read = (text: string) => {
  const p = file(text);
  return readPartsFile(p, p);
};
const site = (name: string, parts: string[]): SiteSeries => ({
  site: name,
  parts,
  off: new Int32Array(parts.length + 1),
  per: new Int32Array(0),
  qty: new Float64Array(0),
});
const config = jobConfigSchema.parse({});

describe('readPartsFile', () => {
  it('reads aliases (Indonesian too), a semicolon delimiter and percentages', async () => {
    const f = await read('Kode Part;Lokasi;Lead Time Hari;Harga;Service Level;Stok\nA;S1;10;2,5;97,5;3\nB;;0;1;0.9;\n');
    expect(f.columns).toMatchObject({ partnumber: 'Kode Part', site_code: 'Lokasi', lead_time_days: 'Lead Time Hari' });
    expect(f.rows).toEqual([
      { partnumber: 'A', site: 'S1', leadDays: 10, unitCost: 2.5, serviceLevel: 0.975, onHand: 3 },
      { partnumber: 'B', site: null, leadDays: 0, unitCost: 1, serviceLevel: 0.9 },
    ]);
    expect(f.warnings).toEqual([]);
  });
  it('reads min_service_level by its aliases in both languages, as a share or a percentage', async () => {
    const en = await read('partnumber,service_level,Min Service Level\nA,0.9,97.5\nB,,0.99\nC,0.95,\n');
    expect(en.columns).toMatchObject({ min_service_level: 'Min Service Level' });
    expect(en.rows).toEqual([
      { partnumber: 'A', site: null, serviceLevel: 0.9, minServiceLevel: 0.975 },
      { partnumber: 'B', site: null, minServiceLevel: 0.99 },
      { partnumber: 'C', site: null, serviceLevel: 0.95 },
    ]);
    expect(en.warnings).toEqual([]);
    const id = await read('Kode Part;Tingkat Layanan Minimum\nA;98\n');
    expect(id.columns).toMatchObject({ min_service_level: 'Tingkat Layanan Minimum' });
    expect(id.rows).toEqual([{ partnumber: 'A', site: null, minServiceLevel: 0.98 }]);
    // a file with only this value column is a parts file
    expect((await read('sku,service_floor\nA,0.9\n')).rows).toEqual([
      { partnumber: 'A', site: null, minServiceLevel: 0.9 },
    ]);
  });
  it('a bad min_service_level is left out and reported with its line', async () => {
    const f = await read('partnumber,unit_cost,min_service_level\nA,1,0.3\nB,2,x\nC,3,0.9\n');
    expect(f.rows).toEqual([
      { partnumber: 'A', site: null, unitCost: 1 },
      { partnumber: 'B', site: null, unitCost: 2 },
      { partnumber: 'C', site: null, unitCost: 3, minServiceLevel: 0.9 },
    ]);
    expect(f.warnings).toEqual([
      expect.stringMatching(
        /^Parts file: 2 minimum service levels are not 0\.5–0\.999 or 50–99\.9 %.*line 2: "0\.3", line 3: "x"/,
      ),
    ]);
    expect(f.notices).toEqual([
      expect.objectContaining({
        code: 'PARTS_BAD_VALUE',
        params: { column: 'min_service_level', count: 2 },
        examples: ['line 2: "0.3"', 'line 3: "x"'],
      }),
    ]);
  });
  it("a series' own minimum comes from its site's row, else the part's row", async () => {
    const f = await read('partnumber,site_code,min_service_level,service_level\nA,S1,0.99,0.9\nA,,0.95,\nB,,,0.8\n');
    const m = matchParts(f, [site('S1', ['A', 'B']), site('S2', ['A'])], config, 'D');
    expect(settingsFor(m.settings, 'A', 'S1')).toMatchObject({ ownMin: 0.99, ownTarget: 0.9 });
    expect(settingsFor(m.settings, 'A', 'S2')).toMatchObject({ ownMin: 0.95, ownTarget: null });
    expect(settingsFor(m.settings, 'B', 'S1')).toMatchObject({ ownMin: null, ownTarget: 0.8 });
  });
  it('MISSING_COLUMNS names what is missing when no needed column is there', async () => {
    await expect(read('sku,colour\nA,red\n')).rejects.toMatchObject({
      code: 'MISSING_COLUMNS',
      message: expect.stringMatching(/at least one of lead_time_days, lead_time_periods, unit_cost/),
    });
    await expect(read('colour,lead_time\nred,3\n')).rejects.toMatchObject({
      code: 'MISSING_COLUMNS',
      message: expect.stringMatching(/missing partnumber .*"colour", "lead_time"/),
    });
  });
  it('negative and text values: left out, counted, with examples; the row is kept', async () => {
    const f = await read('partnumber,lead_time_days,unit_cost\nA,-3,1\nB,abc,x\nC,5,2\nD,2.5,7\n');
    expect(f.rows.map((r) => r.partnumber)).toEqual(['A', 'B', 'C', 'D']);
    expect(f.rows[0]).toEqual({ partnumber: 'A', site: null, unitCost: 1 });
    expect(f.rows[3].leadDays).toBe(2.5);
    expect(f.warnings).toEqual([
      expect.stringMatching(/^Parts file: 2 lead times \(days\) are not numbers ≥ 0 .*line 2: "-3", line 3: "abc"/),
      expect.stringMatching(/^Parts file: 1 unit costs are not numbers ≥ 0 .*line 3: "x"/),
    ]);
    // the same as codes and values, one notice per warning, for the pages to word
    expect(f.notices).toEqual([
      expect.objectContaining({
        code: 'PARTS_BAD_VALUE',
        params: { column: 'lead_time_days', count: 2 },
        examples: ['line 2: "-3"', 'line 3: "abc"'],
        message: f.warnings[0],
      }),
      expect.objectContaining({ code: 'PARTS_BAD_VALUE', params: { column: 'unit_cost', count: 1 } }),
    ]);
  });
  it('service levels outside 0.5–0.999 / 50–99.9 % and fractional periods are reported', async () => {
    const f = await read('partnumber,service_level,lead_time_periods\nA,0.3,1.5\nB,100,2\n');
    expect(f.rows).toEqual([
      { partnumber: 'A', site: null },
      { partnumber: 'B', site: null, leadPeriods: 2 },
    ]);
    expect(f.warnings.join(' ')).toMatch(/2 service levels are not 0\.5–0\.999 or 50–99\.9 %/);
    expect(f.warnings.join(' ')).toMatch(/1 lead times \(periods\) are not whole numbers ≥ 0/);
  });
  it('duplicates: the first row is used, the others counted', async () => {
    const f = await read('partnumber,site_code,lead_time_days\nA,S1,1\nA,S1,9\nA,,4\nA,,5\n');
    expect(f.rows.map((r) => r.leadDays)).toEqual([1, 4]);
    expect(f.warnings).toEqual([
      expect.stringMatching(/2 rows repeat an earlier part and site; the first one is used .*A @ S1, A\)/),
    ]);
  });
});

describe('readPartsFile: supersession and order rules', () => {
  it('replaced_by, moq and order_multiple by their aliases, in both languages', async () => {
    const en = await read('part_no,superseded_by,min_order_qty,pack_size\nA,B,10,5\nB,,0,\nC,C,,1\n');
    expect(en.columns).toMatchObject({
      replaced_by: 'superseded_by',
      moq: 'min_order_qty',
      order_multiple: 'pack_size',
    });
    expect(en.rows).toEqual([
      { partnumber: 'A', site: null, replacedBy: 'B', moq: 10, orderMultiple: 5 },
      { partnumber: 'B', site: null }, // 0: no minimum
      { partnumber: 'C', site: null, orderMultiple: 1 }, // replaced by itself: not replaced
    ]);
    const id = await read('Kode Part;Pengganti;Min Pesan;Kelipatan\nA;B;25;10\n');
    expect(id.columns).toMatchObject({ replaced_by: 'Pengganti', moq: 'Min Pesan', order_multiple: 'Kelipatan' });
    expect(id.rows).toEqual([{ partnumber: 'A', site: null, replacedBy: 'B', moq: 25, orderMultiple: 10 }]);
    const other = await read('partnumber,new_partnumber,lot_size\nA,B,6\n');
    expect(other.rows).toEqual([{ partnumber: 'A', site: null, replacedBy: 'B', orderMultiple: 6 }]);
  });
  it('a file of supersessions only is a parts file', async () => {
    const f = await read('partnumber,replaced_by\nA,B\n');
    expect(f.rows).toEqual([{ partnumber: 'A', site: null, replacedBy: 'B' }]);
  });
  it('bad order rules are left out and reported with their lines', async () => {
    const f = await read('partnumber,moq,order_multiple\nA,2.5,x\nB,-1,4\n');
    expect(f.rows).toEqual([
      { partnumber: 'A', site: null },
      { partnumber: 'B', site: null, orderMultiple: 4 },
    ]);
    expect(f.warnings).toEqual([
      expect.stringMatching(/2 minimum order quantities are not whole numbers ≥ 0 .*line 2: "2\.5", line 3: "-1"/),
      expect.stringMatching(/1 order multiples are not whole numbers ≥ 0 .*line 2: "x"/),
    ]);
    expect(f.notices.map((n) => n.params.column)).toEqual(['moq', 'order_multiple']);
  });
  it('order rules reach the series settings: site row, else the part row', async () => {
    const f = await read('partnumber,site_code,moq,order_multiple\nA,S1,,5\nA,,10,2\n');
    const m = matchParts(f, [site('S1', ['A']), site('S2', ['A'])], config, 'M');
    expect(settingsFor(m.settings, 'A', 'S1')).toMatchObject({ moq: 10, orderMultiple: 5 });
    expect(settingsFor(m.settings, 'A', 'S2')).toMatchObject({ moq: 10, orderMultiple: 2 });
  });
});

describe('matchParts (parts file → series settings)', () => {
  const series = [site('S1', ['A', 'B']), site('S2', ['A'])];
  it('site row, else the part row, field by field, else the defaults; days round up to periods', async () => {
    const f = await read('partnumber,site_code,lead_time_days,unit_cost,on_hand\nA,S1,8,2,\nA,,15,3,4\n');
    const m = matchParts(f, series, config, 'W');
    expect(m.covered).toBe(2);
    expect(settingsFor(m.settings, 'A', 'S1')).toEqual({
      L: 2, // 8 days: two weeks
      R: 1,
      target: 0.95,
      ownTarget: null, // the parts file gives no service level: no floor of its own
      ownMin: null,
      unitCost: 2,
      onHand: 4, // from the part's row
      onOrder: null,
      moq: null,
      orderMultiple: null,
      replaces: null,
    });
    expect(settingsFor(m.settings, 'A', 'S2')).toMatchObject({ L: 3, unitCost: 3 });
    expect(settingsFor(m.settings, 'B', 'S1')).toMatchObject({ L: 5, unitCost: null }); // 30 days default
    expect(m.warnings).toEqual([expect.stringMatching(/covers 2 of 3 series/)]);
  });
  it('unknown parts are reported; a file of unknown parts only is rejected', async () => {
    const some = await read('partnumber,site_code,lead_time_days\nA,,1\nZ,,1\nB,S9,1\n');
    expect(matchParts(some, series, config, 'D').warnings[0]).toMatch(
      /2 rows name a part or site that is not forecast .*Z, B @ S9/,
    );
    const none = await read('partnumber,lead_time_days\nX,1\nY,2\n');
    expect(() => matchParts(none, series, config, 'D')).toThrow(/None of the 2 rows of the parts file names a part/);
  });
  it('the config defaults apply without a row (service level as a percentage too)', async () => {
    const cfg = jobConfigSchema.parse({ service_level: '90', lead_time_days: 0, review_periods: 2 });
    const f = await read('partnumber,unit_cost\nA,1\n');
    expect(settingsFor(matchParts(f, series, cfg, 'M').settings, 'B', 'S1')).toMatchObject({
      L: 0,
      R: 2,
      target: 0.9,
    });
    expect(jobConfigSchema.safeParse({ service_level: 1 }).success).toBe(false);
  });
});
