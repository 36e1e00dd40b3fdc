/**
 * Supersession: the parts file's replaced_by links resolved to each part's final number, per site. A row
 * with a site links the part at that site only; a row with a blank site links it at every site that has
 * no row of its own. Chains resolve to their end (A→B→C: A and B are C); branches merge (A→C, B→C); a loop
 * (A→B→A) or a chain longer than MAX_CHAIN links is refused (InputError), naming the parts.
 */
import { InputError } from '../errors.js';
import type { RawDemand } from './load.js';

/** Far beyond any real chain of replacements: a longer one is a mistake in the file. */
export const MAX_CHAIN = 50;

export interface Supersession {
  /** the final number of `part` at `site` (itself when it is not replaced there) */
  finalOf(part: string, site: string): string;
  /** parts replaced somewhere (a link of their own at some site or at every site) */
  readonly replaced: ReadonlySet<string>;
}

const SEP = '\u0001';

/** What a parts-file row says of its replacement (parts.ts PartRow, which reads the file through here). */
export interface LinkRow {
  partnumber: string;
  site: string | null;
  replacedBy?: string;
}
const show = (parts: readonly string[]) => parts.map((p) => `"${p.slice(0, 60)}"`).join(' → ');

/**
 * The supersession of a parts file's rows; null when no row names a replacement. Every link is checked
 * at once (every site with a row of its own, and the blank-site links), so a bad file fails before the job.
 */
export function supersessionOf(rows: readonly LinkRow[]): Supersession | null {
  const everySite = new Map<string, string>();
  const bySite = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (r.replacedBy === undefined) continue;
    if (r.site === null) everySite.set(r.partnumber, r.replacedBy);
    else {
      let m = bySite.get(r.site);
      if (!m) bySite.set(r.site, (m = new Map()));
      m.set(r.partnumber, r.replacedBy);
    }
  }
  if (everySite.size === 0 && bySite.size === 0) return null;
  const replaced = new Set<string>([...everySite.keys()]);
  for (const m of bySite.values()) for (const p of m.keys()) replaced.add(p);
  /** by context and part: its final number and the links to it (so a chain walked in parts is still measured) */
  const memo = new Map<string, { final: string; links: number }>();
  const next = (part: string, site: string | null) =>
    (site === null ? undefined : bySite.get(site)?.get(part)) ?? everySite.get(part);
  const tooLong = (part: string, path: string[], site: string | null) =>
    new InputError(
      'SUPERSESSION_TOO_LONG',
      `The replaced_by column chains more than ${MAX_CHAIN} replacements, from "${part}" ` +
        `(${show(path.slice(0, 4))} → … → ${show(path.slice(-2))})${site === null ? '' : ` at site "${site}"`}. ` +
        'Check the replaced_by column.',
    );
  const resolve = (part: string, site: string | null): string => {
    const ctx = `${site ?? ''}${SEP}`;
    const known = memo.get(ctx + part);
    if (known !== undefined) return known.final;
    const path = [part];
    const seen = new Set(path);
    let at = part;
    // where the walk met a number already resolved: its end and the links beyond it
    let beyond: { final: string; links: number } | undefined;
    for (let n = next(at, site); n !== undefined; n = next(at, site)) {
      beyond = memo.get(ctx + n);
      if (beyond !== undefined) {
        path.push(n);
        break;
      }
      path.push(n);
      if (seen.has(n)) {
        const loop = path.slice(path.indexOf(n));
        throw new InputError(
          'SUPERSESSION_CYCLE',
          `The replaced_by column makes a loop: ${show(loop)}${site === null ? '' : ` at site "${site}"`}. ` +
            'A part cannot be replaced by itself through other numbers: fix the replaced_by of one of them.',
        );
      }
      if (path.length > MAX_CHAIN + 1) throw tooLong(part, path, site);
      seen.add(n);
      at = n;
    }
    const final = beyond?.final ?? path[path.length - 1];
    const last = path.length - 1;
    const links = last + (beyond?.links ?? 0);
    if (links > MAX_CHAIN) throw tooLong(part, beyond ? [...path, '…', beyond.final] : path, site);
    // every number on the path ends where this one does (a long chain is walked once)
    for (let j = 0; j <= last; j++) memo.set(ctx + path[j], { final, links: links - j });
    return final;
  };
  // every link checked now, at every site with links of its own and for the blank-site links
  for (const p of everySite.keys()) resolve(p, null);
  for (const [site, m] of bySite) {
    for (const p of m.keys()) resolve(p, site);
    for (const p of everySite.keys()) resolve(p, site);
  }
  return {
    replaced,
    finalOf(part: string, site: string): string {
      if (!replaced.has(part)) return part;
      return resolve(part, bySite.has(site) ? site : null);
    },
  };
}

/**
 * Credits each demand row of a replaced number to its final number at the row's site, in place (a final
 * number without demand of its own is added to raw.parts). origPart keeps each row's number as written, so
 * that grouping does not call the merged rows of one day duplicates. Returns how many numbers were merged.
 */
export function supersedeDemand(raw: RawDemand, sup: Supersession): number {
  const ids = new Map<string, number>();
  raw.parts.forEach((p, i) => ids.set(p, i));
  const moved = new Map<string, number>();
  const merged = new Set<number>();
  let orig: Int32Array | null = null;
  for (let i = 0; i < raw.part.length; i++) {
    const p = raw.part[i];
    const name = raw.parts[p];
    if (!sup.replaced.has(name)) continue;
    const key = `${raw.site[i]}${SEP}${p}`;
    let to = moved.get(key);
    if (to === undefined) {
      const final = sup.finalOf(name, raw.sites[raw.site[i]]);
      to = ids.get(final);
      if (to === undefined) {
        to = raw.parts.push(final) - 1;
        ids.set(final, to);
      }
      moved.set(key, to);
    }
    if (to === p) continue;
    orig ??= raw.part.slice();
    raw.part[i] = to;
    merged.add(p);
  }
  if (orig) raw.origPart = orig;
  return merged.size;
}
