/**
 * Issue 24's pages in a real Chromium against the real server (AUTH=on) and SQLite: a planner opens the
 * override dialog from the chart, then sets an override from the Inventory view's why panel (the reason is
 * required, the server's checks in the page's language), re-plans from the dialog, sees the badge and the
 * system's level beside the final one, finds it on the Overrides page and removes it there; a refused import
 * names its bad lines; a viewer sees the overrides without any write control. Once in Indonesian, once in
 * English. Screenshots at 1366 and 375 px in both (test-results/screenshots/overrides-*.png).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverrideListDto } from '../../server/contract/overrides.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { bootServer, type TestServer } from '../helpers/server.js';
import { buildClient, hasChromium, launch, openSignedIn, screenshotDir } from './support/browser.js';
import { SAMPLE, samplePartNumbers } from './support/sample-job.js';

const PLANNER = { username: 'rina', password: 'rina-pass-12' };
const VIEWER = { username: 'vera', password: 'vera-pass-12' };

function partsFor(sample: string): string {
  const parts = samplePartNumbers(sample);
  const lines = parts.map((p, i) => `${p},${i % 3},${(5 + (i % 40) * 2.5).toFixed(2)}`);
  return `partnumber,on_hand,unit_cost\n${lines.join('\n')}\n`;
}

async function completedAs(who: Session): Promise<string> {
  const sample = readFileSync(SAMPLE, 'utf8');
  const form = new FormData();
  form.append('file', new Blob([sample]), 'sample-demand.csv');
  form.append('parts', new Blob([partsFor(sample)]), 'parts.csv');
  const created = await who.fetch('/api/jobs', { method: 'POST', body: form });
  if (created.status !== 201) throw new Error(`POST /api/jobs answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    const { status } = (await (await who.fetch(`/api/jobs/${id}`)).json()) as { status: string };
    if (status === 'COMPLETED') return id;
    if (status === 'FAILED' || status === 'CANCELLED') throw new Error(`the sample job ended ${status}`);
  }
  throw new Error('the sample job did not complete within 120 s');
}

const ready = (page: Page) =>
  page.locator('[data-testid="inventory"][data-phase="ready"]').waitFor({ timeout: 30_000 });
const text = async (page: Page, id: string) => ((await page.getByTestId(id).textContent()) ?? '').replace(/\s+/g, ' ');
const inDialog = (page: Page, id: string) => page.locator(`dialog[open] [data-testid="${id}"]`);

describe.skipIf(!hasChromium && !process.env.CI)('Overrides pages (Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  let planner: Session;
  let id: string;

  beforeAll(async () => {
    buildClient();
    s = await bootServer({ env: { AUTH: 'on', SERVE_CLIENT: 'true' } });
    const admin = await setupAdmin(s.url, s.setupUrl!);
    for (const [u, role] of [
      [PLANNER, 'planner'],
      [VIEWER, 'viewer'],
    ] as const) {
      const r = await admin.json('POST', '/api/users', { ...u, role });
      if (r.status !== 201) throw new Error(`adding ${u.username}: ${r.status}`);
    }
    planner = await signIn(s.url, PLANNER.username, PLANNER.password);
    browser = await launch();
    id = await completedAs(planner);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  const listed = async () => (await planner.json<OverrideListDto>('GET', '/api/overrides')).body;

  /** `phone`: what stands in for `testid` under 600 px (the chosen part's card for the plan's table). */
  async function shoot(page: Page, name: string, testid: string, phone?: string) {
    for (const width of [1366, 375]) {
      await page.setViewportSize({ width, height: 900 });
      // :visible: the chart's dialog (closed) comes before the Inventory view's in the page
      const at = width < 600 && phone ? page.locator(phone) : page.locator(`[data-testid="${testid}"]:visible`);
      await at.first().screenshot({ path: path.join(screenshotDir, `${name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /** The plan row of `part` (the part numbers' buttons hold exactly the part). */
  async function rowOf(page: Page, part: string) {
    const rows = page.locator('[data-testid="inv-row"]');
    for (let i = 0; i < (await rows.count()); i++)
      if (((await rows.nth(i).locator('th button').textContent()) ?? '').trim() === part) return rows.nth(i);
    throw new Error(`no plan row of ${part}`);
  }

  /** The planner's whole trip in one language; `words` are what the page must say in it. */
  async function trip(lang: 'id' | 'en', words: { reason: RegExp; badge: RegExp; removed: string }) {
    const { page, ctx, errors } = await openSignedIn(
      browser,
      `${s.url}/#/jobs/${id}`,
      PLANNER.username,
      PLANNER.password,
    );
    if (lang === 'en') await page.getByTestId('lang-toggle').click();
    await ready(page);

    // the chart's Override… opens the same dialog for the series it shows (issue 24), a forecast per period first
    const shown = ((await page.locator('[data-testid="series-select"] option:checked').textContent()) ?? '').trim();
    const [chartPart, chartSite] = shown.split(' @ ');
    expect(await page.getByTestId('chart-override').textContent()).toBe(lang === 'id' ? 'Sesuaikan…' : 'Override…');
    await page.getByTestId('chart-override').click();
    await inDialog(page, 'ovr-value').waitFor();
    const title = (await page.locator('dialog[open] h3').textContent()) ?? '';
    expect(title).toContain(chartPart!);
    expect(title).toContain(chartSite!);
    expect(await inDialog(page, 'ovr-kind-forecast_per_period').isChecked()).toBe(true);
    expect(Number(await inDialog(page, 'ovr-value').inputValue())).toBeGreaterThanOrEqual(0);
    expect(await inDialog(page, 'ovr-value').inputValue()).not.toBe('');
    await shoot(page, `overrides-chart-dialog-${lang}`, 'ovr-dialog');
    await inDialog(page, 'ovr-close').click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    // the first row not planned with an override (an earlier trip's row keeps its badge until re-planned)
    const first = page
      .locator('[data-testid="inv-row"]')
      .filter({ hasNot: page.getByTestId('ovr-badge') })
      .first();
    const part = ((await first.locator('th button').textContent()) ?? '').trim();
    await first.locator('th button').click();
    await page.getByTestId('inv-override').click();
    await inDialog(page, 'ovr-existing-none').waitFor();

    // a fixed level without a reason: refused before sending, in the page's language
    await inDialog(page, 'ovr-kind-order_up_to').check();
    await inDialog(page, 'ovr-value').fill('37');
    await inDialog(page, 'ovr-save').click();
    expect(await inDialog(page, 'ovr-problem').textContent()).toMatch(words.reason);
    expect((await listed()).total).toBe(0);

    const reason = lang === 'id' ? 'Kontrak armada mulai Maret' : 'Fleet contract starts in March';
    await inDialog(page, 'ovr-reason').fill(reason);
    await inDialog(page, 'ovr-save').click();
    await inDialog(page, 'ovr-saved').waitFor();
    await inDialog(page, 'ovr-existing-row').waitFor();
    const set = (await listed()).overrides;
    expect(set).toHaveLength(1);
    expect(set[0]).toMatchObject({ partnumber: part, kind: 'order_up_to', value: 37, reason, created_by: 'rina' });
    await shoot(page, `overrides-dialog-${lang}`, 'ovr-dialog');

    // re-plan from the dialog: the row is planned at the fixed level, with a badge and the system's level
    await inDialog(page, 'ovr-replan').click();
    await inDialog(page, 'ovr-replanned').waitFor({ timeout: 60_000 });
    expect(await text(page, 'ovr-replanned')).toMatch(/\b1\b/);
    await inDialog(page, 'ovr-close').click();
    await page.locator('[data-testid="inv-row"] [data-testid="ovr-badge"]').first().waitFor({ timeout: 30_000 });
    const badge = (await rowOf(page, part)).getByTestId('ovr-badge');
    expect(await badge.count()).toBe(1);
    expect(await badge.getAttribute('title')).toMatch(words.badge);
    expect(await badge.getAttribute('title')).toContain(reason);
    expect(await text(page, 'inv-why-override')).toContain(reason);
    expect(await (await rowOf(page, part)).getByTestId('inv-system-out').count()).toBe(1);
    await shoot(page, `overrides-plan-${lang}`, 'inv-table-box', '[data-testid="inv-cardrow"].chosen');

    // on the Overrides page: who, the reason; removed after a confirmation
    await page.getByTestId('nav-overrides').click();
    const orow = page.getByTestId('ovr-row');
    await orow.first().waitFor();
    expect(await orow.count()).toBe(1);
    expect(await orow.first().textContent()).toContain(part);
    expect(await orow.first().textContent()).toContain('rina');
    expect(await text(page, 'ovr-reason')).toContain(reason);
    await shoot(page, `overrides-page-${lang}`, 'overrides');
    await page.getByTestId('ovr-remove').click();
    await inDialog(page, 'confirm-no').click();
    expect((await listed()).total).toBe(1);
    await page.getByTestId('ovr-remove').click();
    expect(await inDialog(page, 'confirm-subject').textContent()).toContain(part);
    await inDialog(page, 'confirm-yes').click();
    await page.getByTestId('ovr-empty').waitFor();
    expect(await text(page, 'ovr-empty')).toBe(words.removed);
    expect((await listed()).total).toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();
  }

  it('in Indonesian: sets an override with a reason, re-plans, sees the badge, removes it', async () => {
    await trip('id', {
      reason: /alasan/,
      badge: /^Disesuaikan: Level order-up-to\./,
      removed: 'Belum ada penyesuaian.',
    });
  }, 180_000);

  it('in English: the same trip, and a refused import names its bad lines', async () => {
    await trip('en', { reason: /reason/, badge: /^Overridden: Order-up-to level\./, removed: 'No overrides.' });
    const { page, ctx, errors } = await openSignedIn(
      browser,
      `${s.url}/#/overrides`,
      PLANNER.username,
      PLANNER.password,
    );
    await page.getByTestId('lang-toggle').click();
    const csv = [
      'partnumber,site_code,kind,value,reason,expires_on',
      'P5,A,order_up_to,3,good row,',
      'P6,A,order_up_to,-2,negative,',
    ];
    await page.getByTestId('ovr-import-input').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.join('\n')),
    });
    await page.getByTestId('ovr-import-error').waitFor();
    expect(await text(page, 'ovr-import-error')).toContain('nothing was imported');
    expect(await page.locator('[data-testid="ovr-import-lines"] li').allTextContents()).toEqual([
      'line 3: value must not be negative',
    ]);
    await shoot(page, 'overrides-import-en', 'overrides');
    expect((await listed()).total).toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);

  it('a viewer sees the overrides, and no control to set, import or remove one', async () => {
    const sample = readFileSync(SAMPLE, 'utf8');
    const part = samplePartNumbers(sample)[0]!;
    const set = await planner.json('POST', '/api/overrides', {
      partnumber: part,
      kind: 'service_level',
      value: 99,
      reason: 'engine-stopping part',
    });
    expect(set.status).toBe(201);
    const { page, ctx, errors } = await openSignedIn(browser, `${s.url}/#/overrides`, VIEWER.username, VIEWER.password);
    await page.getByTestId('ovr-row').first().waitFor();
    expect(await page.getByTestId('ovr-reason').allTextContents()).toContain('engine-stopping part');
    expect(await page.getByTestId('ovr-remove').count()).toBe(0);
    expect(await page.getByTestId('ovr-import').count()).toBe(0);
    await page.goto(`${s.url}/#/jobs/${id}`);
    await ready(page);
    await page.locator('[data-testid="inv-row"] th button').first().click();
    await page.getByTestId('inv-why').waitFor();
    expect(await page.getByTestId('inv-override').count()).toBe(0);
    expect(await page.getByTestId('chart-override').count()).toBe(0);
    expect(await page.getByTestId('ovr-dialog').count()).toBe(0);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);
});
