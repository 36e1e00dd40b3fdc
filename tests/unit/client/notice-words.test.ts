/**
 * Issue 13 item 8: a job's warnings (metrics.warnings) come with notices, codes and values the metrics card
 * words; a problem's examples ("line 12: …") are worded around the data they quote.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobConfig } from '../../../server/contract/dto.js';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { NOTICE_CODES, parseExample } from '../../../server/contract/vocab.js';
import { loadDemand, previewDemand } from '../../../server/forecast/index.js';
import { isMessageKey, translate } from '../../../client/src/lib/i18n/translate.js';
import type { MessageKey } from '../../../client/src/lib/i18n/messages.js';
import { exampleWords, metricsWarnings, noticeWords } from '../../../client/src/lib/job-words.js';

const t = (key: MessageKey, params?: Record<string, string | number>) => translate('id', key, params);
const ENGLISH = /\b(rows?|line|with|excluded|repeated|summed|blank|dates look|requested|only demand|Forecasting)\b/;

const dir = mkdtempSync(path.join(os.tmpdir(), 'notices-'));
function file(lines: string[]): string {
  const p = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(p, ['date,partnumber,site_code,demand_qty', ...lines].join('\n'));
  return p;
}
const days = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));

describe('job warnings as notices', () => {
  it('every notice stands for one warning and is worded in Indonesian', async () => {
    const good = days(120).flatMap((d, i) => [`${d},P1,S1,${(i % 3) + 1}`, `${d},P2,S1,${i % 2}`]);
    const bad = ['2025-01-03,P1,S1,1', '2025-01-04,P1,S1,abc', '2025-01-05,,S1,1', '2025-01-06,P3,,2'];
    const config: JobConfig = jobConfigSchema.parse({ frequency: 'W', forecast_start_date: '2025-04-01' });
    const p = await loadDemand(file([...good, ...bad]), 'n.csv', config);
    const notices = p.context.notices ?? [];
    expect(notices.map((n) => n.code).sort()).toEqual(
      [
        'BAD_QUANTITY',
        'BLANK_PARTNUMBER',
        'BLANK_SITE',
        'DUPLICATES_SUMMED',
        'FREQUENCY_OVERRIDE',
        'TRAIN_CUTOFF',
      ].sort(),
    );
    for (const n of notices) {
      expect(NOTICE_CODES).toContain(n.code);
      expect(p.warnings).toContain(n.message);
      const words = noticeWords(t, n, 'id-ID');
      expect(words, n.code).not.toMatch(ENGLISH);
    }
    const cut = notices.find((n) => n.code === 'TRAIN_CUTOFF')!;
    expect(noticeWords(t, cut, 'id-ID')).toMatch(/^Forecast mulai \d+ Mar 2025: hanya permintaan sebelum itu/);
    const freq = notices.find((n) => n.code === 'FREQUENCY_OVERRIDE')!;
    expect(noticeWords(t, freq, 'id-ID')).toBe(
      'Tanggal tampak harian tetapi yang diminta mingguan: permintaan dijumlahkan per periode.',
    );
    const site = notices.find((n) => n.code === 'BLANK_SITE')!;
    expect(noticeWords(t, site, 'id-ID')).toBe('1 baris tanpa kode site; tidak dipakai (mis. baris 245 (part P3))');
  });

  it('a parts file’s warnings are notices too, worded in Indonesian with their examples', async () => {
    const demand = file(days(60).flatMap((d, i) => [`${d},P1,S1,${i % 2}`, `${d},P2,S1,${i % 3}`]));
    const parts = path.join(dir, 'parts.csv');
    writeFileSync(parts, 'partnumber,site_code,lead_time_days\nP1,S1,abc\n,S1,3\nP1,S1,4\nNOPE,S1,2\n');
    const config: JobConfig = jobConfigSchema.parse({});
    const p = await loadDemand(demand, 'd.csv', config, undefined, { filePath: parts, originalName: 'parts.csv' });
    const got = (p.context.notices ?? []).filter((n) => n.code.startsWith('PARTS_'));
    expect(got.map((n) => n.code)).toEqual([
      'PARTS_BAD_VALUE',
      'PARTS_BLANK_PART',
      'PARTS_DUPLICATE',
      'PARTS_UNKNOWN',
      'PARTS_UNCOVERED',
    ]);
    for (const n of got) {
      expect(p.warnings).toContain(n.message);
      expect(noticeWords(t, n, 'id-ID'), n.code).not.toMatch(/\b(Parts file|rows?|line|were|used|series)\b/);
    }
    expect(noticeWords(t, got[0], 'id-ID')).toBe(
      'File part: 1 lead time (hari) bukan angka yang sah dan tidak dipakai; nilai bawaan job yang dipakai ' +
        '(mis. baris 2: "abc")',
    );
    expect(noticeWords(t, got[4], 'id-ID')).toBe(
      'File part mencakup 1 dari 2 seri; sisanya direncanakan dengan nilai bawaan job.',
    );
  });

  it('the card shows the worded notices and, as written, a warning without one (an older job’s)', () => {
    const n = { code: 'DUPLICATES_SUMMED' as const, params: { count: 1200 }, message: '1200 rows repeated…' };
    expect(metricsWarnings(t, { warnings: [n.message, 'Parts file: something'], notices: [n] }, 'id-ID')).toEqual([
      '1.200 baris mengulang (tanggal, part, site) yang sudah ada dan dijumlahkan ke sana.',
      'Parts file: something',
    ]);
    expect(metricsWarnings(t, { warnings: ['old English'] }, 'id-ID')).toEqual(['old English']);
  });

  it('has words for every notice code', () => {
    for (const code of NOTICE_CODES)
      expect(isMessageKey(`problem.${code}`) || isMessageKey(`notice.${code}`), code).toBe(true);
  });
});

describe('problem examples', () => {
  it('the parser’s examples read back as line and value; dates and part numbers stay as they are', async () => {
    const p = await previewDemand(
      file(['2025-01-01,A,S1,abc', '2025-01-02,A,S1,', '2025-01-03,,S1,1', '2025-01-04,B,,1', 'soon,C,S1,1']),
      'e.csv',
      { date_format: 'auto' },
    );
    const ex = Object.fromEntries(p.issues.map((i) => [i.code, i.examples]));
    expect(ex.BAD_QUANTITY!.map((e) => parseExample(e))).toEqual([
      { line: 2, value: '"abc"' },
      { line: 3, value: '(blank)' },
    ]);
    expect(ex.BAD_QUANTITY!.map((e) => exampleWords(t, e, 'id-ID'))).toEqual(['baris 2: "abc"', 'baris 3: (kosong)']);
    expect(exampleWords(t, ex.BLANK_PARTNUMBER![0]!, 'id-ID')).toBe('baris 4');
    expect(exampleWords(t, ex.BLANK_SITE![0]!, 'id-ID')).toBe('baris 5 (part B)');
    expect(ex.BAD_DATES).toEqual(['soon']);
    expect(exampleWords(t, 'soon', 'id-ID')).toBe('soon');
    expect(exampleWords(t, 'line 12000: 5', 'id-ID')).toBe('baris 12.000: 5');
  });
});
