/**
 * Issue 23's judged check of a job's tracking, on a real in-process server: job 1 runs on
 * ../shared/data/carparts-train.csv with carparts-parts.csv (horizon 12); its actuals are carparts-test.csv
 * (POST /api/jobs/:id/actuals); its tracking must agree with the reference scorers run on job 1's own downloads
 * (forecast and plan) against carparts-test.csv: RMSSE ±0.01, bias ±1 point, achieved cycle service ±0.01, the
 * DEMAND_ABOVE_PLAN count exactly the series above their level. Then the whole carparts.csv is sent as the
 * actuals instead (history and later months together): only the months after the origin count, so the
 * figures must be the same. Prints each figure with PASS/MISS; exit 1 on a MISS.
 *
 *   node --import tsx scripts/check-tracking.ts
 *
 * Last, the file sent is removed and job 2 runs on carparts.csv with the same parts file: when it completes,
 * job 1's tracking finds it by itself (source: job 2), and must give the same figures again.
 */
import { execFileSync } from 'node:child_process';
import { openAsBlob, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrackingDto } from '../server/contract/tracking.js';
import { getJob, inProcessServer, ROOT, tempDir, until, uploadJob } from './bench/lib.js';

const SHARED = path.resolve(ROOT, '..', 'shared');
const data = (f: string) => path.join(SHARED, 'data', f);
type Ready = Extract<TrackingDto, { state: 'ready' }>;

function reference(script: string, args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, [path.join(SHARED, 'tools', script), ...args, '--json'], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
}

async function sendActuals(url: string, id: string, file: string): Promise<{ t: Ready; ms: number }> {
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const t0 = performance.now();
  const res = await fetch(`${url}/api/jobs/${id}/actuals`, { method: 'POST', body: form });
  const ms = performance.now() - t0;
  const body = (await res.json()) as TrackingDto;
  if (res.status !== 201 || body.state !== 'ready')
    throw new Error(`actuals answered ${res.status}: ${JSON.stringify(body)}`);
  return { t: body, ms };
}

async function main(): Promise<number> {
  const tmp = tempDir('tracking');
  const srv = await inProcessServer(tmp.dir);
  let misses = 0;
  const line = (what: string, got: number | null, want: number, tol: number) => {
    const ok = got !== null && Math.abs(got - want) <= tol;
    if (!ok) misses++;
    const tolText = tol === 0 ? 'exact' : `±${tol}`;
    console.log(
      `${what.padEnd(34)} tracking ${String(got).padStart(9)}  reference ${String(want).padStart(9)}  (${tolText})  ${ok ? 'PASS' : 'MISS'}`,
    );
  };
  try {
    const { job } = await uploadJob(
      srv.url,
      data('carparts-train.csv'),
      { forecast_horizon: 12 },
      data('carparts-parts.csv'),
    );
    let done = job;
    await until(
      async () => ['COMPLETED', 'FAILED', 'CANCELLED'].includes((done = await getJob(srv.url, job.id)).status),
      300_000,
      'job 1',
      200,
    );
    if (done.status !== 'COMPLETED') throw new Error(`job 1 ended ${done.status}: ${done.error_message}`);
    const forecast = path.join(tmp.dir, 'forecast.csv');
    const plan = path.join(tmp.dir, 'plan.csv');
    writeFileSync(forecast, await (await fetch(`${srv.url}/api/jobs/${job.id}/download`)).text());
    writeFileSync(plan, await (await fetch(`${srv.url}/api/jobs/${job.id}/inventory`)).text());
    const train = data('carparts-train.csv');
    const test = data('carparts-test.csv');
    const acc = reference('score.mjs', ['--train', train, '--test', test, '--forecast', forecast]);
    const inv = reference('inventory/score.mjs', [
      ...['--train', train, '--test', test, '--parts', data('carparts-parts.csv'), '--plan', plan, '--lenient'],
    ]);
    const above = Math.round(inv.n_evaluated * (1 - inv.service_achieved));

    /** Job 2 on the whole file: job 1's tracking against it, and how long after job 2 completed. */
    const laterJob = async (): Promise<{ t: Ready; ms: number }> => {
      const del = await fetch(`${srv.url}/api/jobs/${job.id}/actuals`, { method: 'DELETE' });
      if (del.status !== 204) throw new Error(`DELETE …/actuals answered ${del.status}`);
      const { job: j2 } = await uploadJob(
        srv.url,
        data('carparts.csv'),
        { forecast_horizon: 12 },
        data('carparts-parts.csv'),
      );
      let done2 = j2;
      await until(
        async () => ['COMPLETED', 'FAILED', 'CANCELLED'].includes((done2 = await getJob(srv.url, j2.id)).status),
        300_000,
        'job 2',
        200,
      );
      if (done2.status !== 'COMPLETED') throw new Error(`job 2 ended ${done2.status}: ${done2.error_message}`);
      let t = { state: 'none' } as TrackingDto;
      await until(
        async () => {
          t = (await (await fetch(`${srv.url}/api/jobs/${job.id}/tracking`)).json()) as TrackingDto;
          return t.state === 'ready' && t.source.kind === 'job' && t.source.job_id === j2.id;
        },
        120_000,
        "job 1's tracking against job 2",
        50,
      );
      return { t: t as Ready, ms: Date.now() - Date.parse(done2.completed_at!) };
    };

    for (const [label, get] of [
      ['actuals carparts-test.csv', () => sendActuals(srv.url, job.id, test)],
      ['actuals carparts.csv (whole file)', () => sendActuals(srv.url, job.id, data('carparts.csv'))],
      ['later job 2 on carparts.csv', laterJob],
    ] as const) {
      const { t, ms } = await get();
      console.log(
        `\n${label}: ${t.periods.count} periods ${t.periods.first}..${t.periods.last}, ${t.series.scored} series scored, ` +
          `${t.service.evaluated} evaluated for service; ready in ${(ms / 1000).toFixed(2)} s`,
      );
      line('RMSSE', t.accuracy.rmsse, acc.rmsse, 0.01);
      line('bias %', t.accuracy.bias_pct, acc.bias_pct, 1);
      line('achieved cycle service', t.service.achieved_cycle_service, inv.service_achieved, 0.01);
      line('DEMAND_ABOVE_PLAN', t.exceptions.DEMAND_ABOVE_PLAN, above, 0);
      console.log(
        `  also: MASE ${t.accuracy.mase} (reference ${acc.mase}); naive ${t.accuracy.naive.rmsse} / ${t.accuracy.naive.bias_pct} %, ` +
          `SBA ${t.accuracy.sba.rmsse} / ${t.accuracy.sba.bias_pct} %; promised cycle service ${t.service.promised_cycle_service}; ` +
          `fill rate promised ${t.service.promised_fill_rate}, achieved ${t.service.achieved_fill_rate}; exceptions ${JSON.stringify(t.exceptions)}`,
      );
    }
  } finally {
    await srv.close();
    tmp.remove();
  }
  console.log(misses ? `\n${misses} MISS` : '\nall PASS');
  return misses ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
