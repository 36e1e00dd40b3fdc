/**
 * 3. Upload of a 1M-row CSV to a real server process (`node --import tsx server/main.ts`, PORT=0,
 * storage in a temp folder): time until POST /api/jobs answers 201 (file received, header and columns
 * checked, job queued), time until the job's read phase ends (every row parsed and validated: the
 * "<rows> rows, <sites> site(s)" log line), and the server process's peak RSS (VmHWM from /proc —
 * worker threads included, they live in the same process).
 *
 *   npm run bench:upload -- [--scale 84] [--observe 10] [--server tsx|compiled]
 *
 * --server tsx (default) runs the sources as `npm run dev` does (tsx compiles TypeScript in the main
 * thread and in every worker thread, which costs memory); --server compiled first compiles the current
 * server sources with tsc (into storage/bench/.build-*, removed afterwards) and runs them as
 * `npm start` does.
 *
 * --observe: seconds to keep the job forecasting after the read phase while watching memory (then it is
 * stopped); 0 skips that. Goals: 201 ≤ 3 s, read phase done ≤ 3 s, peak RSS ≤ 300 MB.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemandFile } from '../generate-demand.js';
import {
  BENCH_DIR,
  BENCH_ENV,
  READ_DONE,
  ROOT,
  getJob,
  getLog,
  num,
  procMemory,
  record,
  sleep,
  tempDir,
  until,
  uploadJob,
  within,
  type Figure,
} from './lib.js';

const { values } = parseArgs({
  options: { scale: { type: 'string' }, observe: { type: 'string' }, server: { type: 'string', default: 'tsx' } },
});
const mode = values.server;
if (mode !== 'tsx' && mode !== 'compiled') throw new Error('--server must be tsx or compiled');
const scale = num(values.scale, 84, 'scale');
const observeS = values.observe === '0' ? 0 : num(values.observe, 10, 'observe');

const tmp = tempDir('upload');
const cleanups: (() => void)[] = [() => tmp.remove()];
try {
  const dataFile = path.join(tmp.dir, 'big-demand.csv');
  const tGen = performance.now();
  const rows = await writeDemandFile(dataFile, { scale, seed: 7, start: '2024-01-01', days: 365 });
  const bytes = statSync(dataFile).size;
  console.log(
    `generated ${rows.toLocaleString('en-US')} rows (${(bytes / 1024 ** 2).toFixed(1)} MB) in ${((performance.now() - tGen) / 1000).toFixed(1)} s`,
  );

  let entry = ['--import', 'tsx', 'server/main.ts'];
  if (mode === 'compiled') {
    // Under the repository so the server finds package.json above itself.
    const out = path.join(BENCH_DIR, `.build-${process.pid}`);
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const t = performance.now();
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        out,
        '--sourceMap',
        'false',
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    console.log(`compiled the server in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    entry = [path.join(out, 'main.js')];
  }
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...BENCH_ENV,
      PORT: '0',
      STORAGE_DIR: path.join(tmp.dir, 'storage'),
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = await within(
    new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf = (buf + d.toString()).slice(-8000); // keep draining stdout for the whole run
        const m = /listening on (http:\/\/[^\s"]+)/.exec(buf);
        if (m) resolve(m[1]);
      });
      exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`))).catch(reject);
    }),
    60_000,
    'the server to listen',
  );
  const pid = child.pid!;
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  try {
    await sleep(500); // let start-up settle (worker threads, migrations)
    const idle = procMemory(pid);

    const up = await uploadJob(url, dataFile, { forecast_horizon: 30 });
    const after201 = procMemory(pid);

    // Full validation: the read phase's closing log line, timed by its own timestamp (server clock =
    // this machine's clock), polled every 20 ms.
    let readDoneMs = Number.NaN;
    let readStartMs = Number.NaN;
    await until(
      async () => {
        const lines = await getLog(url, up.job.id);
        const start = lines.find((l) => l.msg.startsWith('Reading '));
        const done = lines.find((l) => READ_DONE.test(l.msg));
        if (start) readStartMs = Date.parse(start.t) - up.tEpoch0;
        if (done) readDoneMs = Date.parse(done.t) - up.tEpoch0;
        if (done) return true;
        const j = await getJob(url, up.job.id);
        if (j.status === 'FAILED' || j.status === 'CANCELLED') throw new Error(`job ${j.status}: ${j.error_message}`);
        return false;
      },
      120_000,
      'the read phase to end',
      20,
    );
    const afterRead = procMemory(pid);

    // Then watch memory while it forecasts for a bounded time.
    let observed = { hwmMb: afterRead.hwmMb, rssMb: afterRead.rssMb };
    let status = '';
    let progress = 0;
    const tObs = performance.now();
    while (observeS > 0 && performance.now() - tObs < observeS * 1000) {
      await sleep(250);
      observed = procMemory(pid);
      const j = await getJob(url, up.job.id);
      status = j.status;
      progress = j.progress;
      if (j.status !== 'PROCESSING') break;
    }
    const observedS = (performance.now() - tObs) / 1000;
    if (status === 'PROCESSING' || status === '') await fetch(`${url}/api/jobs/${up.job.id}/stop`, { method: 'POST' });

    figures.push(
      { measure: 'POST → 201 (received, header checked, queued)', value: up.ms / 1000, unit: 's', goal: 3 },
      {
        measure: 'POST → read phase done (every row validated)',
        value: readDoneMs / 1000,
        unit: 's',
        goal: 3,
        note: `read phase alone ${((readDoneMs - readStartMs) / 1000).toFixed(2)} s`,
      },
      { measure: 'server peak RSS, start → validated', value: afterRead.hwmMb, unit: 'MB', goal: 300 },
      { measure: 'server RSS idle before upload', value: idle.rssMb, unit: 'MB', headline: true },
      { measure: 'server peak RSS above idle', value: afterRead.hwmMb - idle.rssMb, unit: 'MB', headline: true },
    );
    if (observeS > 0)
      figures.push({
        measure: `server peak RSS, + ${observedS.toFixed(0)} s of forecasting`,
        value: observed.hwmMb,
        unit: 'MB',
        note: `job ${status || '?'} at ${progress} %, then stopped`,
      });
    Object.assign(details, {
      upload_ms: up.ms,
      read_start_ms: readStartMs,
      read_done_ms: readDoneMs,
      memory_mb: { idle, after_201: after201, after_read: afterRead, observed },
      observed_s: observedS,
      job_status_at_end_of_observation: status,
      job_progress_at_end_of_observation: progress,
    });
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(15_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }
  record(
    {
      name: mode === 'tsx' ? 'upload' : 'upload-compiled',
      title: `3. Upload — ${rows.toLocaleString('en-US')} rows, ${(bytes / 1024 ** 2).toFixed(1)} MB CSV, server as a child process (${mode === 'tsx' ? 'node --import tsx server/main.ts' : 'compiled with tsc, node main.js'})`,
      params: { scale, rows, bytes, observe_s: observeS, server: mode },
      figures,
      details,
    },
    ['peak RSS = VmHWM of the server process (main + worker threads)'],
  );
} finally {
  for (const c of cleanups) c();
}
