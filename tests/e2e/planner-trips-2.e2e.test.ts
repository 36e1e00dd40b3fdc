/**
 * Issue 21 items 7, 11, 12 in a real Chromium (Indonesian): the live job card comes into view when a job
 * starts, at a laptop's and a phone's size; jobs can be told apart (a name, the settings, the re-plan mark).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootWithClient, buildClient, hasChromium, launch, openSignedIn } from './support/browser.js';
import type { JobDto } from '../../server/contract/dto.js';
import { bootServer, type TestServer } from '../helpers/server.js';
import { setupAdmin } from '../helpers/auth.js';

const DEMAND = [
  'date,partnumber,site_code,demand_qty',
  ...Array.from({ length: 90 }, (_, d) => {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
    return [`${date},P${d % 3},S1,${1 + (d % 4)}`];
  }).flat(),
].join('\n');

async function openAt(browser: Browser, url: string, width: number, height: number) {
  const ctx = await browser.newContext({
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    viewport: { width, height },
    // both ways of scrolling: at once (reduced motion asked for) on the laptop, smoothly on the phone
    reducedMotion: width < 500 ? 'no-preference' : 'reduce',
    ...(width < 500 ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
  return { ctx, page };
}

/** The top of the element, relative to the viewport. */
const topOf = (page: Page, testid: string) => page.getByTestId(testid).evaluate((el) => el.getBoundingClientRect().top);

describe.skipIf(!hasChromium && !process.env.CI)('what a planner trips over (2), in Chromium', () => {
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

  for (const [width, height] of [
    [1366, 900],
    [375, 800],
  ] as const) {
    it(`item 7: at ${width}×${height}, Jalankan Forecast brings the live job card into view`, async () => {
      const { page, ctx } = await openAt(browser, `${s.url}/#/`, width, height);
      await page.getByTestId('file-input').setInputFiles({
        name: 'permintaan.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(DEMAND),
      });
      await page.getByTestId('preview').waitFor({ timeout: 30_000 });
      const run = page.getByTestId('run-button');
      await expect.poll(() => run.isEnabled(), { timeout: 10_000 }).toBe(true);
      // a person scrolls just far enough to see the button
      await run.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      // the card starts at the bottom edge: its progress bar would be below the fold
      expect(await topOf(page, 'current-job')).toBeGreaterThan(height - 100);
      await run.click();
      await page.locator('[data-testid="current-job"] [data-testid="live-status"]').waitFor({ timeout: 15_000 });
      await expect
        .poll(
          async () => {
            const top = await topOf(page, 'current-job');
            const bar = await page
              .getByTestId('live-progress')
              .evaluate((el) => [el.getBoundingClientRect().top, el.getBoundingClientRect().bottom]);
            return top >= 0 && bar[0] >= 0 && bar[1] <= height;
          },
          { timeout: 5_000 },
        )
        .toBe(true);
      await ctx.close();
    }, 90_000);
  }

  /** Uploads DEMAND as carparts.csv (with a name when given) and waits for it to complete. */
  async function completed(name?: string): Promise<JobDto> {
    const form = new FormData();
    form.append('file', new Blob([DEMAND]), 'carparts.csv');
    form.append('config', JSON.stringify({ forecast_horizon: 14 }));
    if (name) form.append('name', name);
    const created = (await (await fetch(`${s.url}/api/jobs`, { method: 'POST', body: form })).json()) as JobDto;
    let job = created;
    await expect
      .poll(async () => (job = (await (await fetch(`${s.url}/api/jobs/${created.id}`)).json()) as JobDto).status, {
        timeout: 60_000,
      })
      .toBe('COMPLETED');
    return job;
  }

  it('item 11: History shows the name over the file name and marks the re-planned job; the job page its settings', async () => {
    const plain = await completed();
    const named = await completed('Rencana Q3');
    const replanned = await fetch(`${s.url}/api/jobs/${named.id}/inventory/plan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service_level: 0.99 }),
    });
    expect(replanned.status).toBe(200);

    const { page, ctx } = await openAt(browser, `${s.url}/#/history`, 1366, 900);
    const link = page.getByTestId(`job-link-${named.id}`);
    await link.waitFor({ timeout: 15_000 });
    expect(await link.textContent()).toBe('Rencana Q3');
    expect(await page.getByTestId(`job-file-${named.id}`).textContent()).toBe('carparts.csv');
    expect((await page.getByTestId(`replanned-${named.id}`).textContent())?.trim()).toBe('dihitung ulang di 99%');
    expect(await page.getByTestId(`job-link-${plain.id}`).textContent()).toBe('carparts.csv');
    expect(await page.getByTestId(`job-file-${plain.id}`).count()).toBe(0);
    expect(await page.getByTestId(`replanned-${plain.id}`).count()).toBe(0);

    await link.click();
    await page.getByTestId('job-title').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('job-title').textContent()).toBe('Rencana Q3');
    expect(await page.getByTestId('job-filename').textContent()).toBe('carparts.csv');
    expect(await page.getByTestId('job-replanned').textContent()).toContain('99%');
    const cell = async (id: string) => (await page.getByTestId(id).textContent())?.trim();
    expect(await cell('job-cfg-file')).toBe('carparts.csv');
    expect(await cell('job-cfg-parts')).toContain('Tidak ada');
    expect(await cell('job-cfg-frequency')).toBe('harian (terdeteksi)');
    expect(await cell('job-cfg-service-level')).toBe('99%');
    expect(await cell('job-cfg-lead-time')).toBe('30');
    expect(await cell('job-cfg-review')).toBe('1');
    expect(await cell('job-cfg-range')).toBe('1 Jan 2024 – 30 Mar 2024');

    // renamed on its page: a name too long cannot be saved; a good one shows at once
    await page.getByTestId('rename-button').click();
    const input = page.getByTestId('rename-input');
    expect(await input.inputValue()).toBe('Rencana Q3');
    await input.fill('x'.repeat(101));
    expect(await page.getByTestId('rename-save').isDisabled()).toBe(true);
    await input.fill('Rencana Q3 final');
    await page.getByTestId('rename-save').click();
    await expect.poll(() => page.getByTestId('job-title').textContent(), { timeout: 5_000 }).toBe('Rencana Q3 final');
    // the server's push can bring the new title before the PATCH's own answer closes the form
    await expect.poll(() => page.getByTestId('rename-form').count(), { timeout: 5_000 }).toBe(0);
    const stored = (await (await fetch(`${s.url}/api/jobs/${named.id}`)).json()) as JobDto;
    expect(stored.name).toBe('Rencana Q3 final');
    await ctx.close();
  }, 150_000);

  it('item 12a: monthly tick labels keep apart; the legend shows figures before any hover', async () => {
    const lines = ['date,partnumber,site_code,demand_qty'];
    for (let m = 0; m < 96; m++) {
      const date = new Date(Date.UTC(1998, m, 1)).toISOString().slice(0, 10);
      lines.push(`${date},P1,S1,${10 + (m % 7)}`, `${date},P2,S1,${3 + (m % 3)}`);
    }
    const form = new FormData();
    form.append('file', new Blob([lines.join('\n')]), 'bulanan.csv');
    form.append('config', JSON.stringify({ forecast_horizon: 12 }));
    const { id } = (await (await fetch(`${s.url}/api/jobs`, { method: 'POST', body: form })).json()) as JobDto;
    await expect
      .poll(async () => ((await (await fetch(`${s.url}/api/jobs/${id}`)).json()) as JobDto).status, {
        timeout: 60_000,
      })
      .toBe('COMPLETED');

    for (const [width, height] of [
      [1366, 900],
      [375, 800],
    ] as const) {
      const ctx = await browser.newContext({
        locale: 'id-ID',
        timezoneId: 'Asia/Jakarta',
        viewport: { width, height },
      });
      // every text uPlot draws on its canvas, with where and how wide
      await ctx.addInitScript(() => {
        interface Ctx2D {
          measureText(t: string): { width: number };
        }
        type Fill = (this: Ctx2D, text: string, x: number, y: number, max?: number) => void;
        const g = globalThis as unknown as {
          __texts: { text: string; x: number; y: number; w: number }[];
          CanvasRenderingContext2D: { prototype: { fillText: Fill } };
        };
        g.__texts = [];
        const proto = g.CanvasRenderingContext2D.prototype;
        const fill = proto.fillText;
        proto.fillText = function (text, x, y, max) {
          g.__texts.push({ text, x, y, w: this.measureText(text).width });
          return max === undefined ? fill.call(this, text, x, y) : fill.call(this, text, x, y, max);
        };
      });
      const page = await ctx.newPage();
      await page.goto(`${s.url}/#/jobs/${id}`);
      await page.locator('[data-testid="forecast-chart"] canvas').waitFor({ timeout: 20_000 });
      await page.waitForTimeout(300);
      const texts = await page.evaluate(
        () => (globalThis as unknown as { __texts: { text: string; x: number; y: number; w: number }[] }).__texts,
      );
      const ticks = texts.filter((t) => /^[A-Za-z]{3} \d{4}$/.test(t.text));
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      // the last drawing of the axis (uPlot may draw it more than once, each time left to right)
      const from = ticks.findLastIndex((t, i) => i > 0 && t.x <= ticks[i - 1]!.x);
      const sorted = ticks.slice(Math.max(0, from));
      expect(sorted.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < sorted.length; i++)
        expect(
          sorted[i]!.x - sorted[i - 1]!.x,
          `${width}px: ${sorted[i - 1]!.text} → ${sorted[i]!.text}`,
        ).toBeGreaterThan((sorted[i]!.w + sorted[i - 1]!.w) / 2 + 4);

      const values = (await page.locator('[data-testid="forecast-chart"] .u-legend .u-value').allTextContents()).map(
        (v) => v.trim(),
      );
      expect(values.length).toBe(5);
      expect(values).not.toContain('--');
      expect(values[0]).toMatch(/\d{4}/); // the period's date
      expect(values[2]).toMatch(/^\d/); // the forecast there
      await ctx.close();
    }
  }, 120_000);
});

describe.skipIf(!hasChromium && !process.env.CI)('the Admin page (AUTH=on), in Chromium', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    buildClient();
    s = await bootServer({ env: { AUTH: 'on', SERVE_CLIENT: 'true' } });
    browser = await launch();
    await setupAdmin(s.url, s.setupUrl!, 'admin', 'admin-pass-1');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('item 12c: a user just added shows in the Audit card at once', async () => {
    const { page, ctx } = await openSignedIn(browser, `${s.url}/#/admin`, 'admin', 'admin-pass-1');
    await page.getByTestId('audit-card').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="audit-row"]').first().waitFor({ timeout: 15_000 });
    const added = page.locator('[data-testid="audit-row"][data-action="user.add"]');
    expect(await added.count()).toBe(0);
    await page.getByTestId('user-add-username').fill('budi');
    await page.getByTestId('user-add-password').fill('budi-pass-1');
    await page.getByTestId('user-add-submit').click();
    await page.getByTestId('user-row-budi').waitFor({ timeout: 10_000 });
    await expect.poll(() => added.count(), { timeout: 5_000 }).toBe(1);
    expect(await added.textContent()).toContain('budi');
    await ctx.close();
  }, 90_000);
});
