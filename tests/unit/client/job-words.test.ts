/**
 * Issue 13 item 8: every code the server sends has words in id and en, old English stages read as codes,
 * and a stopped or failed job, a preview problem and the chart's dates are worded in the page's language.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { axisDays, chartDay } from '../../../client/src/lib/chart-dates.js';
import { en, id } from '../../../client/src/lib/i18n/messages.js';
import { isMessageKey, translate, type Lang, type Params } from '../../../client/src/lib/i18n/translate.js';
import {
  classWords,
  issueWords,
  jobErrorWords,
  methodWords,
  stageWords,
  type Translate,
} from '../../../client/src/lib/job-words.js';
import {
  ENGINE_STEPS,
  JOB_FAILURE_CODES,
  parseStage,
  STAGE_CODES,
  stageSchema,
  stageText,
  type Stage,
} from '../../../server/contract/stages.js';
import { DEMAND_CLASSES, OUTPUT_METHODS, PREVIEW_ISSUE_CODES } from '../../../server/contract/vocab.js';
import { previewDemand } from '../../../server/forecast/index.js';
import type { MessageKey } from '../../../client/src/lib/i18n/messages.js';

const tr =
  (lang: Lang): Translate =>
  (key: MessageKey, params?: Params) =>
    translate(lang, key, params);
const t = tr('id');

describe('words for every code of the contract', () => {
  const keys = [
    ...STAGE_CODES.map((c) => `stage.${c}`),
    ...ENGINE_STEPS.map((c) => `step.${c}`),
    ...JOB_FAILURE_CODES.map((c) => `fail.${c}`),
    ...PREVIEW_ISSUE_CODES.map((c) => `problem.${c}`),
    ...DEMAND_CLASSES.map((c) => `class.${c}`),
    ...OUTPUT_METHODS.map((c) => `method.${c}`),
  ];
  it.each(keys)('%s has id and en words', (key) => {
    expect(isMessageKey(key)).toBe(true);
    const k = key as MessageKey;
    expect(en[k].length).toBeGreaterThan(0);
    expect(id[k].length).toBeGreaterThan(0);
  });

  it('the words of stages, steps, problems and classes are Indonesian, not the English', () => {
    const worded = keys.filter((k) => !k.startsWith('method.')) as MessageKey[];
    for (const k of worded) expect(id[k], k).not.toBe(en[k]);
    // methods keep their abbreviation where there is no translation, but the words have one
    for (const m of ['naive', 'ma', 'mean', 'ses', 'stack', 'comb', 'none'] as const)
      expect(methodWords(t, m)).not.toBe(methodWords(tr('en'), m));
  });
});

describe('stages', () => {
  const samples: Stage[] = [
    ...STAGE_CODES.filter((c) => c !== 'forecasting' && c !== 'forecasting_sites').map((code) => ({ code })),
    { code: 'forecasting', site: 'IEL-MU-SFI' },
    ...ENGINE_STEPS.map((step) => ({ code: 'forecasting' as const, site: 'S 1', step })),
    { code: 'forecasting_sites', done: 3, total: 13 },
    { code: 'failed', error: 'UNKNOWN_SITES' },
    ...JOB_FAILURE_CODES.map((error) => ({ code: 'failed' as const, error })),
  ];
  it.each(samples)('the text written for %o reads back as the same codes', (s) => {
    expect(stageSchema.parse(s)).toEqual(s);
    expect(parseStage(stageText(s))).toEqual(s);
  });

  it('reads the English of rows written before codes; other text stays as it is', () => {
    expect(parseStage('reading file')).toEqual({ code: 'reading' });
    expect(parseStage('requeued (server shutdown)')).toEqual({ code: 'requeued_shutdown' });
    expect(parseStage('forecasting S1: backtesting')).toEqual({ code: 'forecasting', site: 'S1', step: 'backtesting' });
    expect(parseStage('failed: NOT_A_CODE')).toEqual({ code: 'failed' });
    expect(parseStage('x')).toBeNull();
    const job = { status: 'PROCESSING' as const, stage_info: null };
    expect(stageWords(t, { ...job, stage: 'something new' })).toBe('something new');
    expect(stageWords(t, { ...job, stage: '' })).toBe('Diproses');
  });

  it('words the status line in the page language', () => {
    const w = (stage: string, lang: Lang = 'id') =>
      stageWords(tr(lang), { status: 'PROCESSING', stage, stage_info: parseStage(stage) });
    expect(w('forecasting S1: backtesting')).toBe('Memproses site S1: menguji metode pada permintaan lalu');
    expect(w('forecasting (3/13 sites)')).toBe('Memproses: 3 dari 13 site selesai');
    expect(w('completed')).toBe('Selesai');
    expect(w('cancelled')).toBe('Dihentikan');
    expect(w('cancelled', 'en')).toBe('Stopped');
  });
});

describe('why a job stopped', () => {
  const job = (status: 'FAILED' | 'CANCELLED', error_message: string, stage: string) => ({
    status,
    error_message,
    stage,
    stage_info: parseStage(stage),
  });
  it('the stored "Cancelled by …" in the user’s language', () => {
    expect(jobErrorWords(t, job('CANCELLED', 'Cancelled by planner1', 'cancelled'))).toEqual({
      text: 'Dihentikan oleh planner1',
      detail: null,
    });
    expect(jobErrorWords(t, job('CANCELLED', 'Cancelled by user', 'cancelled'))!.text).toBe('Dihentikan oleh pengguna');
    expect(jobErrorWords(tr('en'), job('CANCELLED', 'Cancelled by user', 'cancelled'))!.text).toBe('Stopped by a user');
  });
  it('a failure with a code is worded, its English detail kept; one without stays as stored', () => {
    const msg = 'Site code not in the file: NOWHERE. Sites in the file: WEST.';
    expect(jobErrorWords(t, job('FAILED', msg, 'failed: UNKNOWN_SITES'))).toEqual({
      text: 'Site yang dipilih tidak ada di file.',
      detail: msg,
    });
    expect(jobErrorWords(t, job('FAILED', 'Interrupted by server restart', 'failed: INTERRUPTED'))!.detail).toBeNull();
    expect(jobErrorWords(t, job('FAILED', msg, 'failed'))).toEqual({ text: msg, detail: null });
  });
});

describe('preview problems, classes, methods and chart dates', () => {
  it('words every problem of a real preview, counts in the page’s number format', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'words-'));
    const file = path.join(dir, 'bad.csv');
    const good = Array.from({ length: 1200 }, (_, i) => `2025-01-${String((i % 28) + 1).padStart(2, '0')},P${i},S1,1`);
    const bad = [
      '2025-01-01,A,S1,abc',
      '2025-01-02,A,S1,-3',
      '2025-01-03,,S1,1',
      '2025-01-04,B,,1',
      '2025-13-45,C,S1,1',
    ];
    writeFileSync(
      file,
      ['date,partnumber,site_code,demand_qty', ...good, ...bad, '2025-01-05,1.2E+10,S1,1'].join('\n'),
    );
    const p = await previewDemand(file, 'bad.csv', { date_format: 'auto' });
    const codes = p.issues.map((i) => i.code).sort();
    expect(codes).toEqual(
      [
        'BAD_DATES',
        'BAD_QUANTITY',
        'BLANK_PARTNUMBER',
        'BLANK_SITE',
        'NEGATIVE_QUANTITY',
        'SCIENTIFIC_PARTNUMBER',
      ].sort(),
    );
    const words = p.issues.map((i) => issueWords(t, i, 'id-ID'));
    for (const w of words) expect(w).not.toMatch(/\b(rows?|with|excluded|cannot|blank|quantity|kept)\b/);
    expect(words.find((w) => w.includes('tanggal'))).toBe(
      '1 baris dengan tanggal yang tidak bisa dibaca sebagai tahun/bulan/hari; tidak dipakai',
    );
    const huge = { code: 'HUGE_QUANTITY' as const, message: '', count: 1200, examples: [], params: { max: 1e9 } };
    expect(issueWords(t, huge, 'id-ID')).toBe(
      '1.200 baris dengan jumlah di atas 1.000.000.000 (tidak masuk akal); tidak dipakai',
    );
    const unknown = { ...huge, code: 'FROM_A_NEWER_SERVER' as never, message: 'As the server says' };
    expect(issueWords(t, unknown, 'id-ID')).toBe('As the server says');
  });

  it('classes and methods in words; an unknown one as sent', () => {
    expect(classWords(t, 'lumpy')).toBe('Sporadis fluktuatif');
    expect(classWords(tr('en'), 'intermittent')).toBe('Intermittent');
    expect(methodWords(t, 'stack')).toBe('Gabungan metode berbobot');
    expect(methodWords(t, 'sba')).toMatch(/^SBA/);
    expect(methodWords(t, 'new_one')).toBe('new_one');
  });

  it('chart dates are calendar days in the locale, with no clock time', () => {
    const sec = Date.parse('2025-03-05T00:00:00Z') / 1000;
    expect(chartDay(sec, 'id-ID')).toBe('5 Mar 2025');
    expect(chartDay(sec, 'en-GB')).toBe('5 Mar 2025');
    expect(chartDay(Date.parse('2025-08-17T00:00:00Z') / 1000, 'id-ID')).toBe('17 Agu 2025');
    expect(axisDays([sec], 30 * 86_400, 'id-ID')).toEqual(['5 Mar']);
    expect(axisDays([Date.parse('2025-05-01T00:00:00Z') / 1000], 365 * 86_400, 'id-ID')).toEqual(['Mei 2025']);
    expect(chartDay(null, 'id-ID')).toBe('—');
  });
});
