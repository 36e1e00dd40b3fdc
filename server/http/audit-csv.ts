/**
 * GET /api/audit.csv: the whole filtered audit trail as CSV, page by page (a long trail never sits in
 * memory). Every cell is text a person or an upload chose (user names of failed sign-ins, file
 * names), so each goes through the engine's formula-injection guard.
 */
import type { Response } from 'express';
import { csvTextLine } from '../forecast/index.js';
import type { AuditFilter } from '../auth/auth.repo.js';
import type { AuthService } from '../auth/auth.service.js';
import { drained } from './table-csv.js';

const PAGE = 500;
const COLUMNS = ['id', 'at', 'username', 'action', 'job_id', 'detail', 'ip'] as const;

export async function sendAuditCsv(
  auth: AuthService,
  filter: Omit<AuditFilter, 'page' | 'page_size'>,
  res: Response,
): Promise<void> {
  res.type('text/csv; charset=utf-8');
  res.set('Cache-Control', 'private, no-store');
  res.attachment(`sparecast-audit-${new Date().toISOString().slice(0, 10)}.csv`);
  res.write(`${COLUMNS.join(',')}\n`);
  // Newest first by id; an entry added meanwhile shifts the pages by one, so ids already sent are skipped.
  let below = Number.POSITIVE_INFINITY;
  for (let page = 1; !res.destroyed; page++) {
    const { entries } = await auth.listAudit({ ...filter, page, page_size: PAGE });
    const fresh = entries.filter((e) => e.id < below);
    if (fresh.length) below = fresh[fresh.length - 1].id;
    const text = fresh.map((e) => `${csvTextLine(COLUMNS.map((c) => String(e[c] ?? '')))}\n`).join('');
    if (text && !res.write(text)) await drained(res);
    if (entries.length < PAGE) break;
  }
  res.end();
}
