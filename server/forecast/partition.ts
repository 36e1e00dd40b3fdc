/** forecastPartition: one site's series → output CSV lines and holdout metric accumulators. */
import type { JobConfig } from '../contract/dto.js';
import type { EngineStep } from '../contract/stages.js';
import type { EngineContext } from './context.js';
import { StopRequested } from './errors.js';
import type { PartitionHooks, PartitionInput, PartitionResult } from './types.js';
import { addSeries, newAcc, scales, type PartitionMetrics } from './output/metrics.js';
import { selectOptions } from './choose/options.js';
import { firstDemandHistory, seriesOf } from './series/dense.js';
import { periodLabel, type Calendar } from './series/periods.js';
import { evaluateSeries } from './choose/select.js';
import type { Evaluated } from './choose/evaluated.js';
import { chooseAll } from './choose/choose.js';
import { periodSd } from './choose/interval.js';
import { applySeason } from './series/season.js';
import { csvField, num, seriesQuantities } from './output/write.js';
import { addToTotals, newTotals } from './inventory/plan-row.js';
import { overridesFor, planRowWith } from './inventory/overrides.js';
import { settingsFor } from './inventory/settings.js';
import { RunningStats } from './inventory/features.js';
import { applyHurdle, featuresOf, type HurdleFeatures } from './inventory/hurdle.js';
import { planLine } from './output/plan-write.js';
import { planInputsLine } from './output/plan-inputs.js';

const Z80 = 1.2816;

/** The hurdle's features at the final origin and (when inside the history) at the holdout's. */
function hurdleOrigins(y: Float64Array, fd: number, holdEnd: number) {
  const st = new RunningStats();
  let hold: HurdleFeatures | null = null;
  for (let t = fd; t < y.length; t++) {
    if (t === holdEnd && st.nonzero > 0) hold = featuresOf(st);
    st.push(y[t]);
  }
  return { final: featuresOf(st), hold };
}

export function forecastPartition(
  input: PartitionInput,
  ctx: EngineContext,
  config: JobConfig,
  hooks: PartitionHooks,
): PartitionResult {
  const data = input.data;
  const cal: Calendar = { freq: ctx.freq, anchor: ctx.anchor };
  const offset = ctx.fcStart - ctx.trainEnd - 1;
  const hOut = config.forecast_horizon;
  const opts = selectOptions(ctx, config);
  const h = opts.h;
  const labels = Array.from({ length: hOut }, (_, k) => periodLabel(cal, ctx.fcStart + k));
  const site = csvField(data.site);
  const m: PartitionMetrics = {
    chosen: newAcc(),
    naive: newAcc(),
    sba: newAcc(),
    series: 0,
    scored: 0,
    classes: {},
    methods: {},
    total_model: 0,
    total_rounded: 0,
  };
  const S = data.parts.length;
  const evs: Evaluated[] = [];
  // per series, for the holdout metrics: the scale before the holdout and the holdout's actuals (the dense
  // history itself is not kept: at ~3 KB a series it would dominate the memory of a big site)
  const holdouts: ({ sc: { s1: number; s2: number }; act: Float64Array } | null)[] = [];
  // per series, what the hurdle reads at the final origin and at the holdout's (inventory/hurdle.ts)
  const hurdleAt: ({ final: HurdleFeatures; hold: HurdleFeatures | null } | null)[] = [];
  let lastCheck = Date.now();
  const checkpoint = (i: number, stage: EngineStep) => {
    if (i % 50 === 0 || (i % 8 === 0 && Date.now() - lastCheck > 20)) {
      lastCheck = Date.now();
      if (hooks.shouldStop()) throw new StopRequested();
      hooks.progress(stage === 'backtesting' ? i : S + i, 2 * S, stage);
    }
  };
  for (let i = 0; i < S; i++) {
    checkpoint(i, 'backtesting');
    const sr = seriesOf(data, i, ctx);
    const ev = evaluateSeries(sr ? sr.y : new Float64Array(1), sr ? sr.fd : 0, opts);
    evs.push(ev);
    const sc = sr && ev.base ? scales(sr.y, sr.fd, ev.holdEnd) : null;
    holdouts.push(sr && sc ? { sc, act: sr.y.slice(ev.holdEnd) } : null);
    hurdleAt.push(ctx.hurdle && sr ? hurdleOrigins(sr.y, sr.fd, ev.holdEnd) : null);
  }
  const picks = chooseAll(evs, ctx.selection, h, ctx.prior);
  if (opts.method === 'auto' && ctx.season) {
    const { final, hold } = ctx.season;
    for (const pk of picks) {
      applySeason(pk.final.mean, ctx.trainEnd + 1, final);
      if (pk.hold && hold) applySeason(pk.hold, ctx.trainEnd - h + 1, hold);
    }
  }
  const hurdle = ctx.hurdle;
  if (hurdle)
    picks.forEach((pk, i) => {
      const at = hurdleAt[i];
      if (!at) return;
      applyHurdle(hurdle, at.final, pk.final.mean);
      if (pk.hold && at.hold) applyHurdle(hurdle, at.hold, pk.hold);
    });
  // written series let go of their backtests (a big site's would otherwise all live until the end)
  const pending: (Evaluated | null)[] = evs;
  const chunks: string[] = [];
  const inv = ctx.inventory;
  const planLines: string[] = [];
  const inputLines: string[] = [];
  const totals = newTotals();
  const scratch = { a: new Float64Array(0) };
  const models = new Float64Array(hOut);
  const raws = new Float64Array(hOut);
  const qtys = new Float64Array(hOut);
  let rows = 0;
  for (let i = 0; i < S; i++) {
    checkpoint(i, 'writing');
    const ev = pending[i];
    if (!ev) throw new Error(`series ${i} written twice`);
    const ho = holdouts[i];
    const pk = picks[i];
    const { mean } = pk.final;
    // a planner's forecast per period replaces the engine's in the written rows and the plan (issue 24)
    const ov = overridesFor(ctx.overrides, data.parts[i], data.site);
    const given = ov?.forecast_per_period?.value;
    const method = given === undefined ? pk.final.method : 'override';
    m.series++;
    m.classes[ev.cls] = (m.classes[ev.cls] ?? 0) + 1;
    m.methods[pk.final.method] = (m.methods[pk.final.method] ?? 0) + 1;
    if (ho && pk.hold && ev.base) {
      m.scored++;
      addSeries(m.chosen, ho.act, 0, pk.hold, ho.sc);
      addSeries(m.naive, ho.act, 0, ev.base[0], ho.sc);
      addSeries(m.sba, ho.act, 0, ev.base[1], ho.sc);
    }
    const part = csvField(data.parts[i]);
    let out = '';
    for (let k = 0; k < hOut; k++) models[k] = given ?? Math.max(0, mean[offset + k]);
    seriesQuantities(models, config.zero_threshold, config.rounding_mode, raws, qtys);
    // one line per period, in OUTPUT_COLUMNS order (a template is much faster than joining an array)
    for (let k = 0; k < hOut; k++) {
      const model = models[k];
      const spread = Z80 * periodSd(pk.final.mse, ev, model);
      const raw = raws[k];
      const q = qtys[k];
      m.total_model += model;
      m.total_rounded += q;
      out += `${labels[k]},${part},${site},${q},${num(raw)},${num(model)},${method},${ev.cls},${num(Math.max(0, model - spread))},${num(model + spread)}\n`;
    }
    chunks.push(out);
    rows += hOut;
    if (inv) {
      // the history again (not kept since backtesting, see holdouts), from the first demand to the origin
      const hist = firstDemandHistory(data, i, ctx.trainEnd, scratch);
      const st = settingsFor(inv.settings, data.parts[i], data.site);
      const key = { partnumber: data.parts[i], site: data.site, demandClass: ev.cls };
      const row = planRowWith(key, hist, mean, st, inv.pooled, ov);
      addToTotals(totals, row);
      planLines.push(planLine(row));
      inputLines.push(planInputsLine(key, hist, mean)); // what a re-plan needs (output/plan-inputs.ts)
    }
    pending[i] = null;
    holdouts[i] = null;
  }
  hooks.progress(2 * S, 2 * S, 'done');
  const result: PartitionResult = { site: data.site, rows, csv: chunks.join(''), metrics: m };
  if (inv) result.plan = { rows: planLines.length, csv: planLines.join(''), inputs: inputLines.join(''), totals };
  return result;
}
