/**
 * The Inventory view of issue 11 in a real Chromium against the real server (the sample with a parts
 * file of lead times, costs and stock on hand; no fakes):
 * table, totals, curve, the chosen part's lead-time demand next to its chart, CSV and XLSX downloads,
 * and a 375 px screen (a card per part). Needs the server side of the plan (GET /api/jobs/:id/inventory…).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { bootWithClient, hasChromium, launch, openPage, screenshotDir } from './support/browser.js';
import { completedSample, samplePartNumbers } from './support/sample-job.js';

const PLAN_COLUMNS = [
  'partnumber',
  'site_code',
  'demand_class',
  'lead_time_periods',
  'review_periods',
  'service_level',
  'ltd_mean',
  'ltd_q50',
  'ltd_q80',
  'ltd_q90',
  'ltd_q95',
  'ltd_q99',
  'order_up_to',
  'safety_stock',
  'unit_cost',
  'stock_value',
  'on_hand',
  'on_order',
  'suggested_order',
  'expected_fill_rate',
  'expected_units_short',
  'demand_chance',
  'periods_since_demand',
];

/** A parts file for every part of the sample: deterministic lead times, costs and stock on hand. */
function partsFor(sample: string): string {
  const parts = samplePartNumbers(sample);
  const lines = parts.map((p, i) => `${p},${7 + (i % 5) * 7},${(5 + (i % 40) * 2.5).toFixed(2)},${i % 3}`);
  return `partnumber,lead_time_days,unit_cost,on_hand\n${lines.join('\n')}\n`;
}

const partCells = (page: Page) => page.locator('[data-testid="inv-row"] th').allTextContents();

describe.skipIf(!hasChromium && !process.env.CI)('Inventory view in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    s = await bootWithClient();
    browser = await launch();
    id = await completedSample(s.url, partsFor);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the plan, its totals and curve; sorts, searches, picks a part for the chart', async () => {
    const { page, ctx, errors } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    const card = page.locator('[data-testid="inventory"][data-phase="ready"]');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('h2').textContent()).toBe('Rencana stok');
    expect(await page.getByTestId('inv-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('inv-totals-all').textContent()).toContain('Semua site');
    expect(await page.getByTestId('inv-totals-site').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('inv-curve-point').count()).toBe(4);
    const header = await page.getByTestId('inv-table').locator('thead').textContent();
    expect(header).toContain('Titik pesan ulang / order-up-to');
    expect(header).toContain('Saran pesan / suggested order');

    await page.getByTestId('inv-sort-partnumber').click();
    await expect.poll(async () => (await page.getByTestId('inv-sort-partnumber').textContent()) ?? '').toContain('▲');
    await expect
      .poll(async () => {
        const parts = await partCells(page);
        return parts.length > 1 && parts.every((p, i) => i === 0 || parts[i - 1]!.localeCompare(p) <= 0);
      })
      .toBe(true);

    const first = (await partCells(page))[0]!;
    await page.getByTestId('inv-search').fill(first);
    await expect
      .poll(async () => (await partCells(page)).every((p) => p.includes(first)), { timeout: 5_000 })
      .toBe(true);

    const row = page.getByTestId('inv-row').first();
    const site = (await row.locator('td[data-col="site_code"]').textContent())!.trim();
    // The history chart loads the same part and site (the picker lists only the biggest parts).
    const charted = page.waitForResponse((r) => {
      const u = new URL(r.url());
      return (
        u.pathname.endsWith('/series') &&
        u.searchParams.get('partnumber') === first &&
        u.searchParams.get('site_code') === site
      );
    });
    await row.click();
    expect((await charted).status()).toBe(200);
    await expect.poll(() => page.getByTestId('inv-dist-key').textContent()).toBe(`${first} @ ${site}`);
    await page.getByTestId('forecast-chart').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'inventory-desktop.png'), fullPage: true });

    await page.getByTestId('lang-toggle').click();
    expect(await card.locator('h2').textContent()).toBe('Inventory plan');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  it('downloads the plan as CSV (the fixed columns) and as XLSX', async () => {
    const { page, ctx } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    await page.locator('[data-testid="inventory"][data-phase="ready"]').waitFor({ timeout: 15_000 });
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('inv-download-csv').click()]);
    const text = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '');
    const cols = text.split(/\r?\n/)[0]!.split(',');
    expect(cols).toEqual(expect.arrayContaining(PLAN_COLUMNS));
    expect(text.split(/\r?\n/).filter(Boolean).length).toBeGreaterThan(1);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('inv-download-xlsx').click()]);
    const bytes = readFileSync((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip container, not an error body
    expect(await page.getByTestId('inv-download-error').count()).toBe(0);
    await ctx.close();
  }, 60_000);

  it('fits a 375 px screen: a card per part, the page does not scroll sideways', async () => {
    const ctx = await browser.newContext({ locale: 'id-ID', viewport: { width: 375, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/#/jobs/${id}`);
    await page.locator('[data-testid="inventory"][data-phase="ready"]').waitFor({ timeout: 15_000 });
    // Runs in the page; the test's tsconfig has no DOM types, hence the narrow cast.
    type Win = { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as Win;
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    // A card per part replaces the table (issue 21 item 5; tests/e2e/inventory-decision.e2e.test.ts).
    expect(await page.getByTestId('inv-cardrow').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('inv-table').count()).toBe(0);
    await page.screenshot({ path: path.join(screenshotDir, 'inventory-375.png'), fullPage: true });
    await ctx.close();
  }, 60_000);
});
