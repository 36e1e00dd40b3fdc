/**
 * Total bias of `auto` on daily files shaped like production (scripts/generate-demand.ts): for each seed a
 * year of demand is generated, the last 28 days are held out, and auto, ma and mean are run through the
 * engine door on the rest. Prints per seed and pooled: total bias (Σ forecast / Σ actual − 1 over every
 * series) and mean RMSSE (scale: squared first differences of the training history from the first demand,
 * as score.mjs), with PASS/MISS for |bias| ≤ 15 %.
 * Also the bias of the rounded `forecast_qty` total: on daily files most per-day means are below 0.5, so
 * rounding alone removes much of the volume (the metrics card warns about it; the inventory plan is the answer).
 * `--file F` scores one real-shaped file instead (e.g. ../shared/data/daily-synth.csv), its last 28 days held out.
 *   node --import tsx scripts/bench-daily-bias.ts [--seeds 1,2,3,4,5] [--methods auto,ma,mean] [--scale 1] [--file F]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { JobConfig } from '../server/contract/dto.js';
import { engine } from '../server/forecast/index.js';
import { demandLines } from './generate-demand.js';

const H = 28;
const DAY = 86_400_000;
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3,4,5' },
    methods: { type: 'string', default: 'auto,ma,mean' },
    scale: { type: 'string', default: '1' },
    file: { type: 'string' },
  },
});
const seeds = values.seeds!.split(',').map(Number);
const methods = values.methods!.split(',');
const KEY = '\u0001';

interface Score {
  f: number;
  /** Σ forecast_qty, the rounded column */
  r: number;
  a: number;
  rmsse: number[];
}

const mdy = (date: string) => {
  const [m, d, y] = date.split('/').map(Number);
  return Date.UTC(y, m - 1, d);
};

/** Splits a file's lines at the first held-out day `cut`: training CSV text and the holdout per series. */
function split(all: Iterable<string>, cut: number): { train: string; test: Map<string, Float64Array> } {
  const lines: string[] = [];
  const test = new Map<string, Float64Array>();
  for (const line of all) {
    const [q, date, part, site] = line.split(',');
    const t = mdy(date);
    if (Number.isNaN(t) || t < cut) lines.push(line);
    else {
      const k = part + KEY + site;
      let a = test.get(k);
      if (!a) test.set(k, (a = new Float64Array(H)));
      a[Math.round((t - cut) / DAY)] += Number(q);
    }
  }
  return { train: `${lines.join('\n')}\n`, test };
}

function score(train: Map<string, Float64Array>, test: Map<string, Float64Array>, fc: Map<string, Float64Array>) {
  const s: Score = { f: 0, r: 0, a: 0, rmsse: [] };
  for (const k of new Set([...train.keys(), ...test.keys()])) {
    const act = test.get(k) ?? new Float64Array(H),
      f = fc.get(k) ?? new Float64Array(H);
    let se = 0;
    for (let t = 0; t < H; t++) {
      s.f += f[t];
      s.a += act[t];
      se += (act[t] - f[t]) ** 2;
    }
    const y = train.get(k);
    if (!y) continue;
    let fd = 0;
    while (fd < y.length && !(y[fd] > 0)) fd++;
    let s2 = 0;
    for (let t = fd + 1; t < y.length; t++) s2 += (y[t] - y[t - 1]) ** 2;
    if (y.length - fd < 2 || s2 === 0) continue;
    s.rmsse.push(Math.sqrt(se / H / (s2 / (y.length - fd - 1))));
  }
  return s;
}

const tmp = mkdtempSync(join(tmpdir(), 'bench-daily-'));
const pooled = new Map<string, Score>(methods.map((m) => [m, { f: 0, r: 0, a: 0, rmsse: [] }]));
const fmt = (s: Score) => {
  const bias = (100 * (s.f - s.a)) / s.a;
  const rounded = (100 * (s.r - s.a)) / s.a;
  const r = s.rmsse.reduce((x, v) => x + v, 0) / s.rmsse.length;
  const text = `bias ${bias.toFixed(1).padStart(6)} % (rounded ${rounded.toFixed(1).padStart(6)} %)  RMSSE ${r.toFixed(4)}`;
  return { bias, text };
};

/** Each case: a name, its lines and the first held-out day. */
function* cases(): Generator<{ name: string; lines: Iterable<string>; cut: number }> {
  if (values.file) {
    const lines = readFileSync(values.file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .filter(Boolean);
    const last = Math.max(...lines.slice(1).map((l) => mdy(l.split(',')[1])));
    yield { name: 'file', lines, cut: last - (H - 1) * DAY };
    return;
  }
  const start = '2024-08-01';
  for (const seed of seeds) {
    const lines = demandLines({ scale: Number(values.scale), seed, start, days: 365 });
    yield { name: `seed ${String(seed).padStart(3)}`, lines, cut: Date.parse(`${start}T00:00:00Z`) + (365 - H) * DAY };
  }
}

try {
  for (const { name, lines, cut } of cases()) {
    const { train, test } = split(lines, cut);
    const file = join(tmp, 'train.csv');
    writeFileSync(file, train);
    const line: string[] = [];
    for (const method of methods) {
      const cfg: JobConfig = {
        forecast_horizon: H,
        forecast_start_date: null,
        forecast_site_codes: [],
        date_format: 'MDY',
        zero_threshold: 0,
        rounding_mode: 'half_up',
        frequency: 'D',
        method,
      };
      const prep = await engine.loadDemand(file, file, cfg);
      const ctx = prep.context;
      const hist = new Map<string, Float64Array>();
      for (const p of prep.partitions)
        p.data.parts.forEach((part, i) => {
          const y = new Float64Array(ctx.trainEnd - ctx.fileStart + 1);
          for (let j = p.data.off[i]; j < p.data.off[i + 1]; j++) y[p.data.per[j] - ctx.fileStart] += p.data.qty[j];
          hist.set(part + KEY + p.data.site, y);
        });
      const fc = new Map<string, Float64Array>();
      let rounded = 0;
      for (const p of prep.partitions) {
        const res = engine.forecastPartition(p, ctx, cfg, { progress() {}, shouldStop: () => false });
        for (const row of res.csv.split('\n')) {
          if (!row) continue;
          const c = row.split(',');
          const k = c[1] + KEY + c[2];
          rounded += Number(c[3]);
          let a = fc.get(k);
          if (!a) fc.set(k, (a = new Float64Array(H)));
          a[(Date.parse(`${c[0]}T00:00:00Z`) - cut) / DAY] = Number(c[5]);
        }
      }
      const s = score(hist, test, fc);
      s.r = rounded;
      const pl = pooled.get(method)!;
      pl.f += s.f;
      pl.r += s.r;
      pl.a += s.a;
      pl.rmsse.push(...s.rmsse);
      line.push(`${method.padEnd(5)} ${fmt(s).text}`);
    }
    console.log(`${name}: ${line.join('   |   ')}`);
  }
  console.log('pooled:');
  for (const [method, s] of pooled) {
    const { bias, text } = fmt(s);
    const pass = Math.abs(bias) <= 15;
    const mark = method !== 'auto' ? '' : pass ? '  PASS (|bias| ≤ 15 %)' : '  MISS (|bias| > 15 %)';
    console.log(`  ${method.padEnd(5)} ${text}${mark}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
