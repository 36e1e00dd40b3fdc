/**
 * The inventory plan's columns, in file order, once for the writer, the reader, the workbook and the
 * pages. Checked against PlanRowDto in both directions at compile time: a column the DTO lacks, a DTO
 * field the file lacks, or a text or optional column listed wrong fails the typecheck. No zod here:
 * worker threads import it.
 */
import type { PlanRowDto } from './inventory.js';

export const PLAN_COLUMNS = [
  'partnumber',
  'site_code',
  'demand_class',
  'lead_time_periods',
  'review_periods',
  'service_level',
  'ltd_mean',
  'ltd_q50',
  'ltd_q80',
  'ltd_q90',
  'ltd_q95',
  'ltd_q99',
  'order_up_to',
  'safety_stock',
  'unit_cost',
  'stock_value',
  'on_hand',
  'on_order',
  'suggested_order',
  'expected_fill_rate',
  'expected_units_short',
  'demand_chance',
  'periods_since_demand',
  'reorder_point',
  'order_value',
  'replaces',
  'system_ltd_mean',
  'system_order_up_to',
  'override_kind',
  'override_reason',
] as const;
export type PlanColumn = (typeof PLAN_COLUMNS)[number];

/** Columns holding text from the upload (formula-guarded when written, read back as uploaded). */
const PLAN_TEXT_COLUMNS = [
  'partnumber',
  'site_code',
  'demand_class',
  'replaces',
  'override_kind',
  'override_reason',
] as const;
/**
 * Columns left blank where an input (cost, stock) is missing or that a plan written by an older release
 * lacks (the expected fill, the chance of demand), and periods_since_demand of a part without any demand:
 * null in the DTO.
 */
export const PLAN_OPTIONAL_COLUMNS = [
  'unit_cost',
  'stock_value',
  'on_hand',
  'on_order',
  'suggested_order',
  'expected_fill_rate',
  'expected_units_short',
  'demand_chance',
  'periods_since_demand',
  'reorder_point',
  'order_value',
  'system_ltd_mean',
  'system_order_up_to',
] as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type TextKeys = { [K in keyof PlanRowDto]: PlanRowDto[K] extends string ? K : never }[keyof PlanRowDto];
type OptionalKeys = { [K in keyof PlanRowDto]: null extends PlanRowDto[K] ? K : never }[keyof PlanRowDto];

// Compile-time checks, both directions.
export const PLAN_COLUMNS_MATCH_DTO: Same<PlanColumn, keyof PlanRowDto> = true;
export const PLAN_TEXT_COLUMNS_MATCH_DTO: Same<(typeof PLAN_TEXT_COLUMNS)[number], TextKeys> = true;
export const PLAN_OPTIONAL_COLUMNS_MATCH_DTO: Same<(typeof PLAN_OPTIONAL_COLUMNS)[number], OptionalKeys> = true;

const TEXT: ReadonlySet<string> = new Set(PLAN_TEXT_COLUMNS);
export const isPlanTextColumn = (c: PlanColumn): c is (typeof PLAN_TEXT_COLUMNS)[number] => TEXT.has(c);
