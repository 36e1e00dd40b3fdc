/**
 * Issue 21 items 5 and 6 in a real Chromium against the real server (the sample with a parts file):
 * at 1366 px the decision (what to order) is in view and its header stays put while the table scrolls;
 * the Columns menu is remembered; at 375 px a card per part shows the order; a chosen part says why
 * (the plan's reasoning, its last 12 periods, its last demands and the periods since, the chance the model
 * gives of any demand within lead time + review) - in Indonesian and in English.
 */
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { bootWithClient, hasChromium, launch, screenshotDir } from './support/browser.js';
import { completedSample, samplePartNumbers } from './support/sample-job.js';

/** Lead times, costs, stock on hand and on order for every part of the sample (some parts have to order). */
function partsFor(sample: string): string {
  const parts = samplePartNumbers(sample);
  const lines = parts.map((p, i) => `${p},${7 + (i % 5) * 7},${(5 + (i % 40) * 2.5).toFixed(2)},${i % 3},${i % 2}`);
  return `partnumber,lead_time_days,unit_cost,on_hand,on_order\n${lines.join('\n')}\n`;
}

const LANGS = [
  {
    lang: 'id',
    locale: 'id-ID',
    order: 'Saran pesan',
    why: /^Kenapa angka ini\? Lead time [\d,]+ \+ review [\d,]+ = [\d,]+ hari; perkiraan demand selama itu [\d.,]+; pada [\d,]+\s?% levelnya [\d.]+; (stok [\d.,]+ \+ dalam pesanan [\d.,]+ → (pesan [\d.]+|tidak perlu pesan)|stok di tangan tidak diketahui.*)$/,
    last: /^Demand terakhir: (\d{1,2} \S+ \d{4})(, di periode terakhir riwayat\.|; lalu [\d.]+ hari tanpa demand sampai akhir riwayat\.)$|^Tidak ada demand/,
    chance:
      /^Model memberi peluang ([<>] )?[\d,]+\s?% ada demand dalam [\d,]+ hari ke depan \(lead time \+ review\); jika ada, rata-rata [\d.,]+ unit, sehingga perkiraan demandnya [\d.,]+\. Titik pesan ulang [\d.]+ (belum )?mencukupi (satu|[\d.]+) demand seperti itu\.$|^Model tidak memperkirakan demand dalam/,
    recent: /^(\d{1,2} \S+ \d{4}): [\d.,]+$/,
    card: /^Pesan [\d.]+( · nilai [\d.,]+)?$/,
  },
  {
    lang: 'en',
    locale: 'en-GB',
    order: 'Suggested order',
    why: /^Why this number\? Lead time [\d.]+ \+ review [\d.]+ = [\d.]+ days; expected demand over them [\d.,]+; at [\d.]+\s?% the level is [\d,]+; (on hand [\d.,]+ \+ on order [\d.,]+ → (order [\d,]+|nothing to order)|stock on hand not known.*)$/,
    last: /^Last demand: (\d{1,2} \S+ \d{4})(, in the last period of the history\.|; then [\d,]+ days? without demand up to the end of the history\.)$|^No demand/,
    chance:
      /^The model gives a ([<>] )?[\d.]+\s?% chance of any demand within the next [\d.]+ days? \(lead time \+ review\); if it comes, it is [\d.,]+ units on average, so the mean is [\d.,]+\. The order-up-to level [\d,]+ covers (less than one|one|[\d,]+) such demands?\.$|^The model expects no demand within/,
    recent: /^(\d{1,2} \S+ \d{4}): [\d.,]+$/,
    card: /^Order [\d,]+( · value [\d.,]+)?$/,
  },
] as const;

/**
 * The chosen part's chance of demand within lead time + review, its last demand with the periods since, and
 * its last demands (newest first, the first the same as the last demand), in the page's language.
 */
async function expectChance(why: Locator, L: (typeof LANGS)[number]): Promise<void> {
  const words = async (id: string) => (await why.getByTestId(id).textContent())!.replace(/\s+/g, ' ').trim();
  expect(await words('inv-why-chance')).toMatch(L.chance);
  const last = L.last.exec(await words('inv-why-last'));
  expect(last).not.toBeNull();
  const items = (await why.getByTestId('inv-why-demand').allTextContents()).map((x) => x.trim());
  expect(items.length).toBeGreaterThan(0);
  expect(items.length).toBeLessThanOrEqual(5);
  for (const x of items) expect(x).toMatch(L.recent);
  expect(L.recent.exec(items[0]!)![1]).toBe(last![1]);
}

type Box = { x: number; y: number; width: number; height: number };
const box = async (page: Page, sel: string): Promise<Box> => (await page.locator(sel).first().boundingBox())!;

describe.skipIf(!hasChromium && !process.env.CI)('Inventory: the decision first, and why (issue 21 items 5, 6)', () => {
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

  async function open(locale: string, width: number, height: number) {
    const ctx = await browser.newContext({ locale, timezoneId: 'Asia/Jakarta', viewport: { width, height } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.url}/#/jobs/${id}`);
    await page.locator('[data-testid="inventory"][data-phase="ready"]').waitFor({ timeout: 15_000 });
    return { ctx, page, errors };
  }

  for (const L of LANGS) {
    it(`${L.lang}, 1366 px: the order column is in view and its header sticks; a chosen part says why`, async () => {
      const { ctx, page, errors } = await open(L.locale, 1366, 900);
      await page.getByTestId('inv-row').first().waitFor();
      // the box the table scrolls in
      const scroller = page.getByTestId('inv-table').locator('xpath=..');
      await scroller.scrollIntoViewIfNeeded();
      const head = '[data-testid="inv-table"] thead th:has([data-testid="inv-sort-suggested_order"])';
      expect(await page.locator(head).textContent()).toContain(L.order);
      const frame = (await scroller.boundingBox())!;
      let h = await box(page, head);
      // within the table's box and the screen: nothing to scroll sideways to see the decision
      expect(h.x + h.width).toBeLessThanOrEqual(frame.x + frame.width);
      expect(h.x + h.width).toBeLessThanOrEqual(1366);
      // the box is bounded: its bottom edge (where a horizontal scrollbar would sit) fits the screen
      expect(frame.height).toBeLessThanOrEqual(900);

      // scroll the rows: the header stays at the box's top and is what is drawn there
      await scroller.evaluate((el) => {
        el.scrollTop = 400;
      });
      await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
      h = await box(page, head);
      const now = (await scroller.boundingBox())!;
      expect(h.y).toBeGreaterThanOrEqual(now.y - 1);
      expect(h.y).toBeLessThan(now.y + 5);
      expect(h.y).toBeGreaterThanOrEqual(0);
      const onTop = await page.evaluate(
        ([x, y]) => {
          type Doc = { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null };
          const hit = (globalThis as unknown as { document: Doc }).document.elementFromPoint(x!, y!);
          return !!hit?.closest('th:has([data-testid="inv-sort-suggested_order"])');
        },
        [h.x + h.width / 2, h.y + h.height / 2],
      );
      expect(onTop).toBe(true);
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
      });

      // choose the first part that orders something: its reasoning and its last 12 periods
      await page.getByTestId('inv-to-order').check();
      await expect
        .poll(() => page.locator('[data-testid="inv-row"] td[data-col="suggested_order"]').first().textContent())
        .toMatch(/^[1-9]/);
      await page.getByTestId('inv-row').first().click();
      const why = page.getByTestId('inv-why');
      await expect.poll(() => why.getByTestId('inv-why-period').count(), { timeout: 10_000 }).toBe(12);
      const reason = (await why.getByTestId('inv-why-reason').textContent())!.replace(/\s+/g, ' ').trim();
      expect(reason).toMatch(L.why);
      expect(reason).not.toMatch(/stock on hand not known|tidak diketahui/); // this part has stock on hand
      await expectChance(why, L);
      await why.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir, `inventory-decision-1366-${L.lang}.png`) });
      expect(errors).toEqual([]);
      await ctx.close();
    }, 120_000);

    it(`${L.lang}, 375 px: a card per part with its order; a chosen card shows its last 12 periods`, async () => {
      const { ctx, page, errors } = await open(L.locale, 375, 800);
      await page.getByTestId('inv-cardrow').first().waitFor();
      expect(await page.getByTestId('inv-table').count()).toBe(0);
      type Win = { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      const overflow = await page.evaluate(() => {
        const w = globalThis as unknown as Win;
        return w.document.documentElement.scrollWidth - w.innerWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByTestId('inv-to-order').check();
      const first = page.getByTestId('inv-cardrow').first();
      await expect.poll(async () => (await first.getByTestId('inv-card-order').textContent())!.trim()).toMatch(L.card);
      expect((await first.getByTestId('inv-card-reason').textContent())!.trim()).toMatch(/→/);
      await first.getByRole('button').first().click();
      await expect.poll(() => first.getByTestId('inv-why-period').count(), { timeout: 10_000 }).toBe(12);
      await expectChance(first.getByTestId('inv-why'), L);
      await page.getByTestId('inv-cards').scrollIntoViewIfNeeded();
      await first.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir, `inventory-decision-375-${L.lang}.png`) });
      expect(errors).toEqual([]);
      await ctx.close();
    }, 120_000);
  }

  it('remembers the Columns menu across visits', async () => {
    const { ctx, page } = await open('en-GB', 1366, 900);
    await page.getByTestId('inv-row').first().waitFor();
    const cost = page.locator('[data-testid="inv-table"] thead th[data-col="unit_cost"]');
    expect(await cost.count()).toBe(0);
    await page.getByTestId('inv-columns').locator('summary').click();
    await page.getByTestId('inv-col-unit_cost').check();
    await page.getByTestId('inv-col-stock_value').uncheck();
    await cost.waitFor();
    await page.reload();
    await page.getByTestId('inv-row').first().waitFor();
    expect(await cost.count()).toBe(1);
    expect(await page.locator('[data-testid="inv-table"] thead th[data-col="stock_value"]').count()).toBe(0);
    await ctx.close();
  }, 60_000);
});
