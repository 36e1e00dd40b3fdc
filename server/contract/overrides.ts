/**
 * Overrides over the wire: GET/POST /api/overrides, DELETE /api/overrides/:id, POST /api/overrides/import.
 * The rules of an override (kinds, bounds, reason) are in override-rules.ts, which the engine shares.
 */
import { z } from 'zod';
import { OVERRIDE_KINDS, type OverrideKind } from './override-rules.js';

export * from './override-rules.js';

/** One override as the API shows it. */
export interface OverrideDto {
  id: number;
  partnumber: string;
  /** null: every site of the part */
  site_code: string | null;
  kind: OverrideKind;
  /** demand per period, units, or a service level (a share) */
  value: number;
  reason: string;
  /** YYYY-MM-DD, the last day it applies; null: until removed */
  expires_on: string | null;
  /** the username of who set it (null: a single-user install, AUTH=off) */
  created_by: string | null;
  created_at: string;
  /** false once its expiry has passed (it is then shown only on request and applied nowhere) */
  in_force: boolean;
}

/** GET /api/overrides */
export interface OverrideListDto {
  total: number;
  overrides: OverrideDto[];
}

/** POST /api/overrides: the new override and the one of the same part, site and kind it replaced. */
export interface OverrideSetDto {
  override: OverrideDto;
  replaced: OverrideDto | null;
}

/** POST /api/overrides/import: the file's rows, all set at once (replacing `replaced` of them). */
export interface OverrideImportDto {
  filename: string;
  rows: number;
  replaced: number;
}

/**
 * POST /api/overrides body: the known fields only (a typo is refused); their values are checked by
 * checkOverride, whose problems have their own codes (OVERRIDE_REASON, OVERRIDE_VALUE).
 */
export const overrideBodySchema = z.strictObject({
  partnumber: z.unknown(),
  site_code: z.unknown().optional(),
  kind: z.unknown(),
  value: z.unknown(),
  reason: z.unknown().optional(),
  expires_on: z.unknown().optional(),
});

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'include_expired must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1');

/** GET /api/overrides query: exact part and site (blank site: the overrides for every site), kind, expired too. */
export const overrideListQuerySchema = z.object({
  part: z.string().trim().min(1).max(100).optional(),
  site: z.string().trim().max(100).optional(),
  kind: z.enum(OVERRIDE_KINDS, { error: `kind must be one of ${OVERRIDE_KINDS.join(', ')}` }).optional(),
  include_expired: flag,
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(200),
});
export type OverrideListQuery = z.infer<typeof overrideListQuerySchema>;

export const overrideIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
