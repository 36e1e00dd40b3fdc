/**
 * The job page's Actuals view in a real Chromium against the real server and SQLite: a carparts job (its
 * history to March 2001, its parts file) gets the real file of the later twelve months through the page's
 * drop zone. A file with nothing after the history is refused in the page's language; the real one brings the
 * summary cards, accuracy next to its baselines, promised vs achieved service, the by-site table and the
 * exceptions; History marks the job; Remove (confirmed) brings the empty state back. Once in Indonesian, once
 * in English. Screenshots at 1366 and 375 px in both (test-results/screenshots/tracking-*.png).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingDto } from '../../server/contract/tracking.js';
import type { TestServer } from '../helpers/server.js';
import { bootWithClient, hasChromium, launch, openPage, screenshotDir } from './support/browser.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tracking');
const TRAIN = path.join(FIXTURES, 'carparts-train.csv');
const TEST = path.join(FIXTURES, 'carparts-test.csv');
const PARTS = path.join(FIXTURES, 'carparts-parts.csv');

async function completedCarparts(url: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const form = new FormData();
  form.append('file', new Blob([await readFile(TRAIN)]), 'carparts-train.csv');
  form.append('parts', new Blob([await readFile(PARTS)]), 'carparts-parts.csv');
  form.append('config', JSON.stringify({ forecast_horizon: 12 }));
  const created = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
  if (created.status !== 201) throw new Error(`POST /api/jobs answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    const { status } = (await (await fetch(`${url}/api/jobs/${id}`)).json()) as { status: string };
    if (status === 'COMPLETED') return id;
    if (status === 'FAILED' || status === 'CANCELLED') throw new Error(`the carparts job ended ${status}`);
  }
  throw new Error('the carparts job did not complete within 120 s');
}

const phase = (page: Page, p: string) =>
  page.locator(`[data-testid="tracking"][data-phase="${p}"]`).waitFor({ timeout: 30_000 });
const text = async (page: Page, id: string) => ((await page.getByTestId(id).textContent()) ?? '').trim();
// the page has other confirmation dialogs (Stop): the open one is ours
const inDialog = (page: Page, id: string) => page.locator(`dialog[open] [data-testid="${id}"]`);

describe.skipIf(!hasChromium && !process.env.CI)('The Actuals view (Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    s = await bootWithClient();
    browser = await launch();
    id = await completedCarparts(s.url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  const tracking = async () => (await (await fetch(`${s.url}/api/jobs/${id}/tracking`)).json()) as TrackingDto;

  async function shoot(page: Page, lang: string) {
    for (const width of [1366, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page
        .getByTestId('tracking')
        .screenshot({ path: path.join(screenshotDir, `tracking-${lang}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /**
   * The chart of the chosen series draws its actuals (issue 23): a sixth legend entry in the page's language
   * whose idle value (the first forecast period) is the server's actual for that part and site (exact match:
   * the search by part number may list other parts holding it).
   */
  async function chartShowsActual(page: Page, word: string, lang: string) {
    // the series with the most demand in the first period after the origin, picked in the chart's search
    const all = (await (await fetch(`${s.url}/api/jobs/${id}/tracking/rows?page_size=500`)).json()) as {
      rows: { partnumber: string; site_code: string; actual: number[] }[];
    };
    const row = all.rows.reduce((a, b) => (b.actual[0]! > a.actual[0]! ? b : a));
    expect(row.actual[0]).toBeGreaterThan(0);
    await page.getByTestId('series-search').fill(row.partnumber);
    const option = `${row.partnumber} @ ${row.site_code}`;
    await page.locator('[data-testid="series-select"] option', { hasText: option }).waitFor({ timeout: 15_000 });
    await page.getByTestId('series-select').selectOption({ label: option });
    // the chart redraws when the series comes, then again with its actuals
    const legend = page.locator('[data-testid="forecast-chart"] .u-legend');
    const sixth = async () => {
      const labels = (await legend.locator('.u-label').allTextContents()).map((l) => l.trim());
      const value = labels.length === 6 ? await legend.locator('.u-value').nth(5).textContent() : null;
      return `${labels.length} ${labels[5]} ${Number((value ?? '').trim().replace(',', '.'))}`;
    };
    await expect.poll(sixth, { timeout: 30_000 }).toBe(`6 ${word} ${row.actual[0]}`);
    for (const width of [1366, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page
        .locator('section:has([data-testid="forecast-chart"])')
        .screenshot({ path: path.join(screenshotDir, `tracking-chart-${lang}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('in Indonesian: refuses a file without later months, tracks the real one, marks History, removes it', async () => {
    const { page, ctx, errors } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    const rowsAsked: string[] = [];
    page.on('request', (r) => r.url().includes('/tracking/rows') && rowsAsked.push(r.url()));
    await phase(page, 'none');
    expect(await text(page, 'trk-empty')).toContain('Belum ada realisasi untuk job ini.');
    // no actuals: the chart draws none and does not ask for them
    await page.locator('[data-testid="forecast-chart"] .u-legend').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('forecast-chart').getAttribute('data-actual')).toBe('no');
    expect(rowsAsked).toEqual([]);
    expect(await page.getByTestId('trk-remove').count()).toBe(0);

    // the history itself: nothing after the origin, refused in Indonesian
    await page.getByTestId('trk-drop-input').setInputFiles(TRAIN);
    await page.getByTestId('trk-send-error').waitFor({ timeout: 30_000 });
    expect(await text(page, 'trk-send-error')).toMatch(
      /^carparts-train\.csv tidak dipakai: File realisasi tidak berisi permintaan setelah riwayat job ini/,
    );
    expect((await tracking()).state).toBe('none');
    await shoot(page, 'empty-id');

    await page.getByTestId('trk-drop-input').setInputFiles(TEST);
    await phase(page, 'ready');
    expect(await page.getByTestId('trk-send-error').count()).toBe(0);
    const t = await tracking();
    if (t.state !== 'ready') throw new Error('no tracking on the server');
    expect(await text(page, 'trk-source')).toContain('carparts-test.csv');
    expect(await text(page, 'trk-periods')).toContain('12 dari 12');
    expect(await text(page, 'trk-series')).toContain(`${t.series.scored} dinilai dari ${t.series.total}`);
    // RMSSE as the server has it, Indonesian decimals
    expect(await text(page, 'trk-acc-rmsse-job')).toContain(t.accuracy.rmsse!.toFixed(2).replace('.', ','));
    expect(await text(page, 'trk-acc-rmsse-naive')).toContain(t.accuracy.naive.rmsse!.toFixed(2).replace('.', ','));
    const achieved = `${(t.service.achieved_cycle_service! * 100).toFixed(1).replace('.', ',')}%`;
    expect(await text(page, 'trk-service-cycle-achieved')).toBe(achieved.replace(',0%', '%'));
    const sites = page.getByTestId('trk-by-site-row');
    expect(await sites.count()).toBe(1);
    expect(await sites.first().locator('th').textContent()).toBe('CARPARTS');
    expect(await text(page, 'trk-exc-DEMAND_ABOVE_PLAN')).toMatch(
      new RegExp(`^${t.exceptions.DEMAND_ABOVE_PLAN}\\s*Permintaan di atas rencana`),
    );
    // no English left in the Indonesian view (the planners' loan words forecast, fill rate, bias stay)
    expect(await page.getByTestId('tracking').innerText()).not.toMatch(
      /\b(naive|promised|achieved|source|periods|series|remove|actuals?|scored|attention|drifting|site with)\b/i,
    );
    await shoot(page, 'id');
    await chartShowsActual(page, 'Realisasi', 'id');

    // History marks the tracked job
    await page.goto(`${s.url}/#/history`);
    await page.getByTestId(`tracked-${id}`).waitFor({ timeout: 15_000 });
    expect(await text(page, `tracked-${id}`)).toBe('ada realisasi');
    for (const width of [1366, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page
        .getByTestId(`history-row-${id}`)
        .screenshot({ path: path.join(screenshotDir, `tracking-history-id-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId(`job-link-${id}`).click();
    await phase(page, 'ready');

    // Remove, after the confirmation (Cancel first leaves everything as it was)
    await page.getByTestId('trk-remove').click();
    expect(await inDialog(page, 'confirm-subject').textContent()).toContain('carparts-test.csv');
    await inDialog(page, 'confirm-no').click();
    expect((await tracking()).state).toBe('ready');
    await page.getByTestId('trk-remove').click();
    await inDialog(page, 'confirm-yes').click();
    await phase(page, 'none');
    expect((await tracking()).state).toBe('none');
    // the actual line goes with the actuals
    await page.locator('[data-testid="forecast-chart"][data-actual="no"]').waitFor({ timeout: 15_000 });
    await page.goto(`${s.url}/#/history`);
    await page.getByTestId(`job-link-${id}`).waitFor({ timeout: 15_000 });
    // History shows the list it kept, then the server's: the mark goes
    await expect.poll(() => page.getByTestId(`tracked-${id}`).count(), { timeout: 15_000 }).toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  it('in English: tracks the real file, shows the cards and the by-site table, removes it', async () => {
    await fetch(`${s.url}/api/jobs/${id}/actuals`, { method: 'DELETE' }); // whatever the test before left
    const { page, ctx, errors } = await openPage(browser, `${s.url}/#/jobs/${id}`);
    await page.getByTestId('lang-toggle').click();
    await phase(page, 'none');
    expect(await text(page, 'trk-empty')).toContain('No actuals yet for this job.');
    await page.getByTestId('trk-drop-input').setInputFiles(TRAIN);
    await page.getByTestId('trk-send-error').waitFor({ timeout: 30_000 });
    expect(await text(page, 'trk-send-error')).toMatch(
      /^carparts-train\.csv was not used: The actuals file has no demand dated after this job's history/,
    );
    await shoot(page, 'empty-en');
    await page.getByTestId('trk-drop-input').setInputFiles(TEST);
    await phase(page, 'ready');
    const t = await tracking();
    if (t.state !== 'ready') throw new Error('no tracking on the server');
    expect(await text(page, 'trk-periods')).toContain('12 of 12');
    expect(await text(page, 'trk-series')).toContain(`${t.series.scored} scored of ${t.series.total}`);
    expect(await text(page, 'trk-acc-rmsse-job')).toContain(t.accuracy.rmsse!.toFixed(2));
    expect(await page.getByTestId('trk-by-site-row').count()).toBe(1);
    expect(await text(page, 'trk-exc-BIAS_DRIFT')).toMatch(
      new RegExp(`^${t.exceptions.BIAS_DRIFT}\\s*Forecast drifting`),
    );
    await shoot(page, 'en');
    await chartShowsActual(page, 'Actual', 'en');
    await page.getByTestId('trk-remove').click();
    await inDialog(page, 'confirm-yes').click();
    await phase(page, 'none');
    expect((await tracking()).state).toBe('none');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);
});
