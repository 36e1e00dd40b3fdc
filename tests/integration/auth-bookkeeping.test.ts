/**
 * A request signed with an API token records the token's last use as it goes; that write failing (a full
 * disk) must neither fail the request nor crash the process (issue 18, hole 6: it was a floating promise).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, type Session } from '../helpers/auth.js';
import { bootServer, FIXTURE_WORKER, type TestServer } from '../helpers/server.js';

let s: TestServer;
let admin: Session;
const unhandled: unknown[] = [];
const record = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  s = await bootServer({ workerFile: FIXTURE_WORKER, env: { AUTH: 'on', LOGIN_PER_MINUTE: '1000' } });
  admin = await setupAdmin(s.url, s.setupUrl!);
  process.on('unhandledRejection', record);
});
afterEach(async () => {
  await s.db.sequelize.query('DROP TRIGGER IF EXISTS no_room');
});
afterAll(async () => {
  process.off('unhandledRejection', record);
  await s.stop();
});

describe('token bookkeeping', () => {
  it('a request with an API token still answers when recording its use fails, and the process lives on', async () => {
    const t = await admin.json<{ id: string; token: string }>('POST', '/api/tokens', { name: 'script' });
    expect(t.status).toBe(201);
    // The database refuses to record the use, as a full disk would.
    await s.db.sequelize.query(
      "CREATE TRIGGER no_room BEFORE UPDATE OF last_used_at ON api_tokens BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    );
    const get = () => fetch(`${s.url}/api/jobs`, { headers: { authorization: `Bearer ${t.body.token}` } });
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200)); // the failed writes have settled
    expect(unhandled).toEqual([]);
    expect((await admin.json('GET', '/api/auth/me')).status).toBe(200);
    const list = await admin.json<{ tokens: { id: string; last_used_at: string | null }[] }>('GET', '/api/tokens');
    expect(list.body.tokens.find((x) => x.id === t.body.id)?.last_used_at).toBeNull(); // it really was refused

    // Room again: the use is recorded.
    await s.db.sequelize.query('DROP TRIGGER no_room');
    expect((await get()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const after = await admin.json<{ tokens: { id: string; last_used_at: string | null }[] }>('GET', '/api/tokens');
    expect(after.body.tokens.find((x) => x.id === t.body.id)?.last_used_at).not.toBeNull();
  });
});
