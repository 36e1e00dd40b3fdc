/**
 * Plan modes and the frontier in the Inventory view, in a real Chromium against the real server: the sample
 * with a unit cost for every part. The frontier chart (one service level for all next to the allocation,
 * the plan's point) and its sentence in Indonesian and English; the plan-mode controls refuse a bad budget
 * and target with the server's checks in the page's language, and a budget re-plan says what it bought.
 * Screenshots at 1366 and 375 px in both languages (test-results/screenshots/frontier-*.png).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { bootWithClient, hasChromium, launch, openPage, screenshotDir } from './support/browser.js';
import { completedSample, samplePartNumbers } from './support/sample-job.js';

function partsFor(sample: string): string {
  const parts = samplePartNumbers(sample);
  const lines = parts.map((p, i) => `${p},${(2 + ((i * 37) % 90) * 3.5).toFixed(2)}`);
  return `partnumber,unit_cost\n${lines.join('\n')}\n`;
}

const ready = (page: Page) =>
  page.locator('[data-testid="inventory"][data-phase="ready"]').waitFor({ timeout: 30_000 });
const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? '';
const points = async (page: Page, id: string) =>
  ((await page.getByTestId(id).getAttribute('points')) ?? '').trim().split(/\s+/).length;

describe.skipIf(!hasChromium && !process.env.CI)('Plan modes and the frontier (Chromium)', () => {
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

  it('draws the frontier with its sentence, in Indonesian and English, at 1366 and 375 px', async () => {
    const { page, ctx, errors } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    await ready(page);
    const chart = page.getByTestId('inv-frontier');
    await chart.waitFor({ timeout: 30_000 });
    expect(await points(page, 'inv-frontier-allocation')).toBeGreaterThanOrEqual(20);
    expect(await points(page, 'inv-frontier-uniform')).toBe(9);
    expect(await page.getByTestId('inv-frontier-plan').count()).toBe(1);
    expect(await text(page, 'inv-frontier-same')).toMatch(
      /^Dengan uang yang sama seperti 95% untuk semua: fill rate [\d,]+%, bukan [\d,]+%\.$/,
    );
    for (const width of [1366, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await chart.screenshot({ path: path.join(screenshotDir, `frontier-id-${width}.png`) });
      await page
        .getByTestId('inv-replan')
        .screenshot({ path: path.join(screenshotDir, `frontier-form-id-${width}.png`) });
    }
    await page.getByTestId('lang-toggle').click();
    expect(await text(page, 'inv-frontier-same')).toMatch(
      /^For the same money as a uniform 95%: fill rate [\d.]+% instead of [\d.]+%\.$/,
    );
    for (const width of [1366, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await chart.screenshot({ path: path.join(screenshotDir, `frontier-en-${width}.png`) });
      await page
        .getByTestId('inv-replan')
        .screenshot({ path: path.join(screenshotDir, `frontier-form-en-${width}.png`) });
    }
    // the allocation's fill rate at the uniform plan's money is the higher of the two
    const [, better, uniform] = [...(await text(page, 'inv-frontier-same')).matchAll(/([\d.]+)%/g)].map((m) =>
      Number(m[1]),
    );
    expect(better).toBeGreaterThanOrEqual(uniform);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 90_000);

  it('refuses a bad budget and target in the page’s language, then re-plans to a budget', async () => {
    const { page, ctx, errors } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    await ready(page);
    await page.getByTestId('replan-mode').selectOption('budget');
    expect(await text(page, 'replan-problem')).toBe('Anggaran stok harus berupa jumlah uang yang positif.');
    expect(await page.getByTestId('replan-submit').isDisabled()).toBe(true);
    await page.getByTestId('replan-mode').selectOption('fill_rate');
    await page.getByTestId('replan-fill').fill('40');
    expect(await text(page, 'replan-problem')).toBe('Target fill rate harus antara 50 dan 99,9 %.');
    await page.getByTestId('lang-toggle').click();
    expect(await text(page, 'replan-problem')).toBe('The target fill rate must be between 50 and 99.9 %.');
    await page.getByTestId('replan-mode').selectOption('budget');
    expect(await text(page, 'replan-problem')).toBe('The stock budget must be a positive amount of money.');
    await page.getByTestId('replan-budget').fill('2000');
    expect(await page.getByTestId('replan-problem').count()).toBe(0);
    await page.getByTestId('replan-submit').click();
    await page.getByTestId('replan-done').waitFor({ timeout: 30_000 });
    expect(await text(page, 'replan-done')).toMatch(
      /^Plan re-made within a budget of .*2,000\.00 in .* s: expected fill rate/,
    );
    // the plan's point is the budget plan's, within the budget, on the allocation's curve
    await expect
      .poll(async () => (await page.getByTestId('inv-frontier-plan').locator('title').textContent()) ?? '')
      .toMatch(/^This plan: Stock value /);
    const sum = (await (await fetch(`${s.url}/api/jobs/${id}/inventory/summary`)).json()) as {
      plan_mode: string;
      plan_point: { stock_value: number };
    };
    expect(sum.plan_mode).toBe('budget');
    expect(sum.plan_point.stock_value).toBeLessThanOrEqual(2000);
    expect(await page.getByTestId('replan-mode').inputValue()).toBe('budget');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 90_000);
});
