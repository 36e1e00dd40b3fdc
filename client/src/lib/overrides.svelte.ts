/// <reference types="svelte" />
import type { OverrideDto, OverrideImportDto, OverrideSetDto } from '$contract/overrides.js';
import { todayUtc } from '$contract/override-rules.js';
import type { UploadFile } from './api.js';
import type { MessageKey } from './i18n/messages.js';
import type { OverrideFilters, OverridesApi } from './overrides-api.js';
import { draftProblem, importProblems, overridesForRow, startValue, type OverrideDraft } from './overrides-view.js';
import type { OverrideKind } from './overrides-view.js';
import type { ClientError } from './result.js';

/** The Overrides page: the list under its filters, remove (after a confirmation), and the import of a file. */
export class OverridesStore {
  filters = $state<OverrideFilters>({ part: '', site: '', kind: '', include_expired: false });
  list = $state<OverrideDto[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<ClientError | null>(null);
  /** the override a Remove is asking about (the confirmation dialog is open while set) */
  removing = $state<OverrideDto | null>(null);
  removeBusy = $state(false);
  removeError = $state<ClientError | null>(null);
  importing = $state(false);
  importError = $state<ClientError | null>(null);
  /** the refused file's bad lines, one each */
  importLines = $state<string[]>([]);
  imported = $state<OverrideImportDto | null>(null);
  private seq = 0;

  constructor(private readonly api: OverridesApi) {}

  async load(): Promise<void> {
    const n = ++this.seq;
    this.loading = true;
    const r = await this.api.list({ ...this.filters });
    if (n !== this.seq) return; // a newer filter answered first
    this.loading = false;
    if (r.ok) {
      this.list = r.data.overrides;
      this.total = r.data.total;
      this.error = null;
    } else this.error = r.error;
  }

  filter(patch: Partial<OverrideFilters>): Promise<void> {
    this.filters = { ...this.filters, ...patch };
    return this.load();
  }

  askRemove(o: OverrideDto): void {
    this.removing = o;
    this.removeError = null;
  }

  cancelRemove(): void {
    if (!this.removeBusy) this.removing = null;
  }

  async confirmRemove(): Promise<boolean> {
    const o = this.removing;
    if (!o || this.removeBusy) return false;
    this.removeBusy = true;
    const r = await this.api.remove(o.id);
    this.removeBusy = false;
    this.removing = null;
    if (!r.ok && r.error.code !== 'OVERRIDE_NOT_FOUND') {
      this.removeError = r.error;
      return false;
    }
    await this.load();
    return true;
  }

  async importFile(file: UploadFile): Promise<boolean> {
    if (this.importing) return false;
    this.importing = true;
    this.importError = null;
    this.importLines = [];
    this.imported = null;
    const r = await this.api.importFile(file);
    this.importing = false;
    if (!r.ok) {
      this.importError = r.error;
      this.importLines = importProblems(r.error.message);
      return false;
    }
    this.imported = r.data;
    await this.load();
    return true;
  }
}

/** A plan row, or what the chart knows of a series (order-up-to and service level null: no plan row). */
export interface PlanRowLike {
  partnumber: string;
  site_code: string;
  order_up_to: number | null;
  ltd_mean: number;
  lead_time_periods: number;
  review_periods: number;
  service_level: number | null;
}

/**
 * The Inventory view's override dialog for one plan row: the overrides of the part at this site (or every site)
 * with Remove, and a form to set one (kind, value, reason, expiry). After a change `changed` is true: the plan
 * shows it only once re-planned, so the view offers a re-plan.
 */
export class OverrideForm {
  row = $state<PlanRowLike | null>(null);
  draft = $state<OverrideDraft>({
    partnumber: '',
    site_code: '',
    kind: 'forecast_per_period',
    value: '',
    reason: '',
    expires_on: '',
  });
  /** this site only (false: every site of the part) */
  thisSite = $state(true);
  existing = $state<OverrideDto[]>([]);
  busy = $state(false);
  error = $state<ClientError | null>(null);
  /** the last answer of a set, shown until the dialog closes */
  saved = $state<OverrideSetDto | null>(null);
  changed = $state(false);
  /** shown once the planner tried to send a form with a problem */
  tried = $state(false);

  constructor(
    private readonly api: OverridesApi,
    private readonly today: () => string = () => todayUtc(),
  ) {}

  get open(): boolean {
    return this.row !== null;
  }

  async start(row: PlanRowLike): Promise<void> {
    this.row = row;
    this.thisSite = true;
    this.draft = {
      partnumber: row.partnumber,
      site_code: row.site_code,
      kind: 'forecast_per_period',
      value: startValue('forecast_per_period', row),
      reason: '',
      expires_on: '',
    };
    this.error = null;
    this.saved = null;
    this.changed = false;
    this.tried = false;
    this.existing = [];
    await this.refresh();
  }

  close(): void {
    if (!this.busy) this.row = null;
  }

  setKind(kind: OverrideKind): void {
    this.draft = { ...this.draft, kind, value: this.row ? startValue(kind, this.row) : '' };
  }

  setSite(thisSite: boolean): void {
    this.thisSite = thisSite;
    this.draft = { ...this.draft, site_code: thisSite && this.row ? this.row.site_code : '' };
  }

  get problem(): MessageKey | null {
    return draftProblem(this.draft, this.today());
  }

  async refresh(): Promise<void> {
    const row = this.row;
    if (!row) return;
    const r = await this.api.list({ part: row.partnumber, site: '', kind: '', include_expired: false });
    if (r.ok && this.row === row) this.existing = overridesForRow(r.data.overrides, row);
  }

  async submit(): Promise<boolean> {
    if (this.busy) return false;
    this.tried = true;
    if (this.problem) return false;
    this.busy = true;
    this.error = null;
    const r = await this.api.set({ ...this.draft });
    this.busy = false;
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.saved = r.data;
    this.changed = true;
    this.tried = false;
    this.draft = { ...this.draft, reason: '' };
    await this.refresh();
    return true;
  }

  async remove(o: OverrideDto): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    const r = await this.api.remove(o.id);
    this.busy = false;
    if (!r.ok && r.error.code !== 'OVERRIDE_NOT_FOUND') {
      this.error = r.error;
      return false;
    }
    this.changed = true;
    await this.refresh();
    return true;
  }
}
