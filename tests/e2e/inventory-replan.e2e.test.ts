/**
 * Re-planning from the Inventory view in a real Chromium against the real server: the sample with a parts
 * file of costs, re-planned at 99 %; the target and the totals change on this page and, through the
 * job:replanned push, on a second page of the same job; a bad lead time is refused in the page's language.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { bootWithClient, hasChromium, launch, openPage, screenshotDir } from './support/browser.js';
import { completedSample, samplePartNumbers } from './support/sample-job.js';

/** Every part of the sample with a unit cost (so stock values move) and a lead time of its own for some. */
function partsFor(sample: string): string {
  const parts = samplePartNumbers(sample);
  const lines = parts.map((p, i) => `${p},${i % 4 === 0 ? 14 : ''},${(5 + (i % 40) * 2.5).toFixed(2)}`);
  return `partnumber,lead_time_days,unit_cost\n${lines.join('\n')}\n`;
}

const ready = (page: Page) =>
  page.locator('[data-testid="inventory"][data-phase="ready"]').waitFor({ timeout: 15_000 });
const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? '';

describe.skipIf(!hasChromium && !process.env.CI)('Re-plan in the Inventory view (Chromium)', () => {
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

  it('re-plans at 99 %: the target and totals change here and on another open page', async () => {
    const a = await openPage(browser, `${s.url}/#/jobs/${id}`);
    const b = await openPage(browser, `${s.url}/#/jobs/${id}`);
    await Promise.all([ready(a.page), ready(b.page)]);
    expect(await text(a.page, 'inv-target')).toContain('95');
    expect(await a.page.getByTestId('inv-replan').locator('h3').textContent()).toBe('Hitung ulang rencana');
    const before = await text(a.page, 'inv-totals-all');
    const curve = await b.page.getByTestId('inv-curve-point').allTextContents();

    await a.page.getByTestId('replan-level').selectOption('0.99');
    await a.page.getByTestId('replan-submit').click();
    await a.page.getByTestId('replan-done').waitFor({ timeout: 15_000 });
    expect(await text(a.page, 'replan-done')).toMatch(/Rencana dibuat ulang pada 99/);
    await expect.poll(() => text(a.page, 'inv-target')).toContain('99');
    await expect.poll(() => text(a.page, 'inv-totals-all')).not.toBe(before);
    // the other page hears of it over its socket, and shows the new plan without a reload
    await expect.poll(() => text(b.page, 'inv-target'), { timeout: 10_000 }).toContain('99');
    await expect.poll(() => text(b.page, 'inv-totals-all')).toBe(await text(a.page, 'inv-totals-all'));
    // the service-vs-stock curve is the plan's own quantiles: the same at any target
    expect(await b.page.getByTestId('inv-curve-point').allTextContents()).toEqual(curve);
    expect(await b.page.getByTestId('replan-level').inputValue()).toBe('0.99');
    await a.page.getByTestId('inv-replan').screenshot({ path: path.join(screenshotDir, 'inventory-replan.png') });
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.ctx.close();
    await b.ctx.close();
  }, 90_000);

  it('refuses a negative lead time in the page’s language, in English too', async () => {
    const { page, ctx, errors } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    await ready(page);
    await page.getByTestId('replan-lead').fill('-5');
    expect(await text(page, 'replan-problem')).toBe('Lead time harus berupa jumlah hari dari 0 sampai 3650.');
    expect(await page.getByTestId('replan-submit').isDisabled()).toBe(true);
    await page.getByTestId('lang-toggle').click();
    expect(await text(page, 'replan-problem')).toBe('Lead time must be a number of days from 0 to 3650.');
    await page.getByTestId('replan-lead').fill('21');
    expect(await page.getByTestId('replan-problem').count()).toBe(0);
    expect(await page.getByTestId('replan-submit').isDisabled()).toBe(false);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 60_000);
});
