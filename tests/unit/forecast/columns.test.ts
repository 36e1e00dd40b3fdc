import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engine } from '../../../server/forecast/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sparecast-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Indonesian header names', () => {
  it.each([
    ['tanggal', 'jumlah', 'kode_part', 'kode_site'],
    ['Tanggal', 'Qty Permintaan', 'No Part', 'Lokasi'],
    ['tgl', 'jumlah', 'no_part', 'gudang'],
  ])('maps %s, %s, %s, %s', async (date, qty, part, site) => {
    const p = join(dir, `${date}-${site}.csv`);
    writeFileSync(p, `${date};${qty};${part};${site}\n2024-01-01;2;A1;W1\n`);
    const h = await engine.inspectHead(p, 'x.csv');
    expect(h.columns).toEqual({ demand_qty: qty, date, partnumber: part, site_code: site });
  });
});
