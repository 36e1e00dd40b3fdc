/**
 * Boots the real server (real SQLite file, real worker pool) on port 0 with a temp storage folder,
 * plus socket.io clients and small REST helpers.
 */
import { mkdtempSync, rmSync, readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { loadConfig } from '../../server/config.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/events.js';
import type { JobConfigInput } from '../../server/contract/schemas.js';
import type { JobDto } from '../../server/contract/dto.js';
import { createLogger } from '../../server/logger.js';
import { startServer, type RunningServer } from '../../server/server.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export const FIXTURE_WORKER = path.resolve(import.meta.dirname, '../fixtures/workers/fixture.worker.ts');

export interface TestServer extends RunningServer {
  storage: string;
  clients: Client[];
  client(): Promise<Client>;
  /** Closes clients and server; removes the storage folder unless keepStorage. */
  stop(opts?: { keepStorage?: boolean }): Promise<void>;
}

export function tempStorage(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sparecast-test-'));
}

export async function bootServer(
  opts: { env?: Record<string, string>; workerFile?: string; storage?: string } = {},
): Promise<TestServer> {
  const storage = opts.storage ?? tempStorage();
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      STORAGE_DIR: storage,
      LOG_LEVEL: 'silent',
      SERVE_CLIENT: 'false',
      WORKERS: '2',
      AUTH: 'off',
      ...opts.env,
    },
    'test',
  );
  const srv = await startServer(config, createLogger(config), { workerFile: opts.workerFile });
  const clients: Client[] = [];
  return {
    ...srv,
    storage,
    clients,
    async client() {
      const c: Client = connect(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => {
        c.once('connect', () => resolve());
        c.once('connect_error', reject);
      });
      clients.push(c);
      return c;
    },
    async stop(o = {}) {
      for (const c of clients) c.disconnect();
      await srv.close();
      if (!o.keepStorage) rmSync(storage, { recursive: true, force: true });
    },
  };
}

/** POST /api/jobs with a file (path or content) and a config. */
export async function uploadJob(
  url: string,
  file: { name: string; content: string | Uint8Array },
  config?: JobConfigInput | string,
): Promise<{ status: number; body: JobDto & { error?: { code: string; message: string } } }> {
  const form = new FormData();
  form.append('file', new Blob([file.content]), file.name);
  if (config !== undefined) form.append('config', typeof config === 'string' ? config : JSON.stringify(config));
  const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as JobDto & { error?: { code: string; message: string } } };
}

export async function api<T = unknown>(
  url: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON (CSV download) */
  }
  return { status: res.status, body: parsed as T };
}

/** Resolves with the first event payload matching `pred`, or rejects after `ms`. */
export function waitFor<E extends keyof ServerToClientEvents>(
  c: Client,
  event: E,
  pred: (...args: Parameters<ServerToClientEvents[E]>) => boolean,
  ms = 20_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.off(event, handler as never);
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!pred(...args)) return;
      clearTimeout(timer);
      c.off(event, handler as never);
      resolve(args[0]);
    };
    c.on(event, handler as never);
  });
}

/** Emits a command and resolves with its ack. */
export function emitAck<E extends keyof ClientToServerEvents>(
  c: Client,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve) => (c.emit as (...a: unknown[]) => void)(event, payload, resolve));
}

export function filesIn(storage: string, sub: 'uploads' | 'outputs' | 'tmp'): string[] {
  const dir = path.join(storage, sub);
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Live thread count of this process (Linux). */
export function osThreads(): number {
  try {
    return readdirSync('/proc/self/task').length;
  } catch {
    return -1;
  }
}

/** Records every job:updated a client sees, so a test can wait for states that may already have passed. */
export class JobWatch {
  readonly seen = new Map<string, JobDto[]>();
  private waiters: { id: string; pred: (j: JobDto) => boolean; resolve: (j: JobDto) => void }[] = [];

  constructor(c: Client) {
    c.on('job:updated', (j) => {
      const arr = this.seen.get(j.id) ?? [];
      arr.push(j);
      this.seen.set(j.id, arr);
      this.waiters = this.waiters.filter((w) => {
        if (w.id !== j.id || !w.pred(j)) return true;
        w.resolve(j);
        return false;
      });
    });
  }

  until(id: string, pred: (j: JobDto) => boolean, ms = 20_000): Promise<JobDto> {
    const hit = this.seen.get(id)?.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w = { id, pred, resolve: (j: JobDto) => (clearTimeout(timer), resolve(j)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out waiting for job ${id}`));
      }, ms);
      this.waiters.push(w);
    });
  }

  finals(id: string): string[] {
    return (this.seen.get(id) ?? [])
      .filter((j) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status))
      .map((j) => j.status);
  }
}
