/**
 * Socket command flood (issue 14): one signed-in viewer sends 10,000 `job:subscribe` as fast as it can
 * (from a child process, so its own cost is not counted here) while this process, which runs the
 * server, times `GET /api/health` every 20 ms. Before the per-socket token bucket the flood slowed
 * health to about 1 s (6.4 s here, the flood lasting 28 s); the goal is no health answer slower than
 * 100 ms while it lasts.
 *
 *   npm run bench:flood -- [--commands 10000]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io as connect } from 'socket.io-client';
import { inProcessServer, num, pct, record, sleep, summarize, tempDir, type Client } from './lib.js';

const { values } = parseArgs({ options: { commands: { type: 'string' }, flood: { type: 'string' } } });
const commands = num(values.commands, 10_000, 'commands');

interface FloodReport {
  ok: number;
  limited: number;
  /** The server closed the connection. */
  dropped: boolean;
  ms: number;
}

if (values.flood) {
  // The child: one connection, every command at once, then the tally.
  const [url, id] = values.flood.split(' ');
  const c: Client = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => (c.once('connect', resolve), c.once('connect_error', reject)));
  const t0 = performance.now();
  const acks: { ok: boolean }[] = [];
  // Every ack back, or the server closing the connection on the flood, whichever comes first.
  const closed = new Promise<void>((resolve) => c.once('disconnect', () => resolve()));
  const all = Promise.all(
    Array.from(
      { length: commands },
      () => new Promise<void>((resolve) => c.emit('job:subscribe', { id }, (a) => (acks.push(a), resolve()))),
    ),
  );
  await Promise.race([all, closed]);
  const report: FloodReport = {
    ok: acks.filter((a) => a.ok).length,
    limited: acks.filter((a) => !a.ok).length,
    dropped: !c.connected,
    ms: performance.now() - t0,
  };
  process.send!(report);
  c.close();
  process.exit(0);
}

const tmp = tempDir('flood');
try {
  const srv = await inProcessServer(tmp.dir);
  const form = new FormData();
  form.append('file', new Blob(['demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n']), 'f.csv');
  const job = (await (await fetch(`${srv.url}/api/jobs`, { method: 'POST', body: form })).json()) as { id: string };

  const child = fork(
    fileURLToPath(import.meta.url),
    ['--commands', String(commands), '--flood', `${srv.url} ${job.id}`],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const done = new Promise<FloodReport>((resolve) => child.once('message', (m) => resolve(m as FloodReport)));
  let flooding = true;
  done.then(() => (flooding = false)).catch((e: unknown) => console.error(e));
  const latencies: number[] = [];
  while (flooding) {
    const t = performance.now();
    await (await fetch(`${srv.url}/api/health`)).arrayBuffer();
    latencies.push(performance.now() - t);
    await sleep(20);
  }
  const flood = await done;
  const h = summarize(latencies);
  record(
    {
      name: 'socket-flood',
      title: `Socket flood — ${commands.toLocaleString('en-US')} job:subscribe from one connection`,
      params: { commands },
      figures: [
        // The slowest answer is the figure: a p99 of samples thins out as a slower flood lasts longer.
        { measure: '/api/health max during the flood', value: h.max, unit: 'ms', goal: 100, headline: true },
        { measure: '/api/health p99 during the flood', value: pct(latencies, 99), unit: 'ms' },
        { measure: '/api/health p50 during the flood', value: h.p50, unit: 'ms' },
        { measure: 'flood duration (acks back or closed)', value: flood.ms, unit: 'ms' },
        { measure: 'commands served', value: flood.ok, unit: '' },
        { measure: 'commands answered RATE_LIMITED', value: flood.limited, unit: '' },
        { measure: 'connection closed by the server', value: flood.dropped ? 1 : 0, unit: '(1 = yes)' },
      ],
      details: { health_ms: latencies, flood },
    },
    [`health sampled every 20 ms: ${latencies.length} samples`],
  );
  await srv.close();
} finally {
  tmp.remove();
}
