/// <reference types="svelte" />
import type { JobDto } from '$contract/dto.js';
import type { Api } from './api.js';
import { ConfigForm } from './config-form.svelte.js';
import type { ClientError } from './result.js';

/**
 * "Jalankan lagi": the job's settings in an editable form, with the site list of the job's own file
 * (GET /api/jobs/:id/sites), so sites can be picked as on the dashboard, not only typed.
 */
export class RerunForm {
  readonly form = new ConfigForm();
  open = $state(false);
  busy = $state(false);
  error = $state<ClientError | null>(null);
  /** Sites of the uploaded file; the job's chosen ones are always offered too. */
  sites = $state<string[]>([]);
  loadingSites = $state(false);
  private loaded = false;

  constructor(
    private readonly api: Pick<Api, 'rerun' | 'jobSites'>,
    private readonly jobId: string,
  ) {}

  async show(job: JobDto): Promise<void> {
    this.form.load(job.config);
    this.form.name = job.name ?? '';
    this.error = null;
    this.open = true;
    this.sites = [...new Set([...this.sites, ...job.config.forecast_site_codes])].sort();
    if (this.loaded || this.loadingSites) return;
    this.loadingSites = true;
    const r = await this.api.jobSites(this.jobId);
    this.loadingSites = false;
    // Without the list the form still works: site codes can be typed.
    if (!r.ok) return;
    this.loaded = true;
    this.sites = [...new Set([...r.data.sites, ...this.form.sites])].sort();
  }

  hide(): void {
    this.open = false;
  }

  /** Starts the new job; resolves its id, or null (the error is shown). */
  async submit(): Promise<string | null> {
    if (!this.form.valid || this.busy) return null;
    this.busy = true;
    const r = await this.api.rerun(this.jobId, this.form.toInput(), this.form.nameInput());
    this.busy = false;
    if (!r.ok) {
      this.error = r.error;
      return null;
    }
    return r.data.id;
  }
}
