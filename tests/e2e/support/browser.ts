/**
 * Debian's Chromium driven by playwright-core, plus a real server serving the built client.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocket } from 'playwright-core';
import { bootServer, type TestServer } from '../../helpers/server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const root = path.resolve(import.meta.dirname, '../../..');

/** Builds the client once per run unless SPARECAST_E2E_NO_BUILD is set (then dist/client must exist). */
export function buildClient(): void {
  if (process.env.SPARECAST_E2E_NO_BUILD && existsSync(path.join(root, 'dist/client/index.html'))) return;
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'client/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

export async function bootWithClient(): Promise<TestServer> {
  buildClient();
  return bootServer({ env: { SERVE_CLIENT: 'true' } });
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Tab {
  ctx: BrowserContext;
  page: Page;
  errors: string[];
  sockets: WebSocket[];
}

/** A fresh browser profile in Indonesian on the Jakarta clock, at `url`, with page errors and websockets recorded. */
export async function newTab(browser: Browser, url: string): Promise<Tab> {
  const ctx = await browser.newContext({
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  const sockets: WebSocket[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('websocket', (ws) => sockets.push(ws));
  await page.goto(url);
  return { ctx, page, errors, sockets };
}

/** newTab, then wait for the live connection. */
export async function openPage(browser: Browser, url: string): Promise<Tab> {
  const tab = await newTab(browser, url);
  await tab.page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
  return tab;
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

/** A fresh profile (as openPage) that signs in through the sign-in page it is sent to, and comes back to `url`. */
export async function openSignedIn(browser: Browser, url: string, username: string, password: string): Promise<Tab> {
  const tab = await newTab(browser, url);
  await signInOn(tab.page, username, password);
  await tab.page.waitForURL((u) => u.href === url || u.hash === new URL(url).hash, { timeout: 15_000 });
  await tab.page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
  return tab;
}

/** Fills and submits the sign-in form shown on `page`. */
export async function signInOn(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('signin-form').waitFor({ timeout: 15_000 });
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}
