/**
 * Configuration from the environment, parsed once. Nothing else reads process.env.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
const isUnit = (u: string): u is Unit => Object.hasOwn(UNIT_MS, u);

/**
 * A duration in either form every duration setting accepts: a plain number of milliseconds
 * ("300"), or a number with a unit ("300ms", "90s", "3m", "2h", "1d"). Returns milliseconds, or
 * null when it is neither.
 */
export function parseDuration(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  if (!m) return null;
  const unit = (m[2] || 'ms').toLowerCase();
  if (!isUnit(unit)) return null;
  return Math.round(Number(m[1]) * UNIT_MS[unit]);
}

/** 1500 → "1.5s": a bound in the unit people write. */
function showDuration(ms: number): string {
  const units: Unit[] = ['d', 'h', 'm', 's'];
  const unit = units.find((u) => ms >= UNIT_MS[u] && ms % (UNIT_MS[u] / 10) === 0);
  return unit ? `${ms / UNIT_MS[unit]}${unit}` : `${ms}ms`;
}

/** A duration setting, in milliseconds after parsing; `min`/`max` bound it. */
const duration = (fallback: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (ms, or e.g. 300ms, 90s, 3m, 2h, 1d)` });
        return z.NEVER;
      }
      if (ms < min || ms > max) {
        const upper = max === Number.MAX_SAFE_INTEGER ? 'no limit' : showDuration(max);
        const range = `${showDuration(min)} to ${upper}`;
        ctx.addIssue({ code: 'custom', message: `"${v}" is out of range (${range})` });
        return z.NEVER;
      }
      return ms;
    });

// Every duration takes both forms (see parseDuration); the _MS suffix of some names is historical.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Host names this server answers to (comma-separated, `*` = any), against DNS rebinding. Empty: HOST
   * and this machine's local names (plus its name and addresses when HOST is 0.0.0.0 or ::).
   */
  ALLOWED_HOSTS: z.string().optional(),
  STORAGE_DIR: z.string().min(1).default('./storage'),
  WORKERS: z.coerce.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism())),
  /** How many jobs may run at once; each job spreads its sites over the whole pool. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(10_000).default(200),
  /** Jobs waiting for a slot, per user and in all: a new job beyond either is refused (429 QUEUE_FULL). */
  MAX_QUEUED_PER_USER: z.coerce.number().int().min(1).max(100_000).default(20),
  MAX_QUEUED: z.coerce.number().int().min(1).max(100_000).default(200),
  /** How long a stopped task may take to end by itself before its thread is terminated. */
  STOP_GRACE_MS: duration('300ms', 0, 1000),
  /** Minimum interval between job:progress pushes to a job's room. */
  PROGRESS_INTERVAL_MS: duration('150ms', 10, 10_000),
  /** Minimum interval between job:updated pushes / DB writes while a job progresses. */
  UPDATE_INTERVAL_MS: duration('1s', 50, 60_000),
  /** Per-worker heap limit; a task above it fails its job instead of the server. */
  WORKER_MAX_OLD_MB: z.coerce.number().int().min(64).max(16_384).default(2048),
  /** Watchdog: no progress change for this long flags a running job as stalled. */
  STALL_AFTER: duration('3m'),
  /** Watchdog: no log line for this long flags a running job as silent. */
  SILENT_AFTER: duration('2m'),
  /** A job running longer than this FAILS with "Timed out after …" (0 = off). */
  JOB_TIMEOUT: duration('30m'),
  /** How often the watchdog looks (tests shorten it). */
  WATCHDOG_INTERVAL: duration('5s'),
  /** Finished jobs and their files older than this many days are removed daily (0 = off). */
  RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(0),
  /** Stray files moved to quarantine/ at boot are removed after this many days (0 = kept forever). */
  QUARANTINE_DAYS: z.coerce.number().min(0).max(36_500).default(30),
  /** Sign-in: `on` (users, roles, audit) or `off` (single-user install bound to loopback only). */
  AUTH: z.enum(['on', 'off']).default('on'),
  /** How long a sign-in lasts. */
  SESSION_TTL: duration('12h'),
  /**
   * Failed sign-ins in a row, from one address for one user name, that lock that pair; the lock lasts
   * LOCKOUT_FOR and doubles with each further lock of the pair (at most 64×).
   */
  LOCKOUT_AFTER: z.coerce.number().int().min(1).max(100).default(5),
  LOCKOUT_FOR: duration('15m'),
  /** Rate limits: sign-in attempts per address, uploads per user, per minute. */
  LOGIN_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Re-plans per user per minute: they share the interactive thread that previews and charts wait on. */
  REPLANS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  SHUTDOWN_TIMEOUT_MS: duration('10s', 100, 120_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.default(false),
  SERVE_CLIENT: bool.default(true),
  /** GET /metrics (Prometheus): open on loopback, admin token from elsewhere; `off` removes it. */
  METRICS: z.enum(['on', 'off']).default('on'),
  /**
   * express `trust proxy`: off (default), a hop count, or addresses/subnets of the proxies (e.g.
   * `loopback`, `10.0.0.1`). Behind a TLS proxy it makes req.ip the client's address and the session
   * cookie Secure. `on` (trust every hop) is refused: a client would pick its own address.
   */
  TRUST_PROXY: z.string().default('off').transform(trustProxy),
});

/** Values that would trust every hop, so the leftmost X-Forwarded-For entry: the client's own choice. */
const TRUST_ALL = ['on', 'true', 'yes', '0.0.0.0/0', '::/0'];

/** TRUST_PROXY as express takes it: false, a hop count, or a list of addresses/subnets. */
function trustProxy(v: string, ctx: z.RefinementCtx): false | number | string {
  const t = v.trim().toLowerCase();
  if (['off', 'false', 'no', '0'].includes(t)) return false;
  if (t.split(/\s*,\s*/).some((p) => TRUST_ALL.includes(p))) {
    ctx.addIssue({
      code: 'custom',
      message:
        `"${v}" would trust every hop, so any client could choose its own address (lockouts, limits, audit) ` +
        'with X-Forwarded-For. Give the number of proxies in front (e.g. 1) or their addresses (e.g. loopback, 10.0.0.1).',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(t)) return Number(t);
  return v.trim();
}

export type Config = Readonly<z.infer<typeof envSchema> & { storageDir: string; version: string }>;

/** Parses env (default: process.env); throws one readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = envSchema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (r.data.AUTH === 'off' && !isLoopback(r.data.HOST))
    throw new Error(
      `Invalid configuration:\n  AUTH=off is only allowed when HOST is a loopback address (127.0.0.1, ::1, localhost), not ${r.data.HOST}.`,
    );
  return Object.freeze({ ...r.data, storageDir: path.resolve(r.data.STORAGE_DIR), version });
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}
