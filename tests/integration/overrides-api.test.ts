/**
 * Overrides over REST on the real server and SQLite, signed in: viewers read, planners and admins write (a
 * viewer's write is 403), a missing reason or a negative value is a 400 with its own code worded in both
 * languages, a second override of the same part, site and kind replaces the first, expired ones are listed
 * only on request, and every change is in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryDto } from '../../server/contract/auth.js';
import type { OverrideDto, OverrideListDto, OverrideSetDto } from '../../server/contract/overrides.js';
import { translate } from '../../client/src/lib/i18n/translate.js';
import { isMessageKey } from '../../client/src/lib/i18n/translate.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { bootServer, type TestServer } from '../helpers/server.js';

type Err = { error: { code: string; message: string } };

let s: TestServer;
let admin: Session;
let planner: Session;
let viewer: Session;

beforeAll(async () => {
  s = await bootServer({ env: { AUTH: 'on' } });
  admin = await setupAdmin(s.url, s.setupUrl!);
  for (const [username, role] of [
    ['viewer1', 'viewer'],
    ['planner1', 'planner'],
  ])
    expect((await admin.json('POST', '/api/users', { username, password: `${username}-pass-1`, role })).status).toBe(
      201,
    );
  viewer = await signIn(s.url, 'viewer1', 'viewer1-pass-1');
  planner = await signIn(s.url, 'planner1', 'planner1-pass-1');
}, 60_000);
afterAll(() => s?.stop());

const good = {
  partnumber: 'P1',
  site_code: 'A',
  kind: 'forecast_per_period',
  value: 4,
  reason: 'fleet contract in March',
};

/** The words a page shows for an error code, in both languages (the code must have its own). */
function words(code: string): { en: string; id: string } {
  const key = `err.${code}`;
  expect(isMessageKey(key), key).toBe(true);
  if (!isMessageKey(key)) throw new Error(key);
  return { en: translate('en', key), id: translate('id', key) };
}

describe('overrides API', () => {
  it('refuses a missing or short reason and a negative value with their codes, worded in id and en', async () => {
    const noReason = await planner.json<Err>('POST', '/api/overrides', { ...good, reason: undefined });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('OVERRIDE_REASON');
    expect(noReason.body.error.message).toMatch(/reason/);
    const w = words('OVERRIDE_REASON');
    expect(w.en).toMatch(/reason/);
    expect(w.id).toMatch(/alasan/);
    const short = await planner.json<Err>('POST', '/api/overrides', { ...good, reason: '  x ' });
    expect(short.body.error.code).toBe('OVERRIDE_REASON');
    const long = await planner.json<Err>('POST', '/api/overrides', { ...good, reason: 'x'.repeat(501) });
    expect(long.body.error.code).toBe('OVERRIDE_REASON');

    for (const value of [-1, '-0.5', 'abc', null]) {
      const neg = await planner.json<Err>('POST', '/api/overrides', { ...good, value });
      expect(neg.status, String(value)).toBe(400);
      expect(neg.body.error.code).toBe('OVERRIDE_VALUE');
    }
    const v = words('OVERRIDE_VALUE');
    expect(v.en).toMatch(/value/);
    expect(v.id).toMatch(/[Nn]ilai/);
    // per kind: a level is whole, a service level is a share (or a percentage) like the job config's
    const bad = [
      { kind: 'order_up_to', value: 2.5 },
      { kind: 'service_level', value: 1.2 },
      { kind: 'service_level', value: 0.3 },
      { kind: 'service_level', value: 100 },
    ];
    for (const b of bad)
      expect((await planner.json<Err>('POST', '/api/overrides', { ...good, ...b })).body.error.code).toBe(
        'OVERRIDE_VALUE',
      );
    const other = [
      { kind: 'price' },
      { oops: 1 },
      { partnumber: ' ' },
      { expires_on: '2001-01-01' },
      { expires_on: '31/02/2030' },
    ];
    for (const o of other) {
      const r = await planner.json<Err>('POST', '/api/overrides', { ...good, ...o });
      expect(r.status, JSON.stringify(o)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect((await admin.json<OverrideListDto>('GET', '/api/overrides')).body.total).toBe(0);
  });

  it('lets viewers read and refuses their changes (403); planners and admins write', async () => {
    const denied = await viewer.json<Err>('POST', '/api/overrides', good);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    const set = await planner.json<OverrideSetDto>('POST', '/api/overrides', good);
    expect(set.status).toBe(201);
    expect(set.body.override).toMatchObject({ ...good, created_by: 'planner1', expires_on: null, in_force: true });
    expect(set.body.replaced).toBeNull();
    const sl = await admin.json<OverrideSetDto>('POST', '/api/overrides', {
      partnumber: 'P2',
      kind: 'service_level',
      value: 99,
      reason: 'stops an engine',
      expires_on: '2099-12-31',
    });
    expect(sl.status).toBe(201);
    // a percentage is read as a share; a blank site is every site
    expect(sl.body.override).toMatchObject({ value: 0.99, site_code: null, expires_on: '2099-12-31' });
    const seen = await viewer.json<OverrideListDto>('GET', '/api/overrides');
    expect(seen.status).toBe(200);
    expect(seen.body.overrides.map((o) => [o.partnumber, o.kind])).toEqual([
      ['P1', 'forecast_per_period'],
      ['P2', 'service_level'],
    ]);
    const del = await viewer.json<Err>('DELETE', `/api/overrides/${sl.body.override.id}`);
    expect(del.status).toBe(403);
    expect((await admin.json<OverrideListDto>('GET', '/api/overrides')).body.total).toBe(2);
  });

  it('replaces an override of the same part, site and kind, and says which', async () => {
    const again = await admin.json<OverrideSetDto>('POST', '/api/overrides', {
      ...good,
      value: 6,
      reason: 'contract doubled',
    });
    expect(again.status).toBe(201);
    expect(again.body.replaced).toMatchObject({ value: 4, reason: good.reason, created_by: 'planner1' });
    expect(again.body.override).toMatchObject({ value: 6, created_by: 'admin' });
    const list = await viewer.json<OverrideListDto>('GET', '/api/overrides?part=P1');
    expect(list.body.overrides).toHaveLength(1);
    expect(list.body.overrides[0].value).toBe(6);
    // another site or kind is another override
    await planner.json('POST', '/api/overrides', { ...good, site_code: 'B' });
    await planner.json('POST', '/api/overrides', { ...good, kind: 'order_up_to', value: 12 });
    const p1 = await viewer.json<OverrideListDto>('GET', '/api/overrides?part=P1');
    expect(p1.body.total).toBe(3);
    const ups = await viewer.json<OverrideListDto>('GET', '/api/overrides?kind=order_up_to');
    expect(ups.body.overrides.map((o) => o.value)).toEqual([12]);
    const atB = await viewer.json<OverrideListDto>('GET', '/api/overrides?site=B');
    expect(atB.body.overrides.map((o) => o.site_code)).toEqual(['B']);
    expect((await viewer.json<Err>('GET', '/api/overrides?kind=price')).status).toBe(400);
  });

  it('lists an expired override only on request, and applies it nowhere', async () => {
    await s.db.Override.create({
      partnumber: 'OLD',
      site_code: '',
      kind: 'order_up_to',
      value: 3,
      reason: 'last year’s campaign',
      expires_on: '2020-01-31',
      created_by: null,
      created_by_name: 'someone',
      created_at: '2020-01-01T00:00:00.000Z',
    });
    const now = await viewer.json<OverrideListDto>('GET', '/api/overrides?part=OLD');
    expect(now.body.total).toBe(0);
    const all = await viewer.json<OverrideListDto>('GET', '/api/overrides?part=OLD&include_expired=true');
    expect(all.body.overrides).toEqual([expect.objectContaining({ partnumber: 'OLD', in_force: false })]);
  });

  it('removes an override (404 once gone) and audits every change', async () => {
    const list = await viewer.json<OverrideListDto>('GET', '/api/overrides?part=P1&kind=order_up_to');
    const o: OverrideDto = list.body.overrides[0];
    const del = await planner.json<OverrideDto>('DELETE', `/api/overrides/${o.id}`);
    expect(del.status).toBe(200);
    expect(del.body.id).toBe(o.id);
    const gone = await planner.json<Err>('DELETE', `/api/overrides/${o.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('OVERRIDE_NOT_FOUND');
    expect((await planner.json<Err>('DELETE', '/api/overrides/abc')).status).toBe(404);

    const audit = await admin.json<{ entries: AuditEntryDto[] }>('GET', '/api/audit?action=override.');
    const entries = audit.body.entries.reverse();
    expect(entries.map((e) => [e.action, e.username])).toEqual([
      ['override.set', 'planner1'],
      ['override.set', 'admin'],
      ['override.set', 'admin'],
      ['override.set', 'planner1'],
      ['override.set', 'planner1'],
      ['override.remove', 'planner1'],
    ]);
    expect(entries[2].detail).toMatch(/forecast_per_period P1 @ A = 6 \(replaces 4\): contract doubled/);
    expect(entries[5].detail).toMatch(/order_up_to P1 @ A = 12/);
    // refused writes leave no trace but the refusal
    expect(entries.every((e) => e.username !== 'viewer1')).toBe(true);
  });
});
