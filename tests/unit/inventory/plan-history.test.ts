/** The plan's history buffer is reused across a partition's series: each must see only its own demand. */
import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../../../server/forecast/context.js';
import { firstDemandHistory, seriesOf } from '../../../server/forecast/series/dense.js';
import type { SiteSeries } from '../../../server/forecast/series/group.js';

// three series: a long one, a short one after it (stale values would show past its end), one with no rows
const data: SiteSeries = {
  site: 'S1',
  parts: ['long', 'short', 'none'],
  off: Int32Array.from([0, 4, 6, 6]),
  per: Int32Array.from([2, 5, 5, 30, 37, 39]),
  qty: Float64Array.from([1, 2, 3, 4, 5, 6]),
};
const ctx = {
  freq: 'D',
  anchor: 0,
  fileStart: 0,
  trainEnd: 40,
  fcStart: 41,
  warnings: [],
  seriesStart: 'auto',
  selection: 'stack',
  lifePeriods: 1000,
} as EngineContext;

describe('firstDemandHistory', () => {
  it('equals the model history from the first demand, with one buffer for all series', () => {
    const buf = { a: new Float64Array(0) };
    for (let i = 0; i < data.parts.length; i++) {
      const sr = seriesOf(data, i, ctx);
      const want = sr ? [...sr.y.subarray(sr.fd)] : [];
      expect([...firstDemandHistory(data, i, ctx.trainEnd, buf)]).toEqual(want);
    }
    // and again after the short series dirtied the start of the buffer
    const sr = seriesOf(data, 0, ctx)!;
    expect([...firstDemandHistory(data, 0, ctx.trainEnd, buf)]).toEqual([...sr.y.subarray(sr.fd)]);
  });
});
