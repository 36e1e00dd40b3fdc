/**
 * Issue 21 items 4, 8, 9 in a real Chromium (Indonesian): a bad parts file has its own error next to its
 * drop zone while the demand preview stays; once the preview lists the sites, only they can be picked;
 * a plan without stock or costs says "tidak diketahui", not 0.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { uploadJob, type TestServer } from '../helpers/server.js';
import { bootWithClient, hasChromium, launch, openPage } from './support/browser.js';

const SITES = ['IEL-ST-KDI', 'IEL-ST-MKS'];
const DEMAND = [
  'date,partnumber,site_code,demand_qty',
  ...Array.from({ length: 90 }, (_, d) => {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
    return SITES.map((s, i) => `${date},P${d % 3},${s},${1 + ((d + i) % 4)}`);
  }).flat(),
].join('\n');
const BAD_PARTS = 'partnumber,lead_time_days\nP0,7\n"P1,9\nP2,3\n';

describe.skipIf(!hasChromium && !process.env.CI)('what a planner trips over, in Chromium', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    s = await bootWithClient();
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('item 8: a bad parts file: the demand preview stays, the parts file’s own error sits by its zone', async () => {
    const { page, ctx } = await openPage(browser, `${s.url}/#/`);
    await page.getByTestId('parts-zone-input').setInputFiles({
      name: 'stok.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(BAD_PARTS),
    });
    await page.getByTestId('file-input').setInputFiles({
      name: 'permintaan.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(DEMAND),
    });
    await page.getByTestId('preview').waitFor({ timeout: 30_000 });
    const err = page.locator('.parts [data-testid="parts-error"]');
    await err.waitFor({ timeout: 5_000 });
    expect(await err.textContent()).toContain('File part stok.csv tidak bisa dipakai');
    expect(await page.getByTestId('preview-error').count()).toBe(0);

    // item 9: once the preview lists the sites, only they can be picked
    const search = page.getByTestId('site-search');
    await search.fill('KDI');
    const list = page.getByTestId('site-select');
    await expect
      .poll(async () => (await list.locator('label').allTextContents()).map((x) => x.trim()))
      .toEqual(['IEL-ST-KDI']);
    expect(await list.getByRole('button', { name: /Tambah/ }).count()).toBe(0);
    await search.fill('XYZ');
    await page.getByTestId('site-unknown').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('site-unknown').textContent()).toContain('Tidak ada site “XYZ” di file ini');
    expect(await list.getByRole('button', { name: /Tambah/ }).count()).toBe(0);
    await ctx.close();
  }, 60_000);

  it('item 4: a plan without stock or costs says “tidak diketahui”, not 0, and how to fill it in', async () => {
    const up = await uploadJob(s.url, { name: 'tanpa-part.csv', content: DEMAND }, { forecast_horizon: 14 });
    expect(up.status).toBe(201);
    const id = up.body.id;
    await expect
      .poll(async () => ((await (await fetch(`${s.url}/api/jobs/${id}`)).json()) as JobDto).status, {
        timeout: 60_000,
      })
      .toBe('COMPLETED');
    const { page, ctx } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    await page.locator('[data-testid="inventory"][data-phase="ready"]').waitFor({ timeout: 15_000 });
    const all = page.getByTestId('inv-totals-all');
    const cells = (await all.locator('td').allTextContents()).map((c) => c.trim());
    expect(cells.slice(1)).toEqual(['tidak diketahui', 'tidak diketahui', 'tidak diketahui']);
    const hint = await page.getByTestId('inv-unknown-hint').textContent();
    expect(hint).toContain('on_hand');
    expect(hint).toContain('unit_cost');
    await ctx.close();
  }, 90_000);
});
