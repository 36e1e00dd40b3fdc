/**
 * Issue 7 in a real Chromium against a real server with AUTH=on: the console's setup link creates the
 * admin, who adds a planner and a viewer in the admin page; the scenarios of issue 4 still work signed
 * in; each role sees only its buttons; file names are text; ending a session drops the live connection.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_HEADER } from '../../server/forecast/index.js';
import { demandFile } from '../helpers/data.js';
import { bootServer, filesIn, type TestServer } from '../helpers/server.js';
import {
  buildClient,
  currentJobId,
  hasChromium,
  launch,
  liveProgress,
  newTab,
  openSignedIn,
  screenshotDir,
  signInOn,
  type Tab,
} from './support/browser.js';

const SAMPLE = path.resolve(import.meta.dirname, '../../server/assets/sample-demand.csv');
const XSS_NAME = '<img src=x onerror="window.__xss=1">.csv';
const PASSWORD = { admin: 'admin-pass-1', planner: 'planner-pass-1', viewer: 'viewer-pass-1' } as const;

describe.skipIf(!hasChromium && !process.env.CI)('signed in (AUTH=on) in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let big: string;
  let admin: Tab; // the admin's browser: History, then the admin page
  let planner: Tab; // the planner's dashboard
  let plannerHist: Page; // a second tab of the planner (same session) on History
  let viewer: Tab;

  beforeAll(async () => {
    big = await demandFile(10);
    buildClient();
    s = await bootServer({ env: { AUTH: 'on', SERVE_CLIENT: 'true' } });
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  const connected = (p: Page) =>
    p.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
  const badgeWith = (p: Page, id: string, status: string) =>
    p.locator(`[data-testid="status-badge-${id}"][data-status="${status}"]`);

  const tab = (url: string) => newTab(browser, url);

  async function uploadAndRun(
    p: Page,
    file: string | { name: string; mimeType: string; buffer: Buffer },
  ): Promise<string> {
    await p.getByTestId('file-input').setInputFiles(file);
    await p.getByTestId('preview').waitFor({ timeout: 60_000 });
    const run = p.getByTestId('run-button');
    await expect.poll(() => run.isEnabled(), { timeout: 15_000 }).toBe(true);
    const badge = p.locator('[data-testid="current-job"] [data-testid^="status-badge-"]');
    const before = (await badge.count()) ? await badge.getAttribute('data-testid') : null;
    await run.click();
    // The card shows the previous job until the new one is created.
    await expect
      .poll(async () => ((await badge.count()) ? await badge.getAttribute('data-testid') : null), { timeout: 30_000 })
      .not.toBe(before);
    return currentJobId(p);
  }

  /** A same-origin fetch from inside the page (the browser adds Origin and the cookie). */
  const pageFetch = (p: Page, url: string, method = 'GET') =>
    p.evaluate(
      async ([u, m]) => {
        const r = await fetch(u!, {
          method: m,
          headers: { 'content-type': 'application/json' },
          body: m === 'GET' ? undefined : '{}',
        });
        return { status: r.status, body: r.status === 204 ? null : ((await r.json()) as { id?: string }) };
      },
      [url, method],
    );

  it('the console’s setup link creates the first admin; every page asks to sign in first', async () => {
    const stranger = await tab(`${s.url}/#/history`);
    const p = stranger.page;
    await p.getByTestId('signin-form').waitFor({ timeout: 15_000 });
    expect(new URL(p.url()).hash).toBe(`#/signin?next=${encodeURIComponent('#/history')}`);
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Masuk');
    expect((await p.getByTestId('signin-submit').textContent())?.trim()).toBe('Masuk');
    expect(await p.getByTestId('setup-pending').isVisible()).toBe(true);
    expect(await p.getByTestId('nav-history').count()).toBe(0);
    expect(await p.getByTestId('connection').count()).toBe(0);
    expect(stranger.sockets).toEqual([]); // no live connection without a session
    await p.getByTestId('lang-toggle').click();
    expect((await p.getByTestId('signin-submit').textContent())?.trim()).toBe('Sign in');
    await p.getByTestId('lang-toggle').click();
    await stranger.ctx.close();

    expect(s.setupUrl).toMatch(/\/#\/setup\?token=/);
    admin = await tab(s.setupUrl!);
    const a = admin.page;
    await a.getByTestId('setup-form').waitFor({ timeout: 15_000 });
    await a.getByTestId('setup-username').fill('admin');
    await a.getByTestId('setup-password').fill(PASSWORD.admin);
    await a.getByTestId('setup-repeat').fill(PASSWORD.admin);
    await a.getByTestId('setup-submit').click();
    // Issue 13 item 9: the next step is the sample on the dashboard, which points to Admin for users.
    await a.getByTestId('setup-done-hint').waitFor({ timeout: 15_000 });
    expect(new URL(a.url()).hash).toBe('#/');
    expect(await a.getByTestId('sample-button').isVisible()).toBe(true);
    expect(await a.getByTestId('setup-done-hint').textContent()).toContain('Pengguna dikelola di halaman');
    await a.getByTestId('setup-admin-link').click();
    await a.getByTestId('users-card').waitFor({ timeout: 15_000 });
    expect(new URL(a.url()).hash).toBe('#/admin');
    expect(await a.getByTestId('user-name').textContent()).toBe('admin');
    expect(await a.getByTestId('user-role').textContent()).toBe('Admin');
    expect(await a.getByTestId('sign-out').textContent()).toBe('Keluar');
    await connected(a);
  }, 120_000);

  it('the admin adds a planner and a viewer in the admin page; a wrong password is refused', async () => {
    const a = admin.page;
    for (const [name, role] of [
      ['planner', 'planner'],
      ['viewer', 'viewer'],
    ] as const) {
      await a.getByTestId('user-add-username').fill(name);
      await a.getByTestId('user-add-password').fill(PASSWORD[name]);
      await a.getByTestId('user-add-role').selectOption(role);
      await a.getByTestId('user-add-submit').click();
      await a.getByTestId(`user-row-${name}`).waitFor({ timeout: 10_000 });
      expect(await a.getByTestId(`user-role-${name}`).inputValue()).toBe(role);
    }
    expect(await a.getByTestId('users-notice').textContent()).toContain('viewer');

    const wrong = await tab(`${s.url}/#/`);
    await signInOn(wrong.page, 'planner', 'not-the-password');
    await wrong.page.getByTestId('signin-error').waitFor({ timeout: 10_000 });
    expect(await wrong.page.getByTestId('signin-error').textContent()).toContain('Nama pengguna atau kata sandi salah');
    expect(await wrong.page.getByTestId('signin-form').isVisible()).toBe(true);
    await wrong.page.screenshot({ path: path.join(screenshotDir, 'signin-page.png'), fullPage: true });
    await wrong.ctx.close();
  }, 120_000);

  it('scenario 1 signed in: the planner stops at ~15 %; both pages show CANCELLED “Dihentikan oleh planner” within 2 s', async () => {
    planner = await openSignedIn(browser, `${s.url}/#/`, 'planner', PASSWORD.planner);
    const d = planner.page;
    expect(await d.getByTestId('user-role').textContent()).toBe('Planner');
    expect(await d.getByTestId('nav-admin').count()).toBe(0);
    await admin.page.goto(`${s.url}/#/history`);
    const h = admin.page;
    await h.getByTestId('history-table').waitFor({ timeout: 15_000 });
    await connected(h);

    const id = await uploadAndRun(d, big);
    await h.getByTestId(`history-row-${id}`).waitFor({ timeout: 10_000 });
    expect(await h.getByTestId(`created-by-${id}`).textContent()).toBe('planner');
    await expect.poll(() => liveProgress(d), { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(15);
    await d.getByTestId('stop-button').click();
    await expect
      .poll(() => d.getByRole('dialog').textContent())
      .toContain('Job akan dihentikan dan tidak bisa dilanjutkan. Yakin?');
    const t0 = Date.now();
    await d.getByTestId('confirm-yes').click();
    await Promise.all([
      badgeWith(d, id, 'CANCELLED').waitFor({ timeout: 2_000 }),
      badgeWith(h, id, 'CANCELLED').waitFor({ timeout: 2_000 }),
      d
        .locator('[data-testid="current-job"] [data-testid="job-error"]', { hasText: 'Dihentikan oleh planner' })
        .waitFor({ timeout: 2_000 }),
      h.locator(`[data-testid="job-error-${id}"]`, { hasText: 'Dihentikan oleh planner' }).waitFor({ timeout: 2_000 }),
    ]);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await d.getByTestId('stop-button').count()).toBe(0);
    expect(await h.getByTestId(`action-stop-${id}`).count()).toBe(0);
  }, 240_000);

  it('scenario 2 signed in: the admin force-deletes the planner’s running job from History', async () => {
    const d = planner.page;
    const h = admin.page;
    const before = new Set(filesIn(s.storage, 'uploads'));
    const id = await uploadAndRun(d, big);
    const mine = filesIn(s.storage, 'uploads').filter((f) => !before.has(f));
    expect(mine.length).toBeGreaterThan(0);
    await badgeWith(h, id, 'PROCESSING').waitFor({ timeout: 60_000 });
    await h.getByTestId(`action-force-delete-${id}`).click();
    await expect
      .poll(() => h.getByRole('dialog').textContent())
      .toContain('Job masih running! Akan di-STOP dan HAPUS permanen. Yakin?');
    await h.getByTestId('confirm-yes').click();
    await h.getByTestId(`history-row-${id}`).waitFor({ state: 'detached', timeout: 2_000 });
    await d.getByTestId('job-deleted-notice').waitFor({ timeout: 2_000 });
    await expect
      .poll(() => filesIn(s.storage, 'uploads').filter((f) => mine.includes(f)), { timeout: 10_000 })
      .toEqual([]);
    expect((await pageFetch(h, `/api/jobs/${id}`)).status).toBe(404);
  }, 240_000);

  it('scenario 3 signed in: complete, download (header), delete own job; not someone else’s', async () => {
    const d = planner.page;
    const h = admin.page;
    await d.getByTestId('reset-button').click();
    const id = await uploadAndRun(d, SAMPLE);
    await badgeWith(d, id, 'COMPLETED').waitFor({ timeout: 180_000 });
    await d.getByTestId('metrics-card').waitFor({ timeout: 10_000 });
    await badgeWith(h, id, 'COMPLETED').waitFor({ timeout: 5_000 });
    const [download] = await Promise.all([d.waitForEvent('download'), d.getByTestId('download-button').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    expect(csv.split(/\r?\n/)[0]).toBe(OUTPUT_HEADER);

    // A job the admin started: the planner may stop it but not delete it.
    const theirs = await pageFetch(h, '/api/sample', 'POST');
    expect(theirs.status).toBe(201);
    const theirsId = theirs.body!.id!;
    plannerHist = await planner.ctx.newPage();
    plannerHist.on('pageerror', (e) => planner.errors.push(e.message));
    await plannerHist.goto(`${s.url}/#/history`);
    await connected(plannerHist);
    await badgeWith(plannerHist, theirsId, 'COMPLETED').waitFor({ timeout: 120_000 });
    expect(await plannerHist.getByTestId(`action-download-${theirsId}`).isEnabled()).toBe(true);
    expect(await plannerHist.getByTestId(`action-delete-${theirsId}`).count()).toBe(0);
    expect(await plannerHist.getByTestId(`select-${theirsId}`).isDisabled()).toBe(true);
    expect(await plannerHist.getByTestId(`select-${id}`).isEnabled()).toBe(true);

    await plannerHist.getByTestId(`action-delete-${id}`).click();
    await expect
      .poll(() => plannerHist.getByRole('dialog').textContent())
      .toContain('File dan data akan dihapus permanen');
    await plannerHist.getByTestId('confirm-yes').click();
    await plannerHist.getByTestId(`history-row-${id}`).waitFor({ state: 'detached', timeout: 2_000 });
    await h.getByTestId(`history-row-${id}`).waitFor({ state: 'detached', timeout: 2_000 });
    await d.getByTestId('job-deleted-notice').waitFor({ timeout: 2_000 });
  }, 300_000);

  it('a viewer sees jobs but no upload, Stop or Delete buttons', async () => {
    await planner.page.getByTestId('reset-button').click();
    const running = await uploadAndRun(planner.page, big);
    viewer = await openSignedIn(browser, `${s.url}/#/history`, 'viewer', PASSWORD.viewer);
    const v = viewer.page;
    expect(await v.getByTestId('user-role').textContent()).toBe('Viewer');
    await v.getByTestId(`history-row-${running}`).waitFor({ timeout: 10_000 });
    await expect
      .poll(() => v.getByTestId(`status-badge-${running}`).getAttribute('data-status'), { timeout: 60_000 })
      .toMatch(/QUEUED|PROCESSING/);
    expect(await v.getByTestId(`action-download-${running}`).isDisabled()).toBe(true);
    expect(await v.locator('[data-testid^="history-row-"]').count()).toBeGreaterThanOrEqual(2);
    expect(
      await v
        .locator(
          '[data-testid^="action-stop-"], [data-testid^="action-delete-"], [data-testid^="action-force-delete-"]',
        )
        .count(),
    ).toBe(0);
    expect(await v.getByTestId('bulk-delete').count()).toBe(0);
    expect(await v.locator('[data-testid^="select-"]:enabled').count()).toBe(0);

    await v.getByTestId(`job-link-${running}`).click();
    await v.getByTestId('job-title').waitFor({ timeout: 10_000 });
    expect(await v.getByTestId('stop-button').count()).toBe(0);
    expect(await v.getByTestId('rerun-button').count()).toBe(0);
    expect(await v.getByTestId('job-created-by').textContent()).toBe('planner');

    await v.getByTestId('nav-dashboard').click();
    await v.getByTestId('readonly-notice').waitFor({ timeout: 10_000 });
    for (const tid of ['drop-zone', 'file-input', 'sample-button', 'run-button', 'stop-button'])
      expect(await v.getByTestId(tid).count(), tid).toBe(0);
    expect(await v.getByTestId('nav-admin').count()).toBe(0);

    expect((await pageFetch(admin.page, `/api/jobs/${running}?force=true`, 'DELETE')).status).toBe(204);
  }, 240_000);

  it('a file named like HTML renders as literal text everywhere; no script runs', async () => {
    const d = planner.page;
    await d.getByTestId('reset-button').click();
    const id = await uploadAndRun(d, { name: XSS_NAME, mimeType: 'text/csv', buffer: readFileSync(SAMPLE) });
    expect(await d.locator('[data-testid="current-job"] .file').textContent()).toBe(XSS_NAME);
    await viewer.page.getByTestId('nav-history').click();
    for (const p of [admin.page, viewer.page, plannerHist]) {
      const link = p.getByTestId(`job-link-${id}`);
      await link.waitFor({ timeout: 10_000 });
      expect(await link.textContent()).toBe(XSS_NAME);
      expect(await p.locator('[data-testid="history-table"] img').count()).toBe(0);
    }
    await viewer.page.getByTestId(`job-link-${id}`).click();
    await viewer.page.getByTestId('job-title').waitFor({ timeout: 10_000 });
    expect(await viewer.page.getByTestId('job-title').textContent()).toBe(XSS_NAME);
    await badgeWith(d, id, 'COMPLETED').waitFor({ timeout: 180_000 });
    await admin.page.goto(`${s.url}/#/admin`);
    await admin.page.getByTestId('audit-job').fill(id);
    await admin.page.getByTestId('audit-apply').click();
    await expect.poll(() => admin.page.locator('[data-testid="audit-row"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await admin.page.locator('[data-testid="audit-row"] .detail').textContent()).toBe(XSS_NAME);
    // The upload came from the planner's browser session (the page is in Indonesian).
    expect(await admin.page.locator('[data-testid="audit-via"]').textContent()).toBe('Sesi browser');
    for (const p of [admin.page, viewer.page, plannerHist, d]) {
      expect(await p.locator('img').count()).toBe(0);
      expect(await p.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    }
    await admin.page.getByTestId('audit-clear').click();
  }, 300_000);

  it('the admin page lists users and filters the audit log (by user, action), paged', async () => {
    const a = admin.page;
    if (!new URL(a.url()).hash.startsWith('#/admin')) await a.goto(`${s.url}/#/admin`);
    await a.getByTestId('audit-card').waitFor({ timeout: 10_000 });
    await expect
      .poll(async () => Number(((await a.getByTestId('audit-total').textContent()) ?? '').replace(/\D/g, '')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(10);
    await a.getByTestId('audit-user').fill('planner');
    await a.getByTestId('audit-action').selectOption('job.stop');
    await a.getByTestId('audit-apply').click();
    await expect.poll(() => a.locator('[data-testid="audit-row"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await a.locator('[data-testid="audit-row"]').getAttribute('data-action')).toBe('job.stop');
    // the action in the page's words (Indonesian here), its code kept as the cell's title
    const words = a.locator('[data-testid="audit-row"] [data-testid="audit-action-words"]');
    expect(await words.textContent()).toBe('Job dihentikan');
    expect(await words.getAttribute('title')).toBe('job.stop');
    expect(await a.getByTestId('audit-action').locator('option[value="job.stop"]').textContent()).toBe(
      'Job dihentikan',
    );
    await a.getByTestId('audit-action').selectOption('job.');
    await a.getByTestId('audit-apply').click();
    await expect
      .poll(
        async () =>
          (
            await a
              .locator('[data-testid="audit-row"]')
              .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))
          ).sort(),
        { timeout: 10_000 },
      )
      .toEqual(expect.arrayContaining(['job.delete', 'job.stop', 'job.upload']));
    // Download CSV: the whole trail under the filters in force (here every job action), as text cells.
    const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('audit-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^sparecast-audit-[\d-]+\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\n');
    expect(csv[0]).toBe('id,at,username,action,job_id,detail,ip');
    expect(csv.length).toBeGreaterThan(3);
    expect(csv.slice(1).every((line) => line.split(',')[3].startsWith('job.'))).toBe(true);
    await a.getByTestId('audit-clear').click();
    await expect.poll(() => a.locator('[data-testid="audit-row"]').count(), { timeout: 10_000 }).toBeGreaterThan(10);
    expect(await a.getByTestId('audit-page').textContent()).toMatch(/^Halaman 1 dari \d+$/);
    await a.screenshot({ path: path.join(screenshotDir, 'admin-page.png'), fullPage: true });
  }, 120_000);

  it('My API tokens: create (shown once), use from a script, revoke', async () => {
    const d = planner.page;
    await d.getByTestId('user-account').click();
    await d.getByTestId('tokens-card').waitFor({ timeout: 10_000 });
    await d.getByTestId('token-name').fill('nightly <script>');
    await d.getByTestId('token-create').click();
    const secret = (await d.getByTestId('token-secret').textContent({ timeout: 10_000 }))!.trim();
    expect(secret).toMatch(/^sct_/);
    const withToken = (p: string) => fetch(`${s.url}${p}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await withToken('/api/jobs')).status).toBe(200);
    const row = d.locator('[data-testid^="token-row-"]', { hasText: 'nightly <script>' });
    await row.waitFor({ timeout: 10_000 });
    await d.screenshot({ path: path.join(screenshotDir, 'account-tokens.png'), fullPage: true });
    await d.getByTestId('token-dismiss').click();
    expect(await d.getByTestId('token-secret').count()).toBe(0); // never shown again
    await row.locator('[data-testid^="token-revoke-"]').click();
    await expect.poll(() => d.getByRole('dialog').textContent()).toContain('nightly <script>');
    await d.getByTestId('confirm-yes').click();
    await expect.poll(() => row.getAttribute('data-revoked'), { timeout: 10_000 }).toBe('true');
    expect((await withToken('/api/jobs')).status).toBe(401);
    await d.getByTestId('nav-dashboard').click();
    await d.getByTestId('current-job').waitFor({ timeout: 10_000 });
  }, 60_000);

  it('removing a user drops their live connection: they land on the sign-in page', async () => {
    const a = admin.page;
    await a.getByTestId('user-remove-viewer').click();
    await expect.poll(() => a.getByRole('dialog').textContent()).toContain('viewer');
    await a.getByTestId('confirm-yes').click();
    await a.getByTestId('user-row-viewer').waitFor({ state: 'detached', timeout: 10_000 });
    await viewer.page.getByTestId('signin-form').waitFor({ timeout: 15_000 });
    expect(await viewer.page.getByTestId('session-expired').isVisible()).toBe(true);
    await expect.poll(() => viewer.sockets.every((ws) => ws.isClosed()), { timeout: 10_000 }).toBe(true);
  }, 60_000);

  it('signing out drops the live connection and returns to the sign-in page; signing in comes back', async () => {
    const d = planner.page;
    await expect.poll(() => planner.sockets.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await d.getByTestId('sign-out').click();
    await d.getByTestId('signin-form').waitFor({ timeout: 15_000 });
    expect(new URL(d.url()).hash).toBe('#/signin');
    expect(await d.getByTestId('connection').count()).toBe(0);
    await expect.poll(() => planner.sockets.every((ws) => ws.isClosed()), { timeout: 10_000 }).toBe(true);
    // The planner's other tab had the same session: the server dropped its socket too.
    await plannerHist.getByTestId('signin-form').waitFor({ timeout: 15_000 });
    expect(new URL(plannerHist.url()).hash).toBe(`#/signin?next=${encodeURIComponent('#/history')}`);
    expect((await pageFetch(d, '/api/jobs')).status).toBe(401);

    await signInOn(plannerHist, 'planner', PASSWORD.planner);
    await plannerHist.waitForURL((u) => u.hash === '#/history', { timeout: 15_000 });
    await connected(plannerHist);
    await plannerHist.getByTestId('history-table').waitFor({ timeout: 10_000 });

    for (const t of [admin, planner, viewer]) expect(t.errors, 'page errors').toEqual([]);
    for (const t of [admin, planner, viewer]) await t.ctx.close();
  }, 120_000);
});
