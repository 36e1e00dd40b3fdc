/**
 * The exceptions worklist of a completed job (GET /api/jobs/:id/exceptions): one row per series and reason,
 * ranked by money at stake. The tracking's codes need actuals; STOCKOUT_RISK, EXCESS and DEAD_STOCK come from
 * the plan and the stock in the parts file alone. Each row says why in the request's language (id or en,
 * chosen as the pages choose theirs). No Node imports: the client bundles this file.
 */
import { z } from 'zod';
import { TRACKING_EXCEPTIONS } from './tracking.js';

export const WORKLIST_CODES = [...TRACKING_EXCEPTIONS, 'STOCKOUT_RISK', 'EXCESS', 'DEAD_STOCK'] as const;
export type WorklistCode = (typeof WORKLIST_CODES)[number];

export const LANGS = ['id', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The language of a request as the pages pick theirs (client/src/lib/i18n/translate.ts detectLang): an
 * explicit choice, else the first of the browser's languages that is Indonesian (id, in, ms) or English,
 * else Indonesian.
 */
export function pickLang(chosen: string | undefined, acceptLanguage: string | undefined): Lang {
  if (chosen === 'id' || chosen === 'en') return chosen;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const base = part.trim().split(';')[0].toLowerCase().split('-')[0];
    if (base === 'id' || base === 'in' || base === 'ms') return 'id';
    if (base === 'en') return 'en';
  }
  return 'id';
}

/** GET /api/jobs/:id/exceptions */
export const worklistQuerySchema = z.object({
  /** json (a page), csv or xlsx (every row that passes the filters) */
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  /** the reasons' language; else from Accept-Language, as the pages choose */
  lang: z.enum(LANGS).optional(),
  code: z.enum(WORKLIST_CODES).optional(),
  site_code: z.string().trim().max(200).optional().default(''),
  /** part number or site substring, case-insensitive */
  q: z.string().trim().max(100).optional().default(''),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
});
export type WorklistQuery = z.infer<typeof worklistQuerySchema>;

export interface WorklistRow {
  partnumber: string;
  site_code: string;
  demand_class: string;
  code: WorklistCode;
  /** the units at stake (see WORKLIST_UNITS) */
  units: number;
  unit_cost: number | null;
  /** units × unit_cost; null without a cost */
  value: number | null;
  /** what ranks the list: value, or units where there is no cost */
  stake: number;
  reason: string;
}

/** What the units of each code count. */
export const WORKLIST_UNITS: Readonly<Record<WorklistCode, string>> = {
  DEMAND_ABOVE_PLAN: 'demand over the protection interval above order_up_to',
  BIAS_DRIFT: '|forecast − actual| over the periods covered',
  NEW_PART: 'the actual demand',
  STOPPED_SELLING: 'stock on hand, else order_up_to, else the forecast over the periods covered',
  STOCKOUT_RISK: 'the median lead-time demand (ltd_q50) less on hand and on order',
  EXCESS: 'on hand above order_up_to',
  DEAD_STOCK: 'on hand',
};

export interface WorklistDto {
  /** none: nothing to judge the plan by (no actuals, and no stock on hand in the parts file) */
  state: 'none' | 'ready';
  has_actuals: boolean;
  has_stock: boolean;
  lang: Lang;
  /** rows per code over the whole list (before the filters) */
  counts: Record<WorklistCode, number>;
  total: number;
  page: number;
  page_size: number;
  rows: WorklistRow[];
}

/** The downloads' columns, in order (CSV headers as written; XLSX headers in the request's language). */
export const WORKLIST_COLUMNS = [
  'partnumber',
  'site_code',
  'demand_class',
  'code',
  'units',
  'unit_cost',
  'value',
  'stake',
  'reason',
] as const satisfies readonly (keyof WorklistRow)[];

export const WORKLIST_HEADERS: Readonly<Record<Lang, Record<(typeof WORKLIST_COLUMNS)[number], string>>> = {
  en: {
    partnumber: 'Part number',
    site_code: 'Site',
    demand_class: 'Demand class',
    code: 'Exception',
    units: 'Units at stake',
    unit_cost: 'Unit cost',
    value: 'Value at stake',
    stake: 'Rank (value, else units)',
    reason: 'Reason',
  },
  id: {
    partnumber: 'Nomor part',
    site_code: 'Lokasi',
    demand_class: 'Kelas permintaan',
    code: 'Pengecualian',
    units: 'Unit terdampak',
    unit_cost: 'Biaya per unit',
    value: 'Nilai terdampak',
    stake: 'Peringkat (nilai, atau unit)',
    reason: 'Alasan',
  },
};

/** The figures a reason is worded from (those its code uses are set). */
export interface ReasonFigures {
  units: number;
  /** periods covered by the actuals, and the forecast and actual totals over them */
  periods?: number;
  forecast?: number;
  actual?: number;
  tracking_signal?: number;
  protection_periods?: number;
  actual_over_p?: number;
  order_up_to?: number;
  on_hand?: number;
  on_order?: number;
  ltd_q50?: number;
  ltd_mean?: number;
  /** periods since the last demand (null: none in the history) */
  periods_since_demand?: number | null;
}

const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-US' };

/** A reason for a row, in `lang`. */
export function reasonOf(lang: Lang, code: WorklistCode, f: ReasonFigures): string {
  const fmt = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 });
  const n = (x: number | null | undefined) => fmt.format(x ?? 0);
  const en = lang === 'en';
  switch (code) {
    case 'DEMAND_ABOVE_PLAN':
      return en
        ? `Demand over the ${n(f.protection_periods)}-period protection interval was ${n(f.actual_over_p)}, above the order-up-to level of ${n(f.order_up_to)} (${n(f.units)} units short).`
        : `Permintaan selama ${n(f.protection_periods)} periode perlindungan ${n(f.actual_over_p)}, di atas level order-up-to ${n(f.order_up_to)} (kurang ${n(f.units)} unit).`;
    case 'BIAS_DRIFT': {
      const low = (f.tracking_signal ?? 0) > 0;
      return en
        ? `Tracking signal ${n(f.tracking_signal)}: forecast ${n(f.forecast)} against ${n(f.actual)} actual over ${n(f.periods)} periods; the forecast runs ${low ? 'low' : 'high'}.`
        : `Sinyal pelacakan ${n(f.tracking_signal)}: prakiraan ${n(f.forecast)} dibanding realisasi ${n(f.actual)} selama ${n(f.periods)} periode; prakiraan terlalu ${low ? 'rendah' : 'tinggi'}.`;
    }
    case 'NEW_PART':
      return en
        ? `${n(f.actual)} units demanded over ${n(f.periods)} periods for a part with no history in this job.`
        : `${n(f.actual)} unit diminta selama ${n(f.periods)} periode untuk part tanpa riwayat di job ini.`;
    case 'STOPPED_SELLING':
      return en
        ? `No demand over ${n(f.periods)} periods where the forecast expected ${n(f.forecast)}.`
        : `Tidak ada permintaan selama ${n(f.periods)} periode padahal prakiraan ${n(f.forecast)}.`;
    case 'STOCKOUT_RISK':
      return en
        ? `On hand ${n(f.on_hand)} plus on order ${n(f.on_order)} is below the median lead-time demand of ${n(f.ltd_q50)}.`
        : `Stok ${n(f.on_hand)} ditambah dalam pesanan ${n(f.on_order)} di bawah median permintaan selama lead time ${n(f.ltd_q50)}.`;
    case 'EXCESS':
      return en
        ? `On hand ${n(f.on_hand)} is above the order-up-to level of ${n(f.order_up_to)} by more than a lead time's mean demand (${n(f.ltd_mean)}).`
        : `Stok ${n(f.on_hand)} melebihi level order-up-to ${n(f.order_up_to)} lebih dari rata-rata permintaan selama lead time (${n(f.ltd_mean)}).`;
    case 'DEAD_STOCK':
      if (f.periods_since_demand === null || f.periods_since_demand === undefined)
        return en
          ? `${n(f.on_hand)} on hand and no demand anywhere in the history.`
          : `${n(f.on_hand)} di stok dan tidak ada permintaan sama sekali dalam riwayat.`;
      return en
        ? `${n(f.on_hand)} on hand and no demand for ${n(f.periods_since_demand)} periods (a year or more).`
        : `${n(f.on_hand)} di stok dan tidak ada permintaan selama ${n(f.periods_since_demand)} periode (setahun atau lebih).`;
  }
}
