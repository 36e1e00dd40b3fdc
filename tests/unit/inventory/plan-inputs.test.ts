/** The re-plan inputs lines: exact round trip of history and forecast, and damaged lines refused. */
import { describe, expect, it } from 'vitest';
import {
  parsePlanInputsHeader,
  parsePlanInputsLine,
  planInputsLine,
} from '../../../server/forecast/output/plan-inputs.js';

describe('plan inputs lines', () => {
  it('give back the dense history (leading and inner zeros) and every forecast double exactly', () => {
    const history = Float64Array.from([0, 3, 0, 0, 0.1 + 0.2, 1e-17, 0]);
    const forecast = Float64Array.from([1 / 3, 0.123456789012345, -0, 2 ** -40]);
    const key = { partnumber: '=HYPERLINK("x")\n,"', site: 'A,B', demandClass: 'lumpy' };
    const line = planInputsLine(key, history, forecast);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const back = parsePlanInputsLine(line.trimEnd());
    expect(back).toMatchObject({ partnumber: key.partnumber, site: key.site, demandClass: 'lumpy' });
    expect([...back.history]).toEqual([...history]);
    expect([...back.forecast]).toEqual([...forecast]);
    expect(Object.is(back.forecast[2], -0)).toBe(true); // the very bits
  });

  it('refuse damaged lines and headers of another kind', () => {
    for (const bad of [
      '[',
      '{}',
      '["p","s","c",2,[5],[1],""]',
      '["p","s","c",2,[0],[],""]',
      '[1,"s","c",0,[],[],""]',
      '["p","s","c",0,[],[],"AAA="]',
    ])
      expect(() => parsePlanInputsLine(bad), bad).toThrow(/damaged|JSON/);
    expect(() => parsePlanInputsHeader('{"kind":"other","v":1}')).toThrow(/not a plan inputs file/);
    expect(() => parsePlanInputsHeader('not json')).toThrow(/header is not JSON/);
  });
});
