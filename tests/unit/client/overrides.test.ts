/**
 * The overrides' view logic (issue 24): the plan row's kinds, the dialog's checks in the user's words, the bad
 * lines of a refused import, the Overrides page's store and the Inventory view's override dialog against a fake
 * API (the requests they make, the answers they keep).
 */
import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type {
  OverrideDto,
  OverrideImportDto,
  OverrideListDto,
  OverrideSetDto,
} from '../../../server/contract/overrides.js';
import type { UploadFile } from '../../../client/src/lib/api.js';
import {
  overridesQuery,
  type OverrideFilters,
  type OverrideInput,
  type OverridesApi,
} from '../../../client/src/lib/overrides-api.js';
import { OverrideForm, OverridesStore } from '../../../client/src/lib/overrides.svelte.js';
import {
  draftProblem,
  importProblems,
  isKindFilter,
  overrideValueText,
  overridesForRow,
  rowOverrideKinds,
  startValue,
  type OverrideDraft,
} from '../../../client/src/lib/overrides-view.js';
import { fail, ok, type Result } from '../../../client/src/lib/result.js';

const TODAY = '2026-12-08';

function dto(id: number, over: Partial<OverrideDto> = {}): OverrideDto {
  return {
    id,
    partnumber: 'P1',
    site_code: 'A',
    kind: 'order_up_to',
    value: 12,
    reason: 'fleet contract',
    expires_on: null,
    created_by: 'pat',
    created_at: '2026-12-01T10:00:00.000Z',
    in_force: true,
    ...over,
  };
}

/** A fake /api/overrides holding a list in memory, recording the calls. */
class FakeOverridesApi implements OverridesApi {
  rows: OverrideDto[] = [];
  calls: string[] = [];
  next = 100;
  importAnswer: Result<OverrideImportDto> = ok({ filename: 'o.csv', rows: 2, replaced: 0 });
  setAnswer: ((o: OverrideInput) => Result<OverrideSetDto>) | null = null;

  list(f: OverrideFilters): Promise<Result<OverrideListDto>> {
    this.calls.push(`list ${overridesQuery(f)}`);
    const rows = this.rows.filter(
      (o) =>
        (!f.part || o.partnumber === f.part) && (!f.kind || o.kind === f.kind) && (f.include_expired || o.in_force),
    );
    return Promise.resolve(ok({ total: rows.length, overrides: rows }));
  }
  set(o: OverrideInput): Promise<Result<OverrideSetDto>> {
    this.calls.push(`set ${o.partnumber} ${o.site_code} ${o.kind} ${o.value}`);
    if (this.setAnswer) return Promise.resolve(this.setAnswer(o));
    const made = dto(this.next++, {
      partnumber: o.partnumber,
      site_code: o.site_code || null,
      kind: o.kind,
      value: Number(o.value),
      reason: o.reason,
    });
    this.rows.push(made);
    return Promise.resolve(ok({ override: made, replaced: null }));
  }
  remove(id: number): Promise<Result<OverrideDto>> {
    this.calls.push(`remove ${id}`);
    const o = this.rows.find((r) => r.id === id);
    if (!o) return Promise.resolve(fail('OVERRIDE_NOT_FOUND', `No override with id ${id}.`));
    this.rows = this.rows.filter((r) => r !== o);
    return Promise.resolve(ok(o));
  }
  importFile(file: UploadFile): Promise<Result<OverrideImportDto>> {
    this.calls.push(`import ${file.name}`);
    return Promise.resolve(this.importAnswer);
  }
}

const file = (name: string) => Object.assign(new Blob(['x']), { name }) as UploadFile;

describe('overrides view logic', () => {
  it('reads the kinds of a plan row and leaves unknown or blank ones out', () => {
    expect(rowOverrideKinds({ override_kind: '' })).toEqual([]);
    expect(rowOverrideKinds({ override_kind: 'order_up_to' })).toEqual(['order_up_to']);
    expect(rowOverrideKinds({ override_kind: 'forecast_per_period+service_level' })).toEqual([
      'forecast_per_period',
      'service_level',
    ]);
    expect(rowOverrideKinds({ override_kind: 'price+order_up_to' })).toEqual(['order_up_to']);
    expect(isKindFilter('')).toBe(true);
    expect(isKindFilter('service_level')).toBe(true);
    expect(isKindFilter('price')).toBe(false);
  });

  it('words a value per kind', () => {
    expect(overrideValueText({ kind: 'service_level', value: 0.99 }, 'en')).toBe('99%');
    expect(overrideValueText({ kind: 'service_level', value: 0.995 }, 'id')).toBe('99,5%');
    expect(overrideValueText({ kind: 'order_up_to', value: 12 }, 'en')).toBe('12');
    expect(overrideValueText({ kind: 'forecast_per_period', value: 2.5 }, 'id')).toBe('2,5');
  });

  it('finds what is wrong with the dialog before sending, as the server would', () => {
    const d: OverrideDraft = {
      partnumber: 'P1',
      site_code: 'A',
      kind: 'forecast_per_period',
      value: '2.5',
      reason: 'mine closing',
      expires_on: '',
    };
    expect(draftProblem(d, TODAY)).toBeNull();
    expect(draftProblem({ ...d, reason: 'ok' }, TODAY)).toBe('ovr.bad.reason');
    expect(draftProblem({ ...d, reason: '   ' }, TODAY)).toBe('ovr.bad.reason');
    expect(draftProblem({ ...d, value: '-1' }, TODAY)).toBe('ovr.bad.value');
    expect(draftProblem({ ...d, value: 'abc' }, TODAY)).toBe('ovr.bad.value');
    expect(draftProblem({ ...d, kind: 'order_up_to', value: '2.5' }, TODAY)).toBe('ovr.bad.whole');
    expect(draftProblem({ ...d, kind: 'service_level', value: '40' }, TODAY)).toBe('ovr.bad.level');
    expect(draftProblem({ ...d, kind: 'service_level', value: '99' }, TODAY)).toBeNull();
    expect(draftProblem({ ...d, expires_on: '2001-01-01' }, TODAY)).toBe('ovr.bad.expires');
    expect(draftProblem({ ...d, expires_on: TODAY }, TODAY)).toBeNull();
    expect(draftProblem({ ...d, partnumber: ' ' }, TODAY)).toBe('ovr.bad.part');
  });

  it('starts the value from what the plan has now', () => {
    const row = { order_up_to: 7, ltd_mean: 6, lead_time_periods: 2, review_periods: 1, service_level: 0.95 };
    expect(startValue('order_up_to', row)).toBe('7');
    expect(startValue('service_level', row)).toBe('95');
    expect(startValue('forecast_per_period', row)).toBe('2');
  });

  it('names each bad line of a refused file', () => {
    const m =
      '3 rows of the overrides file are not valid, so none was imported: line 3: value must not be negative; ' +
      'line 4: reason is required: 3 to 500 characters saying why; line 6: kind must be one of a, b; and 2 more.';
    expect(importProblems(m)).toEqual([
      'line 3: value must not be negative',
      'line 4: reason is required: 3 to 500 characters saying why',
      'line 6: kind must be one of a, b',
      'and 2 more',
    ]);
    expect(importProblems('The overrides file has no header line.')).toEqual([]);
  });

  it('keeps the overrides of a row: its site and every site, not another site or part', () => {
    const list = [dto(1), dto(2, { site_code: null }), dto(3, { site_code: 'B' }), dto(4, { partnumber: 'P2' })];
    expect(overridesForRow(list, { partnumber: 'P1', site_code: 'A' }).map((o) => o.id)).toEqual([1, 2]);
  });

  it('asks the server with only the filters that are set', () => {
    expect(overridesQuery({ part: '', site: '', kind: '', include_expired: false })).toBe('page_size=1000');
    expect(overridesQuery({ part: ' P1 ', site: 'A', kind: 'order_up_to', include_expired: true })).toBe(
      'part=P1&site=A&kind=order_up_to&include_expired=true&page_size=1000',
    );
  });
});

describe('the Overrides page store', () => {
  it('loads under its filters, removes after a confirmation, reloads', async () => {
    const api = new FakeOverridesApi();
    api.rows = [dto(1), dto(2, { kind: 'service_level', value: 0.99 }), dto(3, { in_force: false })];
    const s = new OverridesStore(api);
    await s.load();
    expect(s.list.map((o) => o.id)).toEqual([1, 2]);
    await s.filter({ include_expired: true });
    expect(s.total).toBe(3);
    await s.filter({ kind: 'service_level' });
    expect(s.list.map((o) => o.id)).toEqual([2]);

    s.askRemove(s.list[0]!);
    expect(s.removing?.id).toBe(2);
    s.cancelRemove();
    expect(s.removing).toBeNull();
    expect(api.calls.filter((c) => c.startsWith('remove'))).toEqual([]);
    s.askRemove(s.list[0]!);
    expect(await s.confirmRemove()).toBe(true);
    expect(api.calls).toContain('remove 2');
    expect(s.list).toEqual([]);
    expect(s.removing).toBeNull();
  });

  it('shows the bad lines of a refused import, then the count of a good one', async () => {
    const api = new FakeOverridesApi();
    const s = new OverridesStore(api);
    api.importAnswer = fail(
      'OVERRIDES_FILE_INVALID',
      '2 rows of the overrides file are not valid, so none was imported: line 3: value must not be negative; line 5: x.',
    );
    expect(await s.importFile(file('bad.csv'))).toBe(false);
    expect(s.importError?.code).toBe('OVERRIDES_FILE_INVALID');
    expect(s.importLines).toEqual(['line 3: value must not be negative', 'line 5: x']);
    api.importAnswer = ok({ filename: 'good.csv', rows: 2, replaced: 1 });
    expect(await s.importFile(file('good.csv'))).toBe(true);
    expect(s.importError).toBeNull();
    expect(s.importLines).toEqual([]);
    expect(s.imported).toMatchObject({ rows: 2, replaced: 1 });
    expect(api.calls.at(-1)).toMatch(/^list /); // the list reloads after an import
  });
});

describe('the Inventory view override dialog', () => {
  const row = {
    partnumber: 'P1',
    site_code: 'A',
    order_up_to: 7,
    ltd_mean: 6,
    lead_time_periods: 2,
    review_periods: 1,
    service_level: 0.95,
  };

  it('refuses to send without a reason, sends with one, lists it and marks the plan changed', async () => {
    const api = new FakeOverridesApi();
    api.rows = [dto(1, { site_code: 'B' }), dto(2, { site_code: null, kind: 'service_level', value: 0.99 })];
    const f = new OverrideForm(api, () => TODAY);
    await f.start(row);
    expect(f.open).toBe(true);
    expect(f.existing.map((o) => o.id)).toEqual([2]);
    expect(f.draft).toMatchObject({ kind: 'forecast_per_period', value: '2', site_code: 'A' });

    expect(await f.submit()).toBe(false);
    expect(f.problem).toBe('ovr.bad.reason');
    expect(api.calls.filter((c) => c.startsWith('set'))).toEqual([]);

    f.setKind('order_up_to');
    expect(f.draft.value).toBe('7');
    f.draft = { ...f.draft, value: '12', reason: 'fleet contract from March' };
    expect(await f.submit()).toBe(true);
    expect(api.calls).toContain('set P1 A order_up_to 12');
    expect(f.changed).toBe(true);
    expect(f.draft.reason).toBe('');
    expect(f.existing.map((o) => o.kind)).toEqual(['service_level', 'order_up_to']);

    f.setSite(false);
    expect(f.draft.site_code).toBe('');
  });

  it('keeps the server error and removes an override', async () => {
    const api = new FakeOverridesApi();
    api.rows = [dto(1)];
    const f = new OverrideForm(api, () => TODAY);
    await f.start(row);
    api.setAnswer = () => fail('FORBIDDEN', 'planners only');
    f.draft = { ...f.draft, reason: 'a good reason' };
    expect(await f.submit()).toBe(false);
    expect(f.error?.code).toBe('FORBIDDEN');
    expect(await f.remove(f.existing[0]!)).toBe(true);
    expect(f.error).toBeNull();
    expect(f.existing).toEqual([]);
    expect(f.changed).toBe(true);
    f.close();
    expect(f.open).toBe(false);
  });
});
