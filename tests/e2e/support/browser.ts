/**
 * Debian's Chromium driven by playwright-core, plus a real server serving the built client.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { bootServer, type TestServer } from '../../helpers/server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const root = path.resolve(import.meta.dirname, '../../..');

/** Builds the client once per run unless SPARECAST_E2E_NO_BUILD is set (then dist/client must exist). */
export function buildClient(): void {
  if (process.env.SPARECAST_E2E_NO_BUILD && existsSync(path.join(root, 'dist/client/index.html'))) return;
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

export async function bootWithClient(): Promise<TestServer> {
  buildClient();
  return bootServer({ env: { SERVE_CLIENT: 'true' } });
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser profile in Indonesian on the Jakarta clock, with page errors surfaced. */
export async function openPage(browser: Browser, url: string): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ locale: 'id-ID', timezoneId: 'Asia/Jakarta', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
  return { ctx, page, errors };
}

/** The id of the job shown in the dashboard's "current job" card. */
export async function currentJobId(page: Page): Promise<string> {
  const badge = page.locator('[data-testid="current-job"] [data-testid^="status-badge-"]');
  await badge.waitFor({ timeout: 15_000 });
  return (await badge.getAttribute('data-testid'))!.replace('status-badge-', '');
}

/** Current progress (0–100) of the dashboard's live progress bar. */
export async function liveProgress(page: Page): Promise<number> {
  const v = await page.getByTestId('live-progress').getAttribute('aria-valuenow');
  return Number(v ?? 0);
}

export const screenshotDir = path.join(root, 'test-results', 'screenshots');
