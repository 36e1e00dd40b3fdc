/** From valid rows to per-site series: sorted by part, duplicates (same date, part, site) summed and counted. */
import type { RawDemand } from './parse/load.js';
import { GrowFloat, GrowInt } from './parse/load.js';
import { periodOfDay, type Calendar } from './periods.js';

/** One site's series, structured-clonable: series i has entries off[i]..off[i+1]-1 (periods ascending). */
export interface SiteSeries {
  site: string;
  parts: string[];
  off: Int32Array;
  per: Int32Array;
  qty: Float64Array;
}

export interface Grouped {
  sites: SiteSeries[];
  /** Rows merged into an earlier row with the same (date, part, site). */
  duplicates: number;
  minDay: number;
  maxDay: number;
}

/** Groups the rows of the given site ids (all when null), keeping only days < endDay. */
export function groupSeries(raw: RawDemand, cal: Calendar, siteIds: number[] | null, endDay = Infinity): Grouped {
  const n = raw.part.length;
  const partRank = new Int32Array(raw.parts.length);
  raw.parts.map((p, i) => [p, i] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).forEach(([, i], r) => (partRank[i] = r));
  const wanted = new Uint8Array(raw.sites.length);
  for (const s of siteIds ?? raw.sites.map((_, i) => i)) wanted[s] = 1;
  let minDay = Infinity, maxDay = -Infinity;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = raw.day[i];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    if (wanted[raw.site[i]] && d < endDay) idx.push(i);
  }
  const { site, part, day, qty } = raw;
  idx.sort((a, b) => site[a] - site[b] || partRank[part[a]] - partRank[part[b]] || day[a] - day[b]);
  const out = new Map<number, { parts: string[]; off: GrowInt; per: GrowInt; qty: GrowFloat }>();
  let duplicates = 0;
  let prevSite = -1, prevPart = -1, prevDay = NaN, prevPer = NaN;
  let cur: { parts: string[]; off: GrowInt; per: GrowInt; qty: GrowFloat } | undefined;
  for (const i of idx) {
    const s = site[i], p = part[i], d = day[i];
    if (s !== prevSite) {
      cur = { parts: [], off: new GrowInt(), per: new GrowInt(), qty: new GrowFloat() };
      out.set(s, cur);
      prevSite = s; prevPart = -1;
    }
    const c = cur!;
    if (p !== prevPart) { c.parts.push(raw.parts[p]); c.off.push(c.per.n); prevPart = p; prevDay = NaN; prevPer = NaN; }
    if (d === prevDay) duplicates++;
    const per = periodOfDay(cal, d);
    if (per === prevPer) c.qty.a[c.qty.n - 1] += qty[i];
    else { c.per.push(per); c.qty.push(qty[i]); }
    prevDay = d; prevPer = per;
  }
  const order = siteIds ?? raw.sites.map((_, i) => i).sort((a, b) => (raw.sites[a] < raw.sites[b] ? -1 : 1));
  const sites: SiteSeries[] = [];
  for (const s of order) {
    const c = out.get(s);
    if (!c) { sites.push({ site: raw.sites[s], parts: [], off: new Int32Array(1), per: new Int32Array(0), qty: new Float64Array(0) }); continue; }
    c.off.push(c.per.n);
    sites.push({ site: raw.sites[s], parts: c.parts, off: c.off.view().slice(), per: c.per.view().slice(), qty: c.qty.view().slice() });
  }
  return { sites, duplicates, minDay, maxDay };
}
