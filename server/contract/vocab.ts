/**
 * Closed value sets the engine writes into results and the pages word: demand classes, the method labels a
 * series can get, and the preview's problem codes. The client keys its dictionaries by them, so a value added
 * here without words fails the typecheck.
 */
import { METHOD_NAMES } from './defaults.js';

/** Syntetos–Boylan classes (ADI × CV²), plus series without any demand. */
export const DEMAND_CLASSES = ['smooth', 'erratic', 'intermittent', 'lumpy', 'no_demand'] as const;
export type DemandClass = (typeof DEMAND_CLASSES)[number];

/**
 * What a series' `method` says: one named method, `stack` (the learned combination), `none` (nothing to fit),
 * `override` (a planner's forecast per period, issue 24: the forecast CSV's rows say they were overridden).
 */
export const OUTPUT_METHODS = [...METHOD_NAMES, 'stack', 'none', 'override'] as const;
export type OutputMethod = (typeof OUTPUT_METHODS)[number];

/**
 * The preview's problems. Each carries its count; `params` holds the other values its words need
 * (BAD_DATES: `order`, the date order expected; HUGE_QUANTITY: `max`).
 */
export const PREVIEW_ISSUE_CODES = [
  'BAD_QUANTITY',
  'NEGATIVE_QUANTITY',
  'HUGE_QUANTITY',
  'BLANK_PARTNUMBER',
  'BLANK_SITE',
  'BAD_DATES',
  'SCIENTIFIC_PARTNUMBER',
] as const;
export type PreviewIssueCode = (typeof PREVIEW_ISSUE_CODES)[number];

/** The parts file's number columns (their values are checked and reported by column). */
export const PARTS_VALUE_COLUMNS = [
  'lead_time_days',
  'lead_time_periods',
  'unit_cost',
  'service_level',
  'min_service_level',
  'review_periods',
  'on_hand',
  'on_order',
  'moq',
  'order_multiple',
] as const;
export type PartsValueColumn = (typeof PARTS_VALUE_COLUMNS)[number];

/**
 * What reading the parts file reports (params: `count`; PARTS_BAD_VALUE `column`, one of PARTS_VALUE_COLUMNS;
 * PARTS_UNCOVERED `covered` and `total`). Examples are "line N: value" or a part (@ site) as written.
 */
const PARTS_NOTICE_CODES = [
  'PARTS_BAD_VALUE',
  'PARTS_BLANK_PART',
  'PARTS_DUPLICATE',
  'PARTS_UNKNOWN',
  'PARTS_UNCOVERED',
] as const;

/**
 * A job's warnings as codes and values (metrics.notices): the preview's problems, plus what reading the file
 * decided. `message` is the English warning it stands for, so a page shows the warnings without a notice as
 * written (the parts file's, an older job's).
 */
export const NOTICE_CODES = [
  ...PREVIEW_ISSUE_CODES,
  'DATES_AMBIGUOUS',
  'FREQUENCY_OVERRIDE',
  'TRAIN_CUTOFF',
  'DUPLICATES_SUMMED',
  ...PARTS_NOTICE_CODES,
  // stock_budget_by_site names sites the plan has none of (params: count; examples: the sites)
  'PLAN_UNKNOWN_SITES',
  /** params: `count` (overrides applied to the job's series), `missing` (parts they name the job lacks) */
  'OVERRIDES_APPLIED',
] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

/**
 * params: `count`, `order` (DMY/MDY/YMD), `detected`/`requested` (D/W/M), `from`/`last` (YYYY-MM-DD), `max`;
 * examples: as a preview issue's.
 */
export interface Notice {
  code: NoticeCode;
  params: Record<string, string | number>;
  examples?: string[];
  message: string;
}

/** Adds a warning and the notice that stands for it. */
export function addNotice(to: { warnings: string[]; notices: Notice[] }, notice: Notice): void {
  to.warnings.push(notice.message);
  to.notices.push(notice);
}

/** What an example of an empty cell says. */
export const BLANK_EXAMPLE = '(blank)';
const EXAMPLE = /^line (\d+)(?:: (.*)| \(part (.*)\))?$/s;

/**
 * An example of a preview problem as the parser writes it ("line 12: \"abc\"", "line 3 (part X)", "line 4"),
 * read back as the line and the value or part found there (data); null for a plain value (a date text).
 */
export function parseExample(text: string): { line: number; value?: string; part?: string } | null {
  const m = EXAMPLE.exec(text);
  if (!m) return null;
  return { line: Number(m[1]), ...(m[2] != null ? { value: m[2] } : {}), ...(m[3] != null ? { part: m[3] } : {}) };
}

/** How the note about ambiguous dates starts (pages word `date_order_ambiguous` instead). */
export const AMBIGUOUS_DATES_NOTE = 'Dates are ambiguous';

export interface PreviewIssue {
  code: PreviewIssueCode;
  /** English, for API users and the CLI; pages word `code` with `count` and `params`. */
  message: string;
  count: number;
  examples: string[];
  params: Record<string, string | number>;
}
