/**
 * socket.io events, typed once for `new Server<…>()` and the client's `Socket<…>`.
 */
import type { ApiErrorBody } from './errors.js';
import type { JobDto, JobProgressDto, LogLine } from './dto.js';
import type { AuthUserDto } from './auth.js';

/** One ack shape for every client → server command. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
export type AckFn<T> = (res: Ack<T>) => void;

export interface ClientToServerEvents {
  'job:stop': (payload: { id: string }, ack: AckFn<JobDto>) => void;
  'job:delete': (payload: { id: string; force?: boolean }, ack: AckFn<{ id: string }>) => void;
  /** Join the job's room: `job:progress` and `job:log` for it. Acks with the job and its recent log. */
  'job:subscribe': (payload: { id: string }, ack: AckFn<{ job: JobDto; log: LogLine[] }>) => void;
  'job:unsubscribe': (payload: { id: string }, ack: AckFn<{ id: string }>) => void;
}

export interface ServerToClientEvents {
  /** To everyone. */
  'job:created': (job: JobDto) => void;
  /** To everyone: on every status change and at most ~1/s while progressing. */
  'job:updated': (job: JobDto) => void;
  /** To everyone. */
  'job:deleted': (payload: { id: string }) => void;
  /** To room `job:<id>` only; throttled and volatile. */
  'job:progress': (payload: JobProgressDto) => void;
  /** To room `job:<id>` only. */
  'job:log': (payload: { id: string; lines: LogLine[] }) => void;
  /** To room `job:<id>` only: the job's inventory plan was re-planned (its Inventory view reloads it). */
  'job:replanned': (payload: { id: string }) => void;
}

export type InterServerEvents = Record<string, never>;
export interface SocketData {
  /** Who is connected (set by the handshake). */
  user?: AuthUserDto & { sessionId?: string; tokenId?: string };
}

/** Room name for a job's chatty events. */
export const jobRoom = (id: string): string => `job:${id}`;
