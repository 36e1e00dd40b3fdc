/**
 * socket.io: commands with acks (validated, answered in one shape) and the forwarding of job events
 * — status changes to everyone, chatty progress and log lines to the job's room only.
 */
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError } from '../contract/errors.js';
import { jobRoom, type Ack, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents, type SocketData } from '../contract/events.js';
import { deletePayloadSchema, describeZodError, idPayloadSchema } from '../contract/schemas.js';
import type { JobService } from '../jobs/job.service.js';
import type { Logger } from '../logger.js';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Wraps a command: validates the payload, runs it, acks `{ok,data}` or `{ok:false,error}`. */
function command<S extends z.ZodType, T>(logger: Logger, schema: S, fn: (payload: z.infer<S>) => Promise<T>) {
  return async (payload: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => undefined;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: { code: 'VALIDATION_ERROR', message: describeZodError(parsed.error) } });
    try {
      reply({ ok: true, data: await fn(parsed.data) });
    } catch (err) {
      if (err instanceof AppError) return reply({ ok: false, error: { code: err.code, message: err.message } });
      logger.error({ err }, 'socket command failed');
      reply({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on the server. The error was logged.' } });
    }
  };
}

export function registerSocketHandlers(io: IoServer, jobs: JobService, logger: Logger): void {
  jobs.events.on('created', (job) => io.emit('job:created', job));
  jobs.events.on('updated', (job) => io.emit('job:updated', job));
  jobs.events.on('deleted', (p) => io.emit('job:deleted', p));
  jobs.events.on('progress', (p) => io.to(jobRoom(p.id)).volatile.emit('job:progress', p));
  jobs.events.on('log', (p) => io.to(jobRoom(p.id)).emit('job:log', p));

  io.on('connection', (socket: IoSocket) => {
    socket.on('job:stop', command(logger, idPayloadSchema, ({ id }) => jobs.stop(id)));
    socket.on(
      'job:delete',
      command(logger, deletePayloadSchema, async ({ id, force }) => {
        await jobs.remove(id, force);
        return { id };
      }),
    );
    socket.on(
      'job:subscribe',
      command(logger, idPayloadSchema, async ({ id }) => {
        const job = await jobs.get(id);
        await socket.join(jobRoom(id));
        return { job, log: await jobs.log(id) };
      }),
    );
    socket.on(
      'job:unsubscribe',
      command(logger, idPayloadSchema, async ({ id }) => {
        await socket.leave(jobRoom(id));
        return { id };
      }),
    );
  });
}
