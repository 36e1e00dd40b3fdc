/// <reference types="svelte" />
import type { JobDto, PreviewDto } from '$contract/dto.js';
import type { Api, UploadFile } from './api.js';
import { ConfigForm, readRemembered } from './config-form.svelte.js';
import type { KeyValueStore } from './i18n.svelte.js';
import { JobWatch } from './job-watch.svelte.js';
import type { LiveBus } from './live.js';
import type { MessageKey } from './i18n/messages.js';
import { runBlockedBy } from './preview-view.js';
import { fail, type ClientError, type Result } from './result.js';
import type { CommandChannel } from './socket.js';

const JOB_KEY = 'sparecast.dashboard.job';
/** A person's last settings (localStorage), by user name. */
export const settingsKey = (user: string) => `sparecast.settings.${user}`;

/**
 * The dashboard: a file, its preview, the settings, and the job this page started (remembered for
 * the browser tab so a reload keeps following it).
 */
export class DashboardStore {
  file = $state<UploadFile | null>(null);
  /** The optional parts file of the inventory plan (lead times, costs, stock). */
  partsFile = $state<UploadFile | null>(null);
  preview = $state<PreviewDto | null>(null);
  previewing = $state(false);
  previewError = $state<ClientError | null>(null);
  submitting = $state(false);
  submitError = $state<ClientError | null>(null);
  /** How many jobs this page has started: the page brings the live job card into view on each. */
  started = $state(0);
  readonly form = new ConfigForm();
  readonly watch: JobWatch;
  private previewSeq = 0;
  /** Whose settings the form remembers (null before sign-in). */
  private user: string | null = null;

  /** session: this tab's job; local: each person's last settings (both optional: storage may be blocked) */
  constructor(
    private readonly api: Api,
    commands: CommandChannel,
    bus: LiveBus,
    private readonly session?: KeyValueStore,
    private readonly local?: KeyValueStore,
  ) {
    this.watch = new JobWatch(api, commands, bus);
  }

  /** Someone signed in (their name; '' with AUTH=off): the form starts from the settings they last ran with. */
  signedIn(user: string): void {
    if (user === this.user) return;
    this.user = user;
    // not under a form being filled in (the next reset applies them)
    this.form.remember(readRemembered(this.local?.getItem(settingsKey(user)) ?? null), !this.running && !this.file);
  }

  /** Resumes following the job started from this tab before a reload. */
  resume(): void {
    const id = this.session?.getItem(JOB_KEY);
    if (id && !this.watch.id) void this.watch.watch(id);
  }

  /** A job of this page is queued or running (Jalankan Forecast is disabled). */
  get running(): boolean {
    return this.submitting || this.watch.running;
  }

  get canRun(): boolean {
    return (
      !!this.file && !this.running && !this.previewing && this.form.valid && !this.previewError && !this.runBlocked
    );
  }

  /** Why Jalankan Forecast is disabled although a file is chosen: the preview found nothing usable. */
  get runBlocked(): MessageKey | null {
    return runBlockedBy(this.preview);
  }

  /** The card's job is gone: deleted while shown, or (after a reload) no longer on the server. */
  get jobGone(): boolean {
    return this.watch.deleted || (this.watch.notFound && !!this.watch.id);
  }

  /** The card offers Download only for a completed job that still exists. */
  get canDownload(): boolean {
    const j = this.watch.job;
    return !!j && j.status === 'COMPLETED' && j.has_output && !this.jobGone;
  }

  /** "Buka halaman job" would only say "Job tidak ditemukan" once the job is gone. */
  get canOpenJob(): boolean {
    return !!this.watch.job && !this.jobGone;
  }

  async chooseFile(file: UploadFile): Promise<void> {
    this.file = file;
    this.preview = null;
    this.previewError = null;
    this.submitError = null;
    this.form.sites = [];
    await this.loadPreview();
  }

  /** Sets (or, with null, drops) the parts file; the preview then says how many series it covers. */
  async chooseParts(file: UploadFile | null): Promise<void> {
    this.partsFile = file;
    this.submitError = null;
    if (this.file) await this.loadPreview();
  }

  /** Re-reads the file when the date order changes (the preview depends on it). */
  async setDateFormat(v: ConfigForm['dateFormat']): Promise<void> {
    this.form.dateFormat = v;
    if (this.file) await this.loadPreview();
  }

  private async loadPreview(): Promise<void> {
    const file = this.file;
    if (!file) return;
    const mine = ++this.previewSeq;
    this.previewing = true;
    const r = await this.api.preview(file, this.form.dateFormat, this.partsFile);
    if (mine !== this.previewSeq) return;
    this.previewing = false;
    if (r.ok) {
      this.preview = r.data;
      this.previewError = null;
      this.form.sites = this.form.sites.filter((s) => r.data.sites.includes(s));
      this.form.setDetected(r.data.frequency);
    } else {
      this.preview = null;
      this.previewError = r.error;
    }
  }

  async run(): Promise<boolean> {
    if (!this.file) {
      this.submitError = fail('NO_FILE', '').error;
      return false;
    }
    if (!this.canRun) return false;
    const remember = this.form.toRemember();
    const ok = await this.start(
      this.api.createJob(this.file, this.form.toInput(), this.partsFile, this.form.nameInput()),
    );
    if (ok && remember && this.user !== null) {
      this.form.remember(remember, false);
      try {
        this.local?.setItem(settingsKey(this.user), JSON.stringify(remember));
      } catch {
        /* storage full or blocked: the settings are simply not remembered */
      }
    }
    return ok;
  }

  /** One click for newcomers: a forecast on the bundled sample file. */
  runSample(): Promise<boolean> {
    if (this.running) return Promise.resolve(false);
    return this.start(this.api.sample());
  }

  private async start(req: Promise<Result<JobDto>>): Promise<boolean> {
    this.submitting = true;
    this.submitError = null;
    const r = await req;
    this.submitting = false;
    if (!r.ok) {
      this.submitError = r.error;
      return false;
    }
    this.session?.setItem(JOB_KEY, r.data.id);
    const watching = this.watch.watch(r.data.id);
    this.watch.job = r.data;
    this.started++;
    await watching;
    return true;
  }

  stop(): Promise<boolean> {
    return this.watch.stop();
  }

  /** Clears the file, preview, settings and the finished job (not allowed while it runs). */
  reset(): void {
    if (this.running) return;
    this.previewSeq++;
    this.file = null;
    this.partsFile = null;
    this.preview = null;
    this.previewing = false;
    this.previewError = null;
    this.submitError = null;
    this.form.reset();
    this.watch.clear();
    this.session?.setItem(JOB_KEY, '');
  }
}
