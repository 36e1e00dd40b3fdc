/**
 * socket.io: commands with acks (validated, answered in one shape) and the forwarding of job events
 * — status changes to everyone, chatty progress and log lines to the job's room only.
 */
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError } from '../contract/errors.js';
import {
  jobRoom,
  type Ack,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../contract/events.js';
import { deletePayloadSchema, describeZodError, idPayloadSchema } from '../contract/schemas.js';
import type { JobService } from '../jobs/job.service.js';
import type { JobCommands } from '../jobs/job.commands.js';
import type { AuthService } from '../auth/auth.service.js';
import { bearer, cookieValue, LOCAL_ADMIN } from '../http/auth-middleware.js';
import { originVerdict } from '../http/origin.js';
import type { Logger } from '../logger.js';
import { DROP_AFTER_REFUSED, TokenBucket, type BucketOptions } from './rate-limit.js';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const SLOW_DOWN = {
  ok: false,
  error: { code: 'RATE_LIMITED', message: 'Too many commands from this connection; slow down.' },
} as const;

const SIGNED_OUT = {
  ok: false,
  error: { code: 'UNAUTHORIZED', message: 'Your session has ended; please sign in again.' },
} as const;

/** What each command of a socket shares: its rate bucket and the check that its sign-in still holds. */
interface CommandContext {
  logger: Logger;
  socket: IoSocket;
  bucket: TokenBucket;
  signedIn: () => Promise<boolean>;
  /** After a socket was refused as signed out: ends the expired sessions and drops their other sockets. */
  signedOut: () => Promise<unknown>;
}

/**
 * Wraps a command: takes a token from the socket's bucket, checks the socket's session has not ended or
 * expired (else answers UNAUTHORIZED and drops the socket), validates the payload, runs it, acks
 * `{ok,data}` or `{ok:false,error}`.
 */
function command<S extends z.ZodType, T>(
  { logger, socket, bucket, signedIn, signedOut }: CommandContext,
  schema: S,
  fn: (payload: z.infer<S>) => Promise<T>,
) {
  return async (payload: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => undefined;
    if (!bucket.take()) {
      if (bucket.refused === DROP_AFTER_REFUSED) {
        logger.warn({ user: socket.data.user?.username, ip: socket.handshake.address }, 'socket flood: disconnected');
        socket.disconnect(true);
      }
      return bucket.refused > DROP_AFTER_REFUSED ? undefined : reply(SLOW_DOWN);
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success)
      return reply({ ok: false, error: { code: 'VALIDATION_ERROR', message: describeZodError(parsed.error) } });
    try {
      if (!(await signedIn())) {
        reply(SIGNED_OUT); // answered before the socket goes: an ack after the disconnect is lost
        socket.disconnect(true);
        return await signedOut();
      }
      reply({ ok: true, data: await fn(parsed.data) });
    } catch (err) {
      if (err instanceof AppError) return reply({ ok: false, error: { code: err.code, message: err.message } });
      logger.error({ err }, 'socket command failed');
      reply({
        ok: false,
        error: { code: 'INTERNAL', message: 'Something went wrong on the server. The error was logged.' },
      });
    }
  };
}

export interface SocketDeps {
  jobs: JobService;
  commands: JobCommands;
  auth: AuthService | null;
  /** Per-socket command rate (default SOCKET_COMMANDS). */
  rate?: BucketOptions;
}

const refuse = (code: 'UNAUTHORIZED' | 'CSRF', message: string) =>
  Object.assign(new Error(code), { data: { code, message } });

/**
 * The handshake uses the same session cookie as the pages (or a Bearer token in `auth.token`);
 * an unauthenticated socket is refused, and so is a cookie with no word on where it comes from (the
 * Host and cross-origin checks ran before, in allowRequest). Each socket joins `session:<id>`,
 * `token:<id>` and `user:<id>` so that signing out, a revoked token, an expired session or a changed
 * or removed user drops its connections at once.
 */
function authenticateSockets(io: IoServer, auth: AuthService | null): void {
  io.use(async (socket, next) => {
    try {
      if (!auth) {
        socket.data.user = LOCAL_ADMIN;
        return next();
      }
      const { headers } = socket.handshake;
      const token =
        typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : bearer(headers.authorization);
      if (!token && headers.cookie && originVerdict(headers) === 'unknown')
        return next(refuse('CSRF', 'A signed-in connection must come from the Sparecast page itself.'));
      const lookup = () => (token ? auth.fromToken(token) : auth.fromCookie(cookieValue(headers.cookie)));
      const ended = auth.endings;
      const user = await lookup();
      if (!user) return next(refuse('UNAUTHORIZED', 'Please sign in.'));
      socket.data.user = user;
      await socket.join([`user:${user.id}`, ...(user.sessionId ? [`session:${user.sessionId}`] : [])]);
      if (user.tokenId) await socket.join(`token:${user.tokenId}`);
      // Something ended while we looked it up: its event found no socket of ours to drop, so look again.
      if (auth.endings !== ended) {
        const again = await lookup();
        if (!again) return next(refuse('UNAUTHORIZED', 'Please sign in.'));
        socket.data.user = again;
      }
      next();
    } catch {
      next(new Error('INTERNAL'));
    }
  });
  auth?.events.on('session-ended', ({ sessionId }) => io.in(`session:${sessionId}`).disconnectSockets(true));
  auth?.events.on('token-ended', ({ tokenId }) => io.in(`token:${tokenId}`).disconnectSockets(true));
  auth?.events.on('user-ended', ({ userId }) => io.in(`user:${userId}`).disconnectSockets(true));
}

export function registerSocketHandlers(io: IoServer, deps: SocketDeps, logger: Logger): void {
  const { jobs, commands, auth } = deps;
  authenticateSockets(io, auth);
  jobs.events.on('created', (job) => io.emit('job:created', job));
  jobs.events.on('updated', (job) => io.emit('job:updated', job));
  jobs.events.on('deleted', (p) => io.emit('job:deleted', p));
  jobs.events.on('progress', (p) => io.to(jobRoom(p.id)).volatile.emit('job:progress', p));
  jobs.events.on('log', (p) => io.to(jobRoom(p.id)).emit('job:log', p));
  jobs.events.on('replanned', (p) => io.to(jobRoom(p.id)).emit('job:replanned', p));

  io.on('connection', (socket: IoSocket) => {
    const actor = () => ({ user: socket.data.user!, ip: socket.handshake.address ?? null });
    const ctx: CommandContext = {
      logger,
      socket,
      bucket: new TokenBucket(deps.rate),
      signedIn: async () => !auth || (await auth.stillValid(socket.data.user!)),
      signedOut: async () =>
        auth?.sweepSessions().catch((err: unknown) => logger.error({ err }, 'session sweep failed')),
    };
    socket.on(
      'job:stop',
      command(ctx, idPayloadSchema, ({ id }) => commands.stop(actor(), id)),
    );
    socket.on(
      'job:delete',
      command(ctx, deletePayloadSchema, async ({ id, force }) => {
        await commands.remove(actor(), id, force);
        return { id };
      }),
    );
    socket.on(
      'job:subscribe',
      command(ctx, idPayloadSchema, async ({ id }) => {
        const job = await jobs.get(id);
        await socket.join(jobRoom(id));
        return { job, log: await jobs.log(id) };
      }),
    );
    socket.on(
      'job:unsubscribe',
      command(ctx, idPayloadSchema, async ({ id }) => {
        await socket.leave(jobRoom(id));
        return { id };
      }),
    );
  });
}
