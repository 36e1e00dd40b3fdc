/**
 * A socket lives no longer than the session that signed it in (issue 18, hole 7): when the session
 * expires, the first request that finds it so drops the session's sockets, and a socket command checks
 * the session itself, so an expired socket cannot act even before the minute's sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { bootServer, FIXTURE_WORKER, type Client, type TestServer } from '../helpers/server.js';

const TTL_MS = 1500;
let s: TestServer;

beforeAll(async () => {
  s = await bootServer({
    workerFile: FIXTURE_WORKER,
    env: { AUTH: 'on', LOGIN_PER_MINUTE: '1000', SESSION_TTL: `${TTL_MS}ms` },
  });
  await setupAdmin(s.url, s.setupUrl!);
});
afterAll(() => s.stop());

const expired = () => new Promise((r) => setTimeout(r, TTL_MS + 300));
const disconnected = (c: Client) =>
  Promise.race([
    new Promise<string>((resolve) => c.once('disconnect', resolve)),
    new Promise<string>((r) => setTimeout(() => r('still connected'), 2000)),
  ]);

async function freshSocket(): Promise<{ session: Session; c: Client }> {
  const session = await signIn(s.url, 'admin', 'admin-pass-1');
  const c = await session.socket();
  // signed in and working: a command is answered (the job does not exist)
  const ack = await c.timeout(1500).emitWithAck('job:subscribe', { id: 'nosuchjob' });
  expect(ack).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
  return { session, c };
}

describe('a socket signed in by a session that expires', () => {
  it('is dropped when a request finds the session expired', async () => {
    const { session, c } = await freshSocket();
    await expired();
    const gone = disconnected(c);
    expect((await session.json('GET', '/api/jobs')).status).toBe(401); // the page's next REST call
    expect(await gone).toBe('io server disconnect');
    c.close();
  });

  it('cannot run a command once the session has expired: it is told to sign in and dropped', async () => {
    const { c } = await freshSocket();
    await expired();
    const gone = disconnected(c);
    const ack = await c
      .timeout(1500)
      .emitWithAck('job:subscribe', { id: 'nosuchjob' })
      .catch(() => 'no answer');
    expect(ack).toEqual({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: 'Your session has ended; please sign in again.' },
    });
    expect(await gone).toBe('io server disconnect');
    c.close();
  });

  it('a new sign-in connects and works again', async () => {
    const { c } = await freshSocket();
    c.close();
  });
});
