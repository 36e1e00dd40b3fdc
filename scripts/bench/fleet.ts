/**
 * A fleet of socket.io clients in their own process, so that what they cost (memory, CPU, event loop)
 * is not counted against the server they watch. Driven over IPC by responsiveness.ts and clients.ts;
 * not meant to be run by hand.
 *
 *   fork(fleet.ts, ['--url', URL, '--clients', N, '--job', ID])
 *
 * parent → fleet: { type: 'arm' }  → fleet: { type: 'armed' }, then { type: 'all', spreadMs } once every
 *                                    client has received a job:updated for the job since arming
 *                 { type: 'stats' } → fleet: { type: 'stats', progress: number[], updated: number[] }
 *                 { type: 'close' } → disconnects and exits
 * fleet → parent: { type: 'ready', connectMs, fdLimit } | { type: 'error', message }
 */
import { parseArgs } from 'node:util';
import type { JobDto } from '../../server/contract/dto.js';
import type { FromFleet, ToFleet } from './fleet-protocol.js';
import { connectClients, fdLimit, subscribe } from './lib.js';

const send = (m: FromFleet) => process.send?.(m);

try {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      clients: { type: 'string' },
      job: { type: 'string' },
      batch: { type: 'string', default: '100' },
    },
  });
  const { url } = values;
  const n = Number(values.clients);
  if (!url || !(n > 0)) throw new Error('fleet needs --url and --clients');
  const t0 = performance.now();
  const clients = await connectClients(url, n, Number(values.batch));
  const connectMs = performance.now() - t0;
  let job = values.job ?? '';
  const subscribeAll = async () => {
    for (let i = 0; i < clients.length; i += 100)
      await Promise.all(clients.slice(i, i + 100).map((c) => subscribe(c, job)));
  };
  if (job) await subscribeAll();

  const progress = clients.map(() => 0);
  const updated = clients.map(() => 0);
  let armed: { got: boolean[]; left: number; first: number } | null = null;
  clients.forEach((c, i) => {
    c.on('job:progress', (p) => {
      if (p.id === job) progress[i]++;
    });
    c.on('job:updated', (j: JobDto) => {
      if (j.id !== job) return;
      updated[i]++;
      if (!armed || armed.got[i]) return;
      armed.got[i] = true;
      if (armed.left === n) armed.first = performance.now();
      if (--armed.left === 0) {
        send({ type: 'all', spreadMs: performance.now() - armed.first });
        armed = null;
      }
    });
  });

  process.on('message', (m: ToFleet) => {
    if (m.type === 'subscribe') {
      job = m.id;
      subscribeAll().then(
        () => send({ type: 'subscribed' }),
        (err: unknown) => send({ type: 'error', message: (err as Error).message }),
      );
    } else if (m.type === 'arm') {
      armed = { got: clients.map(() => false), left: n, first: 0 };
      send({ type: 'armed' });
    } else if (m.type === 'stats') send({ type: 'stats', progress, updated });
    else if (m.type === 'close') {
      for (const c of clients) c.disconnect();
      process.disconnect?.();
      setTimeout(() => process.exit(0), 200).unref();
    }
  });
  // If the parent dies, do not linger.
  process.on('disconnect', () => {
    for (const c of clients) c.disconnect();
    setTimeout(() => process.exit(0), 200).unref();
  });
  send({ type: 'ready', connectMs, fdLimit: fdLimit() });
} catch (err) {
  send({ type: 'error', message: (err as Error).message });
  process.exit(1);
}
