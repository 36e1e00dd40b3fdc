/** From valid rows to per-site series: sorted by part, duplicates (same date, part, site) summed and counted. */
import type { RawDemand } from '../parse/load.js';
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

/** Stable counting sort of `from` by key(row) in [0, buckets): the rows reordered into `to`. */
function countingSort(
  from: Int32Array,
  to: Int32Array,
  key: Int32Array,
  keyBase: number,
  buckets: number,
  keyOf?: Int32Array,
): void {
  const count = new Int32Array(buckets + 1);
  const m = from.length;
  if (keyOf) for (let i = 0; i < m; i++) count[keyOf[key[from[i]]] + 1]++;
  else for (let i = 0; i < m; i++) count[key[from[i]] - keyBase + 1]++;
  for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
  if (keyOf)
    for (let i = 0; i < m; i++) {
      const r = from[i];
      to[count[keyOf[key[r]]]++] = r;
    }
  else
    for (let i = 0; i < m; i++) {
      const r = from[i];
      to[count[key[r] - keyBase]++] = r;
    }
}

/** Groups the rows of the given site ids (all when null), keeping only days < endDay. */
export function groupSeries(raw: RawDemand, cal: Calendar, siteIds: number[] | null, endDay = Infinity): Grouped {
  const { site, part, day, qty } = raw;
  const n = part.length;
  const names = raw.parts,
    partRank = new Int32Array(names.length);
  const byName = Array.from(names.keys()).sort((x, y) => (names[x] < names[y] ? -1 : names[x] > names[y] ? 1 : 0));
  for (let r = 0; r < byName.length; r++) partRank[byName[r]] = r;
  const wanted = new Uint8Array(raw.sites.length);
  for (const s of siteIds ?? raw.sites.map((_, i) => i)) wanted[s] = 1;
  let minDay = Infinity,
    maxDay = -Infinity,
    m = 0;
  for (let i = 0; i < n; i++) {
    const d = day[i];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    if (wanted[site[i]] && d < endDay) m++;
  }
  // rows ordered by site, part (by name), day, then row: three stable counting sorts, last key first
  let a = new Int32Array(m),
    b = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (wanted[site[i]] && day[i] < endDay) a[j++] = i;
  if (m > 0) {
    countingSort(a, b, day, minDay, maxDay - minDay + 1);
    countingSort(b, a, part, 0, raw.parts.length, partRank);
    countingSort(a, b, site, 0, raw.sites.length);
    [a, b] = [b, a];
  }
  const idx = a;
  // period of each day in the range
  const perOf = new Int32Array(m > 0 ? maxDay - minDay + 1 : 0);
  for (let k = 0; k < perOf.length; k++) perOf[k] = periodOfDay(cal, minDay + k);
  // two passes over the sorted rows: count each site's series and entries, then fill arrays of that size
  const nSites = raw.sites.length;
  const nSeries = new Int32Array(nSites),
    nEntries = new Int32Array(nSites);
  let duplicates = 0;
  {
    let prevSite = -1,
      prevPart = -1,
      prevDay = NaN,
      prevPer = NaN,
      prevOrig = -1;
    // a day of an old number merged into its final number's is not a duplicate (parse/supersession.ts)
    const orig = raw.origPart ?? part;
    for (let k = 0; k < m; k++) {
      const i = idx[k],
        s = site[i],
        p = part[i],
        d = day[i];
      if (s !== prevSite) {
        prevSite = s;
        prevPart = -1;
      }
      if (p !== prevPart) {
        nSeries[s]++;
        prevPart = p;
        prevDay = NaN;
        prevPer = NaN;
      }
      if (d === prevDay && orig[i] === prevOrig) duplicates++;
      const per = perOf[d - minDay];
      if (per !== prevPer) nEntries[s]++;
      prevDay = d;
      prevPer = per;
      prevOrig = orig[i];
    }
  }
  const out: (SiteSeries | undefined)[] = new Array(nSites);
  {
    let prevSite = -1,
      prevPart = -1,
      prevPer = NaN;
    let cur: SiteSeries | undefined,
      ns = 0,
      ne = 0;
    for (let k = 0; k < m; k++) {
      const i = idx[k],
        s = site[i],
        p = part[i];
      if (s !== prevSite) {
        if (cur) cur.off[ns] = ne;
        cur = {
          site: raw.sites[s],
          parts: [],
          off: new Int32Array(nSeries[s] + 1),
          per: new Int32Array(nEntries[s]),
          qty: new Float64Array(nEntries[s]),
        };
        out[s] = cur;
        ns = 0;
        ne = 0;
        prevSite = s;
        prevPart = -1;
      }
      const c = cur!;
      if (p !== prevPart) {
        c.parts.push(raw.parts[p]);
        c.off[ns++] = ne;
        prevPart = p;
        prevPer = NaN;
      }
      const per = perOf[day[i] - minDay];
      if (per === prevPer) c.qty[ne - 1] += qty[i];
      else {
        c.per[ne] = per;
        c.qty[ne++] = qty[i];
      }
      prevPer = per;
    }
    if (cur) cur.off[ns] = ne;
  }
  const order = siteIds ?? raw.sites.map((_, i) => i).sort((x, y) => (raw.sites[x] < raw.sites[y] ? -1 : 1));
  const sites: SiteSeries[] = [];
  for (const s of order)
    sites.push(
      out[s] ?? {
        site: raw.sites[s],
        parts: [],
        off: new Int32Array(1),
        per: new Int32Array(0),
        qty: new Float64Array(0),
      },
    );
  return { sites, duplicates, minDay, maxDay };
}
