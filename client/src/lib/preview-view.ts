import type { PreviewDto } from '$contract/dto.js';
import { AMBIGUOUS_DATES_NOTE } from '$contract/vocab.js';
import type { MessageKey } from './i18n/messages.js';

/**
 * Why a previewed file cannot be run, or null when it can: a file whose rows were all excluded
 * (bad quantities, dates, blank parts) would only produce a FAILED job.
 */
export function runBlockedBy(p: PreviewDto | null): MessageKey | null {
  if (!p) return null;
  if (p.rows === 0) return 'preview.blocked.empty';
  if (p.series === 0 || !p.first_date) return 'preview.blocked.unusable';
  return null;
}

/**
 * The warnings that say something the problem list does not: the engine repeats each problem (and the
 * ambiguous date order, worded from `date_order_ambiguous`) among its English warnings for the CLI, which on
 * the page listed it twice. Exact repeats are dropped too.
 */
export function extraWarnings(p: PreviewDto): string[] {
  const said = p.issues.map((i) => i.message);
  const seen = new Set<string>();
  return p.warnings.filter((w) => {
    if (seen.has(w) || said.some((m) => w === m || w.startsWith(`${m} (`))) return false;
    if (p.date_order_ambiguous && w.startsWith(AMBIGUOUS_DATES_NOTE)) return false;
    seen.add(w);
    return true;
  });
}

/** Each problem once: the same code with the same message (hence the same count) is one problem. */
export function uniqueIssues(p: PreviewDto): PreviewDto['issues'] {
  const seen = new Set<string>();
  return p.issues.filter((i) => {
    const key = `${i.code}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
