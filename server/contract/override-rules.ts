/**
 * A planner's override of the plan for one part (at one site, or every site): the kinds, the bounds of a value
 * and a reason, and one check of a whole override, shared by the API's zod schema (contract/overrides.ts) and
 * the import's reader in the engine (forecast/parse/overrides.ts). No zod here: worker threads import it.
 */

/**
 * forecast_per_period: the expected demand per period (it drives the series' forecast, plan and interval);
 * order_up_to: a fixed level; service_level: the part's target (a floor where a budget or a fill rate is spent).
 */
export const OVERRIDE_KINDS = ['forecast_per_period', 'order_up_to', 'service_level'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

export const OVERRIDE_REASON_MIN = 3;
export const OVERRIDE_REASON_MAX = 500;
/** Far above any part's demand per period or level; a bigger value is a typo. */
export const OVERRIDE_VALUE_MAX = 1e9;
/** A service level as the job config takes it: a share in [0.5, 0.999], or a percentage 50–99.9. */
export const SERVICE_LEVEL_MIN = 0.5;
export const SERVICE_LEVEL_MAX = 0.999;

export function isOverrideKind(s: string): s is OverrideKind {
  return (OVERRIDE_KINDS as readonly string[]).includes(s);
}

/** What is wrong with an override, by field: the codes the pages word (contract/errors.ts). */
export interface OverrideProblem {
  field: 'partnumber' | 'site_code' | 'kind' | 'value' | 'reason' | 'expires_on';
  code: 'OVERRIDE_REASON' | 'OVERRIDE_VALUE' | 'VALIDATION_ERROR';
  message: string;
}

/** An override as it is stored and applied (the site '' = every site of the part). */
export interface OverrideFields {
  partnumber: string;
  site_code: string;
  kind: OverrideKind;
  value: number;
  reason: string;
  expires_on: string | null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD or DD/MM/YYYY as YYYY-MM-DD; null when it is not a date. */
export function overrideDate(text: string): string | null {
  const s = text.trim();
  const iso = ISO_DATE.exec(s);
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : dmy
      ? [Number(dmy[3]), Number(dmy[2]), Number(dmy[1])]
      : [NaN, NaN, NaN];
  const t = new Date(Date.UTC(y, m - 1, d));
  if (!(t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d)) return null;
  return t.toISOString().slice(0, 10);
}

// the controls and bidi marks storage/paths.ts and job names are cleaned of
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g;
const clean = (s: string) => s.replace(HIDDEN, ' ').trim();

/**
 * Checks and normalises raw fields (from JSON or a file's cells): the first problem, or the override. The
 * value is read per kind: non-negative; a whole number for order_up_to; a service level in [0.5, 0.999]
 * (or 50–99.9 %). `today` (YYYY-MM-DD): an expiry before it is refused (the override would never apply).
 */
export function checkOverride(
  raw: {
    partnumber: unknown;
    site_code?: unknown;
    kind: unknown;
    value: unknown;
    reason?: unknown;
    expires_on?: unknown;
  },
  today: string,
): { ok: true; override: OverrideFields } | { ok: false; problem: OverrideProblem } {
  const bad = (field: OverrideProblem['field'], code: OverrideProblem['code'], message: string) =>
    ({ ok: false, problem: { field, code, message } }) as const;
  const part =
    typeof raw.partnumber === 'string' || typeof raw.partnumber === 'number' ? clean(String(raw.partnumber)) : '';
  if (!part) return bad('partnumber', 'VALIDATION_ERROR', 'partnumber is required');
  if (part.length > 100) return bad('partnumber', 'VALIDATION_ERROR', 'partnumber must be at most 100 characters');
  const siteRaw = raw.site_code;
  if (siteRaw != null && typeof siteRaw !== 'string' && typeof siteRaw !== 'number')
    return bad('site_code', 'VALIDATION_ERROR', 'site_code must be a text (blank: every site)');
  const site = siteRaw == null ? '' : clean(String(siteRaw));
  if (site.length > 100) return bad('site_code', 'VALIDATION_ERROR', 'site_code must be at most 100 characters');
  const kind = typeof raw.kind === 'string' ? raw.kind.trim().toLowerCase() : '';
  if (!isOverrideKind(kind)) return bad('kind', 'VALIDATION_ERROR', `kind must be one of ${OVERRIDE_KINDS.join(', ')}`);
  const reason = typeof raw.reason === 'string' ? clean(raw.reason) : '';
  if ([...reason].length < OVERRIDE_REASON_MIN || [...reason].length > OVERRIDE_REASON_MAX)
    return bad(
      'reason',
      'OVERRIDE_REASON',
      `reason is required: ${OVERRIDE_REASON_MIN} to ${OVERRIDE_REASON_MAX} characters saying why`,
    );
  const text = typeof raw.value === 'string' ? raw.value.trim().replace(',', '.') : raw.value;
  let value = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
  if (!Number.isFinite(value)) return bad('value', 'OVERRIDE_VALUE', 'value must be a number');
  if (value < 0) return bad('value', 'OVERRIDE_VALUE', 'value must not be negative');
  if (kind === 'service_level') {
    if (value >= 50 && value < 100) value = value / 100;
    if (value < SERVICE_LEVEL_MIN || value > SERVICE_LEVEL_MAX)
      return bad('value', 'OVERRIDE_VALUE', 'a service_level value must be between 0.5 and 0.999 (or 50 and 99.9 %)');
  } else if (value > OVERRIDE_VALUE_MAX) {
    return bad('value', 'OVERRIDE_VALUE', `value must be at most ${OVERRIDE_VALUE_MAX}`);
  } else if (kind === 'order_up_to' && !Number.isInteger(value)) {
    return bad('value', 'OVERRIDE_VALUE', 'an order_up_to value must be a whole number of units');
  }
  let expires: string | null = null;
  if (raw.expires_on != null && String(raw.expires_on).trim() !== '') {
    expires = typeof raw.expires_on === 'string' ? overrideDate(raw.expires_on) : null;
    if (!expires) return bad('expires_on', 'VALIDATION_ERROR', 'expires_on must be a date (YYYY-MM-DD or DD/MM/YYYY)');
    if (expires < today) return bad('expires_on', 'VALIDATION_ERROR', `expires_on ${expires} is in the past`);
  }
  return { ok: true, override: { partnumber: part, site_code: site, kind, value, reason, expires_on: expires } };
}

/** In force on `day` (YYYY-MM-DD): no expiry, or it expires on that day or later. */
export function inForce(o: { expires_on: string | null }, day: string): boolean {
  return o.expires_on === null || o.expires_on >= day;
}

/** Today in UTC as YYYY-MM-DD. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
