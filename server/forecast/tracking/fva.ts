/**
 * Forecast value added (issue 24): per series whose forecast a planner overrode, the system forecast's and the
 * final forecast's absolute error over the periods the actuals cover; which improved, which worsened, the net
 * change, by reason and by person, and a warning where small upward adjustments have been hurting (Fildes,
 * Goodwin, Lawrence & Nikolopoulos 2009: large adjustments tend to help, small and upward ones often hurt).
 * The system forecast is the engine's exact mean from the job's re-plan inputs; the final one is what the job
 * wrote (the override's value).
 */
import type { FvaGroup, FvaSummary, TrackingRow } from '../../contract/tracking.js';
import { overridesFor, planOverridesOf } from '../inventory/overrides.js';
import { parsePlanInputsHeader, parsePlanInputsLine } from '../output/plan-inputs.js';
import { fileLines } from '../output/replan.js';

/** A forecast override the job applied (its snapshot). */
export interface FvaOverride {
  partnumber: string;
  site_code: string;
  value: number;
  reason: string;
  created_by: string | null;
}

export interface FvaRequest {
  /** the job's re-plan inputs (the system's forecast mean per series) */
  inputsFile: string;
  /** the forecast_per_period overrides of the job's snapshot */
  overrides: FvaOverride[];
}

/** An adjustment this much (relative to the system's mean over the window) or less is small. */
export const SMALL_ADJUSTMENT = 0.2;

interface Acc {
  series: number;
  improved: number;
  worsened: number;
  sys: number;
  fin: number;
}
const newAcc = (): Acc => ({ series: 0, improved: 0, worsened: 0, sys: 0, fin: 0 });
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const group = (a: Acc): FvaGroup => ({
  series: a.series,
  improved: a.improved,
  worsened: a.worsened,
  system_abs_error: r4(a.sys),
  final_abs_error: r4(a.fin),
  net_abs_error_change: r4(a.fin - a.sys),
});

/** The FVA of the overridden series among `rows` (the tracking's per-series rows); null when none was overridden. */
export async function forecastValueAdded(rows: readonly TrackingRow[], req: FvaRequest): Promise<FvaSummary | null> {
  const set = planOverridesOf(req.overrides.map((o) => ({ ...o, kind: 'forecast_per_period' as const })));
  const wanted = new Map<string, TrackingRow>();
  for (const r of rows)
    if (overridesFor(set, r.partnumber, r.site_code)?.forecast_per_period)
      wanted.set(`${r.partnumber}\u0001${r.site_code}`, r);
  if (wanted.size === 0) return null;
  const all = newAcc();
  const byReason = new Map<string, Acc>();
  const byPerson = new Map<string, Acc>();
  const small = newAcc();
  const lines = fileLines(req.inputsFile);
  try {
    let header = false;
    for await (const line of lines.lines) {
      if (!header) {
        parsePlanInputsHeader(line);
        header = true;
        continue;
      }
      if (!line) continue;
      const s = parsePlanInputsLine(line);
      const row = wanted.get(`${s.partnumber}\u0001${s.site}`);
      if (!row) continue;
      const ov = overridesFor(set, s.partnumber, s.site)!.forecast_per_period!;
      const h = Math.min(row.actual.length, row.forecast.length);
      let sys = 0;
      let fin = 0;
      let sysTotal = 0;
      for (let t = 0; t < h; t++) {
        const base = Math.max(0, s.forecast[t] ?? 0);
        sysTotal += base;
        sys += Math.abs(row.actual[t] - base);
        fin += Math.abs(row.actual[t] - row.forecast[t]);
      }
      const add = (a: Acc) => {
        a.series++;
        a.sys += sys;
        a.fin += fin;
        if (fin < sys - 1e-9) a.improved++;
        else if (fin > sys + 1e-9) a.worsened++;
      };
      add(all);
      let r = byReason.get(ov.reason);
      if (!r) byReason.set(ov.reason, (r = newAcc()));
      add(r);
      const who = ov.by ?? '';
      let p = byPerson.get(who);
      if (!p) byPerson.set(who, (p = newAcc()));
      add(p);
      const mean = h > 0 ? sysTotal / h : 0;
      if (ov.value > mean && ov.value - mean <= SMALL_ADJUSTMENT * Math.max(mean, 1e-9)) add(small);
    }
  } finally {
    lines.close();
  }
  const warnings: string[] = [];
  if (small.series > 0 && small.fin > small.sys + 1e-9)
    warnings.push(
      `Small upward adjustments (at most ${SMALL_ADJUSTMENT * 100} % above the system forecast) made the absolute ` +
        `error ${r4(small.fin - small.sys)} units worse over ${small.series} series (${small.worsened} worsened).`,
    );
  return {
    ...group(all),
    by_reason: [...byReason].map(([reason, a]) => ({ reason, ...group(a) })),
    by_person: [...byPerson].map(([person, a]) => ({ created_by: person || null, ...group(a) })),
    small_upward: group(small),
    warnings,
  };
}
