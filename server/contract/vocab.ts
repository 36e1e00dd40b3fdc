/**
 * Closed value sets the engine writes into results and the pages word: demand classes, the method labels a
 * series can get, and the preview's problem codes. The client keys its dictionaries by them, so a value added
 * here without words fails the typecheck.
 */
import { METHOD_NAMES } from './schemas.js';

/** Syntetos–Boylan classes (ADI × CV²), plus series without any demand. */
export const DEMAND_CLASSES = ['smooth', 'erratic', 'intermittent', 'lumpy', 'no_demand'] as const;
export type DemandClass = (typeof DEMAND_CLASSES)[number];

/** What a series' `method` says: one named method, `stack` (the learned combination), `none` (nothing to fit). */
export const OUTPUT_METHODS = [...METHOD_NAMES, 'stack', 'none'] as const;
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
