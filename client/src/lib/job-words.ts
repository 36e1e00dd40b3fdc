/**
 * The server's codes and values in the user's words: a job's stage, why it failed or who stopped it, the
 * preview's problems, demand classes and methods. A code this bundle does not know shows the server's text.
 */
import type { JobDto, JobMetrics } from '$contract/dto.js';
import { JOB_FAILURE_CODES, parseCancelledBy, type JobFailureCode, type Stage } from '$contract/stages.js';
import { BLANK_EXAMPLE, parseExample, type Notice, type PreviewIssue } from '$contract/vocab.js';
import { formatDay, formatNumber } from './format.js';
import type { MessageKey } from './i18n/messages.js';
import { isMessageKey, type Params } from './i18n/translate.js';

export type Translate = (key: MessageKey, params?: Params) => string;

/** A stage's words: "Memproses site S1: menguji metode pada permintaan lalu". */
export function wordStage(t: Translate, s: Stage): string {
  switch (s.code) {
    case 'forecasting': {
      const base = t('stage.forecasting', { site: s.site ?? '' });
      return s.step ? `${base}: ${t(`step.${s.step}`)}` : base;
    }
    case 'forecasting_sites':
      return t('stage.forecasting_sites', { done: s.done ?? 0, total: s.total ?? 0 });
    default:
      return t(`stage.${s.code}`);
  }
}

/** The status line: the stage in words; a text no version wrote as a stage as it is; no stage: the status. */
export function stageWords(t: Translate, job: Pick<JobDto, 'stage' | 'stage_info' | 'status'>): string {
  const s = job.stage_info;
  if (s) return wordStage(t, s);
  return job.stage || t(`status.${job.status}`);
}

const isFailureCode = (c: string): c is JobFailureCode => (JOB_FAILURE_CODES as readonly string[]).includes(c);

/**
 * A FAILED or CANCELLED job's reason as the page shows it. `detail`: the stored English text, kept next to
 * worded codes because it names the exact values (a site, a date); null when the words already say it all.
 */
export function jobErrorWords(
  t: Translate,
  job: Pick<JobDto, 'stage' | 'stage_info' | 'status' | 'error_message'>,
): { text: string; detail: string | null } | null {
  if (!job.error_message) return null;
  if (job.status === 'CANCELLED') {
    const c = parseCancelledBy(job.error_message);
    if (c) return { text: c.by === 'user' ? t('cancel.by.user') : t('cancel.by', { name: c.name }), detail: null };
  }
  const code = job.stage_info?.error;
  if (job.status === 'FAILED' && code) {
    if (isFailureCode(code)) return { text: t(`fail.${code}`), detail: null };
    const key = `err.${code}`;
    if (isMessageKey(key)) return { text: t(key), detail: job.error_message };
  }
  return { text: job.error_message, detail: null };
}

/** Values in words: a date order or frequency code by its name, a day in the locale, numbers formatted. */
function wordParams(t: Translate, params: Record<string, string | number>, locale: string): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    const named =
      k === 'order'
        ? `order.${v}`
        : k === 'detected' || k === 'requested'
          ? `freq.${v}`
          : k === 'column'
            ? `partscol.${v}`
            : '';
    if (named && isMessageKey(named)) out[k] = t(named);
    else if (k === 'from' || k === 'last') out[k] = formatDay(String(v), locale);
    else out[k] = typeof v === 'number' ? formatNumber(v, locale, 0) : v;
  }
  return out;
}

/** One preview problem in words, its counts in the page's number format. */
export function issueWords(t: Translate, issue: PreviewIssue, locale: string): string {
  const key = `problem.${issue.code}`;
  if (!isMessageKey(key)) return issue.message;
  return t(key, wordParams(t, { ...issue.params, count: issue.count }, locale));
}

/** A problem's example: "baris 12: “abc”"; the value or part found there stays as written (data). */
export function exampleWords(t: Translate, text: string, locale: string): string {
  if (text === BLANK_EXAMPLE) return t('example.blank');
  const e = parseExample(text);
  if (!e) return text;
  const line = formatNumber(e.line, locale, 0);
  if (e.value != null)
    return t('example.value', { line, value: e.value === BLANK_EXAMPLE ? t('example.blank') : e.value });
  return e.part != null ? t('example.part', { line, part: e.part }) : t('example.line', { line });
}

/** One of a job's warnings in words; a problem of the file with its examples. */
export function noticeWords(t: Translate, n: Notice, locale: string): string {
  const key = isMessageKey(`problem.${n.code}`) ? `problem.${n.code}` : `notice.${n.code}`;
  if (!isMessageKey(key)) return n.message;
  const words = t(key, wordParams(t, n.params, locale));
  const examples = (n.examples ?? []).map((e) => exampleWords(t, e, locale)).join(', ');
  return examples ? `${words} (${t('preview.examples')} ${examples})` : words;
}

/** A job's warnings for the metrics card: the worded notices, then any warning without one as written. */
export function metricsWarnings(t: Translate, m: Pick<JobMetrics, 'warnings' | 'notices'>, locale: string): string[] {
  const notices = m.notices ?? [];
  const worded = new Set(notices.map((n) => n.message));
  return [...notices.map((n) => noticeWords(t, n, locale)), ...m.warnings.filter((w) => !worded.has(w))];
}

/** A demand class (smooth, lumpy…) in words; an unknown one as sent. */
export const classWords = (t: Translate, cls: string): string => {
  const key = `class.${cls}`;
  return isMessageKey(key) ? t(key) : cls;
};

/** A method label (stack, sba…) in words; an unknown one as sent. */
export const methodWords = (t: Translate, method: string): string => {
  const key = `method.${method}`;
  return isMessageKey(key) ? t(key) : method;
};
