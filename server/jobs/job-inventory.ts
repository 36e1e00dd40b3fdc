/**
 * The inventory plan of a finished job for its Inventory view: the plan CSV (written when the job completed)
 * read once per job into rows and kept for a few jobs; plan-query.ts filters, sorts, pages and totals them
 * per request. A deleted job's plan is forgotten (JobInventory.forget).
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import type { PlanRowDto } from '../contract/inventory.js';
import { PLAN_COLUMNS, readText } from '../forecast/index.js';

const CACHED_JOBS = 8;
const TEXT = new Set<string>(['partnumber', 'site_code', 'demand_class']);
const OPTIONAL = new Set<string>(['unit_cost', 'stock_value', 'on_hand', 'on_order', 'suggested_order']);

/** Reads a plan CSV as PLAN_COLUMNS rows: texts as uploaded (the write's formula guard undone), numbers. */
export async function readPlan(file: string): Promise<PlanRowDto[]> {
  const rows: PlanRowDto[] = [];
  for await (const row of planRecords(file)) rows.push(row);
  return rows;
}

/** The rows of a plan CSV one at a time (the workbook writer streams them, never holding the plan). */
export async function* planRecords(file: string): AsyncGenerator<PlanRowDto> {
  // pipeline, not pipe: a read error (the plan file gone) or an early stop destroys both streams and
  // reaches the loop below instead of an 'error' event without a listener.
  const parser = pipeline(createReadStream(file), parse({ columns: true, skip_empty_lines: true }), () => {
    /* the error (if any) is thrown by the loop below */
  });
  for await (const rec of parser as AsyncIterable<Record<string, string>>) {
    const row: Record<string, string | number | null> = {};
    for (const c of PLAN_COLUMNS) {
      const v = rec[c] ?? '';
      if (TEXT.has(c)) row[c] = readText(v);
      else if (v === '' && OPTIONAL.has(c)) row[c] = null;
      else row[c] = Number(v);
    }
    yield row as unknown as PlanRowDto;
  }
}

/** The plans of the last few jobs asked for, read once each. */
export class JobInventory {
  private readonly cache = new Map<string, Promise<PlanRowDto[]>>();

  rows(jobId: string, planFile: string): Promise<PlanRowDto[]> {
    let p = this.cache.get(jobId);
    if (p) {
      // most recently used last
      this.cache.delete(jobId);
      this.cache.set(jobId, p);
      return p;
    }
    p = readPlan(planFile);
    this.cache.set(jobId, p);
    // a failed read is not kept: the next request tries again
    p.catch(() => this.cache.get(jobId) === p && this.cache.delete(jobId));
    while (this.cache.size > CACHED_JOBS) this.cache.delete(this.cache.keys().next().value!);
    return p;
  }

  forget(jobId: string): void {
    this.cache.delete(jobId);
  }

  get size(): number {
    return this.cache.size;
  }
}
