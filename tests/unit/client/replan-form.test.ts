/** The Inventory view's re-plan form: follows the job's settings until edited, checks its fields, submits. */
import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { ReplanDto, ReplanInput } from '../../../server/contract/inventory.js';
import { ReplanForm, type ReplanApi } from '../../../client/src/lib/replan.svelte.js';
import type { Result } from '../../../client/src/lib/result.js';

class FakeApi implements ReplanApi {
  sent: ReplanInput[] = [];
  answer: Result<ReplanDto> = {
    ok: true,
    data: {
      id: 'j',
      service_level: 0.99,
      lead_time_days: 30,
      review_periods: 1,
      plan_mode: 'service_level',
      stock_budget: null,
      target_fill_rate: null,
      expected_fill_rate: 0.93,
      stock_value: 100,
      rows: 3,
      overridden: 0,
      seconds: 0.2,
    },
  };
  async replan(_id: string, body: ReplanInput) {
    this.sent.push(body);
    return this.answer;
  }
}

describe('ReplanForm', () => {
  it('plans by a budget or a fill-rate target: follows the job, checks the figure as the server does, sends it', async () => {
    const api = new FakeApi();
    const f = new ReplanForm(api, 'j', async () => undefined);
    f.follow({ service_level: 0.95, plan_mode: 'fill_rate', target_fill_rate: 0.975 });
    expect([f.mode, f.fillRate]).toEqual(['fill_rate', '97.5']);
    for (const [v, problem] of [
      ['49', 'replan.bad.fill'],
      ['', 'replan.bad.fill'],
      ['99.95', 'replan.bad.fill'],
      ['50', null],
      ['99.9', null],
    ] as const) {
      f.edit('fillRate', v);
      expect(f.problem, v).toBe(problem);
    }
    f.edit('mode', 'budget');
    for (const [v, problem] of [
      ['', 'replan.bad.budget'],
      ['0', 'replan.bad.budget'],
      ['-5', 'replan.bad.budget'],
      ['1e16', 'replan.bad.budget'],
      ['2500.5', null],
    ] as const) {
      f.edit('budget', v);
      expect(f.problem, v).toBe(problem);
    }
    expect(await f.submit()).toBe(true);
    expect(api.sent[0]).toMatchObject({ plan_mode: 'budget', stock_budget: 2500.5 });
    expect(api.sent[0]).not.toHaveProperty('target_fill_rate');
    f.edit('mode', 'fill_rate');
    f.edit('fillRate', '96.5');
    await f.submit();
    expect(api.sent[1]).toMatchObject({ plan_mode: 'fill_rate', target_fill_rate: 0.965 });
    expect(api.sent[1]).not.toHaveProperty('stock_budget');
  });

  it('follows the job settings until the planner edits a field, then sends numbers and reloads', async () => {
    const api = new FakeApi();
    let reloads = 0;
    const f = new ReplanForm(api, 'j', async () => void reloads++);
    f.follow({ service_level: 0.9, lead_time_days: 14, review_periods: 2 });
    expect([f.level, f.leadDays, f.review]).toEqual([0.9, '14', '2']);
    f.edit('level', '0.99');
    f.follow({ service_level: 0.8 }); // a push while editing does not overwrite the planner's choice
    expect(f.level).toBe(0.99);
    expect(await f.submit()).toBe(true);
    expect(api.sent).toEqual([
      { service_level: 0.99, lead_time_days: 14, review_periods: 2, plan_mode: 'service_level' },
    ]);
    expect(reloads).toBe(1);
    expect(f.last?.rows).toBe(3);
    f.follow({ service_level: 0.8 }); // after a re-plan it follows again
    expect(f.level).toBe(0.8);
  });

  it('offers the usual levels plus the job’s own, and names what is wrong', () => {
    const f = new ReplanForm(new FakeApi(), 'j', async () => undefined);
    f.follow({ service_level: 0.975 });
    expect(f.levels).toEqual([0.8, 0.9, 0.95, 0.975, 0.98, 0.99]);
    expect(f.problem).toBeNull();
    for (const [lead, review, problem] of [
      ['-1', '1', 'replan.bad.lead'],
      ['', '1', 'replan.bad.lead'],
      ['4000', '1', 'replan.bad.lead'],
      ['7', '1.5', 'replan.bad.review'],
      ['7', '', 'replan.bad.review'],
      ['7.5', '0', null],
    ] as const) {
      f.edit('leadDays', lead);
      f.edit('review', review);
      expect(f.problem, `${lead}/${review}`).toBe(problem);
    }
  });

  it('keeps the server’s error and does not reload', async () => {
    const api = new FakeApi();
    api.answer = { ok: false, error: { code: 'REPLAN_BUSY', message: 'busy' } };
    let reloads = 0;
    const f = new ReplanForm(api, 'j', async () => void reloads++);
    expect(await f.submit()).toBe(false);
    expect(f.error?.code).toBe('REPLAN_BUSY');
    expect(f.busy).toBe(false);
    expect(reloads).toBe(0);
  });
});
