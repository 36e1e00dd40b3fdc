/**
 * Configuration from the environment, parsed once. Nothing else reads process.env.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  STORAGE_DIR: z.string().min(1).default('./storage'),
  WORKERS: z.coerce.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism())),
  /** How many jobs may run at once; each job spreads its sites over the whole pool. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(10_000).default(200),
  /** How long a stopped task may take to end by itself before its thread is terminated. */
  STOP_GRACE_MS: z.coerce.number().int().min(0).max(1000).default(0),
  /** Minimum interval between job:progress pushes to a job's room. */
  PROGRESS_INTERVAL_MS: z.coerce.number().int().min(10).max(10_000).default(150),
  /** Minimum interval between job:updated pushes / DB writes while a job progresses. */
  UPDATE_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Per-worker heap limit; a task above it fails its job instead of the server. */
  WORKER_MAX_OLD_MB: z.coerce.number().int().min(64).max(16_384).default(2048),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.default(false),
  SERVE_CLIENT: bool.default(true),
});

export type Config = Readonly<z.infer<typeof envSchema> & { storageDir: string; version: string }>;

/** Parses env (default: process.env); throws one readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = envSchema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze({ ...r.data, storageDir: path.resolve(r.data.STORAGE_DIR), version });
}
