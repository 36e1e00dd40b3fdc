/**
 * The quality summary of the metrics card (issue 21): worded by the file's frequency, the bias stated with
 * its sign and size, and no "unbiased" while rounding moved more than a tenth of the volume.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorSummary, JobMetrics } from '../../../server/contract/dto.js';
import { describeMetrics } from '../../../client/src/lib/metrics-words.js';
import { translate, type Lang } from '../../../client/src/lib/i18n/translate.js';

const err = (bias_pct: number | null): ErrorSummary => ({ rmsse: 0.59, mase: 0.69, mae: 0.6, rmse: 1, bias_pct });
const metrics = (over: Partial<JobMetrics>): JobMetrics => ({
  chosen: err(2),
  naive: { ...err(0), rmsse: 0.9, mase: 1 },
  sba: { ...err(0), rmsse: 0.62, mase: 0.7 },
  series: 2674,
  scored_series: 2500,
  classes: {},
  methods: {},
  frequency: 'M',
  horizon: 30,
  warnings: [],
  seconds: 1,
  ...over,
});
const words = (m: JobMetrics, lang: Lang, rounding?: Parameters<typeof describeMetrics>[1]) =>
  describeMetrics(m, rounding).map((s) => ({ text: translate(lang, s.key, s.params), tone: s.tone }));
const says = (m: JobMetrics, rounding?: Parameters<typeof describeMetrics>[1]) =>
  (['en', 'id'] as const).flatMap((l) => words(m, l, rounding));

describe('the quality summary (issue 21)', () => {
  it('monthly carparts at the default horizon: the 57.5 % bias is said, rounding words are monthly', () => {
    // the job before cumulative rounding: bias 57.46 %, rounding half_up kept 20,790 of 26,876
    const m = metrics({ chosen: err(57.46), forecast_total: { model: 26875.86, rounded: 20790 } });
    const en = words(m, 'en', 'half_up');
    const id = words(m, 'id', 'half_up');
    expect(en.some((s) => /months.*57% too high/.test(s.text) && s.tone === 'bad')).toBe(true);
    expect(id.some((s) => /bulan.*57% terlalu tinggi/.test(s.text))).toBe(true);
    expect(en.some((s) => /removes 23%.*monthly means/.test(s.text))).toBe(true);
    expect(id.some((s) => /menghapus 23%.*rata-rata bulanan/.test(s.text))).toBe(true);
    for (const s of [...en, ...id]) {
      expect(s.text).not.toMatch(/daily|harian|weekly or monthly|mingguan atau bulanan/);
      expect(s.text).not.toMatch(/\{\w+\}/);
    }
  });
  it('monthly carparts at horizon 12: rounding removed 19 %, so nothing calls the forecast unbiased', () => {
    const m = metrics({ horizon: 12, chosen: err(2.75), forecast_total: { model: 10772.84, rounded: 8787 } });
    const all = says(m, 'half_up');
    expect(all.some((s) => s.tone === 'good' && /neither systematically|tidak condong/.test(s.text))).toBe(false);
    expect(all.filter((s) => /removes 18%|menghapus 18%/.test(s.text))).toHaveLength(2);
    // with the volume kept, the same bias is called unbiased
    const kept = says({ ...m, forecast_total: { model: 10772.84, rounded: 10730 } }, 'cumulative');
    expect(kept.filter((s) => /neither systematically|tidak condong/.test(s.text))).toHaveLength(2);
  });
  it('states the bias with its sign and size whenever it passes 10 %, whatever rounding did', () => {
    for (const f of ['D', 'W', 'M'] as const)
      for (const bias of [-40, -11, 12, 90]) {
        const lost = { model: 100, rounded: 10 }; // rounding took 90 % of the volume as well
        const en = words(metrics({ frequency: f, chosen: err(bias), forecast_total: lost }), 'en', 'half_up');
        const unit = { D: 'days', W: 'weeks', M: 'months' }[f];
        const lean = bias > 0 ? 'too high' : 'too low';
        expect(
          en.filter((s) => s.text.includes(`${unit} at the end`) && s.text.includes(`${Math.abs(bias)}% ${lean}`)),
        ).toHaveLength(1);
        const means = { D: 'daily', W: 'weekly', M: 'monthly' }[f];
        expect(en.some((s) => s.text.includes(`${means} means`))).toBe(true);
      }
  });
  it('with cumulative rounding a short horizon says why whole numbers fall short, not "round each period"', () => {
    const m = metrics({ frequency: 'D', horizon: 7, chosen: err(-3), forecast_total: { model: 481.8, rounded: 349 } });
    const en = words(m, 'en', 'cumulative').map((s) => s.text);
    expect(en.some((s) => /28% less.*less than half a part/.test(s))).toBe(true);
    expect(en.some((s) => /Keep the running total|neither systematically/.test(s))).toBe(false);
    // an unscored job still hears about its volume
    const unscored = describeMetrics({ ...m, scored_series: 0 }, 'cumulative').map((s) => s.key);
    expect(unscored).toEqual(['metrics.unscored', 'metrics.rounding.short']);
  });
});
