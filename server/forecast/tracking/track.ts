/**
 * Tracking: a finished job's forecast and plan held against the actuals after its origin.
 *
 * Accuracy as the reference scorer (../shared/tools/score.mjs) defines it, on the periods the actuals cover
 * (from the period after the origin to the last one with a row, within the forecast): the series are history ∪
 * forecast ∪ actuals; a series' scale is the mean (squared | absolute) first difference of its history from its
 * first demand to the origin; series with no history demand or a zero scale are left out and counted; RMSSE and
 * MASE are means over series, bias % = 100 (Σ f − Σ a) / Σ a; a missing forecast or actual is 0. The forecast is
 * `forecast_qty_raw_model` (the model's expected demand, the scorer's column). Baselines on the same series and
 * periods: naive (the history's last period) and SBA (Croston α 0.1, debiased) on the history from first demand.
 *
 * Service as the inventory scorer does: a planned series is evaluated when it has history demand and its
 * protection interval P = lead_time_periods + review_periods is 1 to the periods covered; D = its demand over the
 * first P periods; achieved cycle service = share with D ≤ order_up_to, promised = mean service_level.
 */
import type { JobConfig } from '../../contract/dto.js';
import type { PlanRowDto } from '../../contract/inventory.js';
import { BIAS_DRIFT_LIMIT, BIAS_DRIFT_MAD_FLOOR, STOPPED_SELLING_UNITS } from '../../contract/defaults.js';
import type {
  ExceptionCounts,
  TrackingException,
  TrackingGroup,
  TrackingRow,
  TrackingService,
  TrackingSummary,
} from '../../contract/tracking.js';
import { InputError } from '../errors.js';
import { crostonScan, CROSTON_ALPHA } from '../methods/intermittent.js';
import { addSeries, newAcc, summarize, type ErrAcc } from '../output/metrics.js';
import { readPlan } from '../output/plan-read.js';
import { readPartsFile } from '../parse/parts.js';
import type { SiteSeries } from '../series/group.js';
import { groupDemand } from '../series/read.js';
import { detectFrequency, periodLabel, periodOfDay, type Calendar } from '../series/periods.js';
import { dateShape, dayOf, type DateOrder } from '../parse/dates.js';
import { readCsvRecords } from '../output/csv-records.js';
import { keyOf, readActuals, readForecastWindow, type ForecastWindow } from './inputs.js';

export interface TrackRequest {
  /** the job's upload and config: the history that scales the errors, and the calendar (null: no scaled figures) */
  history: { uploadFile: string; originalName: string; config: JobConfig } | null;
  /** the job's forecast output CSV */
  outputFile: string;
  /** its inventory plan CSV (null: none, so no service figures) */
  planFile: string | null;
  actualsFile: string;
  /** the actuals file's name as uploaded (its extension says CSV or XLSX) */
  actualsName: string;
  /** a parts file for unit costs where the plan has none (the CLI's --parts) */
  parts?: { filePath: string; originalName: string } | null;
  /** return the per-series rows too */
  rows?: boolean;
}

export interface TrackResult {
  summary: TrackingSummary;
  rows: TrackingRow[] | null;
  /** the first day of each period covered (the rows' forecast and actual arrays in this order) */
  labels: string[];
}

interface History {
  /** demand per period from the first demand to the origin */
  y: Float64Array;
  sc: { s1: number; s2: number } | null;
  /** the SBA baseline: on the history from the file's start, as the engine and R's croston see it */
  sba: number;
}

interface Group {
  series: number;
  acc: ErrAcc;
  f: number;
  a: number;
  svc: ServiceAcc;
  exc: ExceptionCounts;
}

interface ServiceAcc {
  n: number;
  within: number;
  sl: number;
  fillN: number;
  short: number;
  mean: number;
  d: number;
  over: number;
}

const MAD_ALPHA = 0.1;
const newService = (): ServiceAcc => ({ n: 0, within: 0, sl: 0, fillN: 0, short: 0, mean: 0, d: 0, over: 0 });
const noExceptions = (): ExceptionCounts => ({ DEMAND_ABOVE_PLAN: 0, BIAS_DRIFT: 0, NEW_PART: 0, STOPPED_SELLING: 0 });
const newGroup = (): Group => ({ series: 0, acc: newAcc(), f: 0, a: 0, svc: newService(), exc: noExceptions() });
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const ratio = (a: number, b: number) => (b > 0 ? r4(a / b) : null);

function serviceOf(s: ServiceAcc): TrackingService {
  return {
    evaluated: s.n,
    promised_cycle_service: ratio(s.sl, s.n),
    achieved_cycle_service: ratio(s.within, s.n),
    promised_fill_rate: s.fillN && s.mean > 0 ? r4(1 - s.short / s.mean) : null,
    achieved_fill_rate: s.fillN && s.d > 0 ? r4(1 - s.over / s.d) : null,
    fill_rate_series: s.fillN,
  };
}

function groupOf(g: Group): TrackingGroup {
  return {
    series: g.series,
    scored: g.acc.n,
    forecast_total: r4(g.f),
    actual_total: r4(g.a),
    accuracy: summarize(g.acc),
    service: serviceOf(g.svc),
    exceptions: g.exc,
  };
}

/** A series' history per period from its first demand to the origin, and its scales (null: not scored). */
function historyOf(s: SiteSeries, i: number, origin: number, fileStart: number): History | null {
  let first = Infinity;
  // per-period sums: a period may hold several dated rows
  const sums = new Map<number, number>();
  for (let k = s.off[i]; k < s.off[i + 1]; k++) {
    if (s.per[k] > origin) continue;
    sums.set(s.per[k], (sums.get(s.per[k]) ?? 0) + s.qty[k]);
  }
  for (const [p, q] of sums) if (q !== 0 && p < first) first = p;
  if (first === Infinity) return null;
  const y = new Float64Array(origin - first + 1);
  for (const [p, q] of sums) if (p >= first) y[p - first] = q;
  const full = new Float64Array(origin - fileStart + 1);
  full.set(y, first - fileStart);
  const sba = crostonScan(full, [full.length], CROSTON_ALPHA, true)[0];
  if (y.length < 2) return { y, sc: null, sba };
  let s1 = 0,
    s2 = 0;
  for (let t = 1; t < y.length; t++) {
    const d = y[t] - y[t - 1];
    s1 += Math.abs(d);
    s2 += d * d;
  }
  if (s2 === 0) return { y, sc: null, sba };
  return { y, sc: { s1: s1 / (y.length - 1), s2: s2 / (y.length - 1) }, sba };
}

/** The calendar from the forecast's own dates, when no history is given (the CLI without --history). */
async function calendarOfForecast(file: string): Promise<{ cal: Calendar; first: number }> {
  const days = new Set<number>();
  let dateCol = -1;
  for await (const { fields } of readCsvRecords(file)) {
    if (dateCol < 0) {
      dateCol = fields.indexOf('date');
      if (dateCol < 0) throw new InputError('MISSING_COLUMNS', 'The forecast file has no column "date".');
      continue;
    }
    const d = dayOf(dateShape(fields[dateCol] ?? ''), 'YMD');
    if (Number.isFinite(d)) days.add(d);
  }
  if (!days.size) throw new InputError('EMPTY_FILE', 'The forecast file has no dated rows.');
  const det = detectFrequency([...days]);
  const cal = { freq: det.freq, anchor: det.anchor };
  return { cal, first: Math.min(...[...days].map((d) => periodOfDay(cal, d))) };
}

export async function trackJob(req: TrackRequest): Promise<TrackResult> {
  // the history: the job's series as its run grouped them, on its calendar
  let cal: Calendar;
  let origin: number;
  let fileStart = 0;
  let order: DateOrder | null = null;
  const histories = new Map<string, SiteSeries & { i: number }>();
  let sites: ReadonlySet<string> | null = null;
  if (req.history) {
    const g = await groupDemand(req.history.uploadFile, req.history.originalName, req.history.config);
    cal = { freq: g.context.freq, anchor: g.context.anchor };
    origin = g.context.trainEnd;
    fileStart = g.context.fileStart;
    order = g.order;
    for (const s of g.sites) s.parts.forEach((part, i) => histories.set(keyOf(s.site, part), { ...s, i }));
    if (req.history.config.forecast_site_codes.length) sites = new Set(g.sites.map((s) => s.site));
  } else {
    const f = await calendarOfForecast(req.outputFile);
    cal = f.cal;
    origin = f.first - 1;
  }
  const fc: ForecastWindow = await readForecastWindow(req.outputFile, cal, origin);
  if (fc.last === origin)
    throw new InputError('EMPTY_FILE', "The forecast file has no period after the job's history.");
  const config = req.history?.config ?? ({ date_format: 'auto', forecast_site_codes: [] } as unknown as JobConfig);
  const actuals = await readActuals(req.actualsFile, req.actualsName, {
    cal,
    origin,
    last: fc.last,
    config,
    historyOrder: order,
    sites,
  });
  const h = actuals.last - origin;

  const keys = new Set<string>([...histories.keys(), ...fc.series.keys(), ...actuals.series.keys()]);
  let common = 0;
  for (const k of actuals.series.keys()) if (histories.has(k) || fc.series.has(k)) common++;
  if (common === 0) {
    const ex = [...actuals.series.values()].slice(0, 3).map((s) => `${s.part} at ${s.site}`);
    throw new InputError(
      'ACTUALS_NO_COMMON_SERIES',
      `None of the ${actuals.series.size} part/site pairs in the actuals file is one this job forecast ` +
        `(e.g. ${ex.join(', ')}); check that the file is for the same parts and sites.`,
    );
  }

  const plan = new Map<string, PlanRowDto>();
  if (req.planFile) for (const r of await readPlan(req.planFile)) plan.set(keyOf(r.site_code, r.partnumber), r);
  const costs = new Map<string, number>();
  if (req.parts) {
    const pf = await readPartsFile(req.parts.filePath, req.parts.originalName);
    for (const r of pf.rows)
      if (r.unitCost !== undefined)
        costs.set(r.site === null ? `*\u0000${r.partnumber}` : keyOf(r.site, r.partnumber), r.unitCost);
  }

  const all = newGroup();
  const naive = newAcc();
  const sba = newAcc();
  const bySite = new Map<string, Group>();
  const byClass = new Map<string, Group>();
  const rows: TrackingRow[] | null = req.rows ? [] : null;
  let noHistory = 0,
    zeroScale = 0;
  const zeros = new Float64Array(h);
  const f = new Float64Array(h);
  const a = new Float64Array(h);
  const base = new Float64Array(h);
  for (const key of keys) {
    const hs = histories.get(key);
    const fs = fc.series.get(key);
    const as = actuals.series.get(key);
    const site = hs?.site ?? fs?.site ?? as!.site;
    const part = hs ? hs.parts[hs.i] : (fs?.part ?? as!.part);
    const pr = plan.get(key);
    const hist = hs && req.history ? historyOf(hs, hs.i, origin, fileStart) : null;
    const cls = fs?.cls || pr?.demand_class || (hist ? 'unknown' : 'new');
    f.set(fs ? fs.model.subarray(0, h) : zeros);
    a.set(as ? as.act.subarray(0, h) : zeros);
    let sf = 0,
      sa = 0,
      ae = 0,
      se = 0;
    for (let t = 0; t < h; t++) {
      const e = a[t] - f[t];
      sf += f[t];
      sa += a[t];
      ae += Math.abs(e);
      se += e * e;
    }
    const groups = [all, get(bySite, site), get(byClass, cls)];
    for (const g of groups) g.series++;
    const exc: TrackingException[] = [];
    let rmsse: number | null = null;
    if (!hist) {
      if (req.history) noHistory++;
    } else if (!hist.sc) zeroScale++;
    else {
      for (const g of groups) addSeries(g.acc, a, 0, f, hist.sc);
      rmsse = Math.sqrt(se / h / hist.sc.s2);
      base.fill(hist.y[hist.y.length - 1]);
      addSeries(naive, a, 0, base, hist.sc);
      base.fill(hist.sba);
      addSeries(sba, a, 0, base, hist.sc);
    }
    for (const g of groups) {
      g.f += sf;
      g.a += sa;
    }
    const ts = fs ? trackingSignal(f, a, h, hist?.sc?.s1 ?? ae / h, BIAS_DRIFT_MAD_FLOOR * Math.sqrt(sf)) : null;
    if (ts !== null && Math.abs(ts) > BIAS_DRIFT_LIMIT) exc.push('BIAS_DRIFT');
    if (req.history && !hist && sa > 0) exc.push('NEW_PART');
    if (fs && sa === 0 && sf >= STOPPED_SELLING_UNITS) exc.push('STOPPED_SELLING');
    // service over the protection interval
    let P: number | null = null,
      D: number | null = null;
    if (pr) {
      P = pr.lead_time_periods + pr.review_periods;
      if (P >= 1 && P <= h && (hist || !req.history)) {
        D = 0;
        for (let t = 0; t < P; t++) D += a[t];
        const within = D <= pr.order_up_to + 1e-9;
        if (!within) exc.push('DEMAND_ABOVE_PLAN');
        for (const g of groups) {
          const s = g.svc;
          s.n++;
          s.sl += pr.service_level;
          if (within) s.within++;
          if (pr.expected_fill_rate !== null && pr.expected_units_short !== null) {
            s.fillN++;
            s.short += pr.expected_units_short;
            s.mean += pr.ltd_mean;
            s.d += D;
            s.over += Math.max(0, D - pr.order_up_to);
          }
        }
      }
    }
    for (const code of exc) for (const g of groups) g.exc[code]++;
    if (rows)
      rows.push({
        partnumber: part,
        site_code: site,
        demand_class: cls,
        has_history: !!hist,
        forecast: Array.from(f, r4),
        actual: Array.from(a),
        forecast_total: r4(sf),
        actual_total: sa,
        error: r4(sf - sa),
        rmsse: rmsse === null ? null : r4(rmsse),
        tracking_signal: ts === null ? null : r4(ts),
        protection_periods: P,
        order_up_to: pr?.order_up_to ?? null,
        actual_over_p: D,
        unit_cost: pr?.unit_cost ?? costs.get(key) ?? costs.get(`*\u0000${part}`) ?? null,
        exceptions: exc,
      });
  }

  const acc = summarize(all.acc);
  const summary: TrackingSummary = {
    frequency: cal.freq,
    origin: periodLabel(cal, origin),
    periods: {
      count: h,
      first: periodLabel(cal, origin + 1),
      last: periodLabel(cal, actuals.last),
      forecast: fc.last - origin,
    },
    series: {
      total: keys.size,
      in_actuals: actuals.series.size,
      in_forecast: fc.series.size,
      scored: all.acc.n,
      excluded_no_history: noHistory,
      excluded_zero_scale: zeroScale,
    },
    accuracy: { ...acc, naive: summarize(naive), sba: summarize(sba) },
    totals: { forecast: r4(all.f), actual: r4(all.a) },
    service: serviceOf(all.svc),
    by_site: [...bySite].sort(([x], [y]) => (x < y ? -1 : 1)).map(([site_code, g]) => ({ site_code, ...groupOf(g) })),
    by_class: [...byClass]
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([demand_class, g]) => ({ demand_class, ...groupOf(g) })),
    exceptions: all.exc,
    rows_ignored: actuals.ignored,
    warnings: actuals.warnings,
  };
  return { summary, rows, labels: Array.from({ length: h }, (_, t) => periodLabel(cal, origin + 1 + t)) };
}

/**
 * Brown's tracking signal: the running sum of errors (actual − forecast) over the smoothed mean absolute error,
 * MAD_t = α |e_t| + (1 − α) MAD_{t−1} with α 0.1, starting from the error size the series showed in its history
 * (its mean absolute first difference, the MASE scale; the window's own mean |e| without one), and never below
 * `floor` (BIAS_DRIFT_MAD_FLOOR × √Σ forecast: on a slow mover the MAD is about twice its small mean, so the
 * plain signal crosses 4 on Poisson noise alone; see contract/defaults.ts). Null when the MAD is 0.
 */
function trackingSignal(f: Float64Array, a: Float64Array, h: number, mad0: number, floor: number): number | null {
  let mad = mad0,
    sum = 0;
  for (let t = 0; t < h; t++) {
    const e = a[t] - f[t];
    sum += e;
    mad = MAD_ALPHA * Math.abs(e) + (1 - MAD_ALPHA) * mad;
  }
  mad = Math.max(mad, floor);
  return mad > 0 ? sum / mad : null;
}

function get(m: Map<string, Group>, k: string): Group {
  let g = m.get(k);
  if (!g) m.set(k, (g = newGroup()));
  return g;
}
