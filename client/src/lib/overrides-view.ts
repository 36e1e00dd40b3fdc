import { OVERRIDE_KINDS, checkOverride, isOverrideKind, type OverrideKind } from '$contract/override-rules.js';
import type { OverrideDto } from '$contract/overrides.js';
import { formatNumber, formatPercent } from './format.js';
import type { MessageKey } from './i18n/messages.js';

export { OVERRIDE_KINDS, type OverrideKind };
export type { OverrideDto };

/** The kinds a plan row was planned with (its override_kind joins them with '+'; '' for none). */
export function rowOverrideKinds(row: { override_kind: string }): OverrideKind[] {
  return row.override_kind
    .split('+')
    .map((k) => k.trim())
    .filter(isOverrideKind);
}

/** The message key naming a kind ('ovr.kind.order_up_to', …). */
export const kindKey = (k: OverrideKind): MessageKey => `ovr.kind.${k}`;

/** An override's value as the planner reads it: a service level in percent, a level whole, demand with decimals. */
export function overrideValueText(o: { kind: OverrideKind; value: number }, locale: string): string {
  if (o.kind === 'service_level') return formatPercent(o.value * 100, locale, 1);
  return formatNumber(o.value, locale, o.kind === 'order_up_to' ? 0 : 2);
}

/** The dialog's fields as typed. */
export interface OverrideDraft {
  partnumber: string;
  site_code: string;
  kind: OverrideKind;
  value: string;
  reason: string;
  expires_on: string;
}

/**
 * What is wrong with the dialog's fields, in the user's words (the server's own check, contract/override-rules.ts,
 * run before sending); null when they can be sent. `today`: YYYY-MM-DD.
 */
export function draftProblem(d: OverrideDraft, today: string): MessageKey | null {
  const r = checkOverride(d, today);
  if (r.ok) return null;
  switch (r.problem.field) {
    case 'reason':
      return 'ovr.bad.reason';
    case 'value':
      return d.kind === 'service_level'
        ? 'ovr.bad.level'
        : d.kind === 'order_up_to'
          ? 'ovr.bad.whole'
          : 'ovr.bad.value';
    case 'expires_on':
      return 'ovr.bad.expires';
    default:
      return 'ovr.bad.part';
  }
}

/** The value the dialog starts from for a kind: what the plan has now (a level whole, a share as percent). */
export function startValue(
  kind: OverrideKind,
  row: {
    order_up_to: number | null;
    ltd_mean: number;
    lead_time_periods: number;
    review_periods: number;
    service_level: number | null;
  },
): string {
  // null: not known where the dialog was opened (the chart of a part without a plan row)
  if (kind === 'order_up_to') return row.order_up_to == null ? '' : String(row.order_up_to);
  if (kind === 'service_level')
    return row.service_level == null ? '' : String(Math.round(row.service_level * 1000) / 10);
  const p = row.lead_time_periods + row.review_periods;
  return String(p > 0 ? Math.round((row.ltd_mean / p) * 100) / 100 : row.ltd_mean);
}

/**
 * The bad lines of a refused overrides file (the server's OVERRIDES_FILE_INVALID message: "N rows … none was
 * imported: line 3: …; line 4: ….") one per entry; [] when the message names none.
 */
export function importProblems(message: string): string[] {
  const at = message.search(/\bline \d+:/);
  if (at < 0) return [];
  return message
    .slice(at)
    .replace(/\.\s*$/, '')
    .split(/; (?=line \d+:|and \d+ more)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The overrides in force for a plan row: its own site's and the part's every-site ones. */
export function overridesForRow(list: readonly OverrideDto[], row: { partnumber: string; site_code: string }) {
  return list.filter((o) => o.partnumber === row.partnumber && (o.site_code === null || o.site_code === row.site_code));
}

/** A kind filter as the select gives it: a kind, or '' for all. */
export const isKindFilter = (v: string): v is OverrideKind | '' => v === '' || isOverrideKind(v);
